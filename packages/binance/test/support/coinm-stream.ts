/**
 * A seeded COIN-M book and trade stream, pure (no sockets, no timers): every
 * `tick()`, per symbol in a random order, 0–2 aggregate trades (ids `a` 1, 2,
 * …) and one depth event of 1–3 update ids. Update ids come from one counter
 * for all symbols, which also advances for updates of contracts nobody
 * watches, so a symbol's `U` never follows its previous `u`: only `pu` chains
 * its events, as on Binance futures. Each update id changes one level as the
 * spot chaos market's do (`applyRandomUpdate`: a price grid, and a clock level
 * at {@link CLOCK_PRICE} whose amount is the id), so every book event names
 * the update id it brings the book to, and the true book after each id is
 * kept (`bookAt`). Used live by
 * coinm-market.ts and recorded by coinm-session.ts.
 */
import type { SeededRandom } from '@dccd/testkit'
import { applyRandomUpdate, CLOCK_PRICE, levelStrings, tradeAt } from './chaos-market.js'
import type { TrueBook } from './chaos-market.js'
import { aggTradeFrame, futuresDepthFrame, futuresSnapshotBody } from './futures-frames.js'

/** One symbol's state. */
export interface CoinmSymbol {
  readonly symbol: string
  /** `u` and `U` of its latest event (`u` is the next event's `pu`). */
  lastFinal: number
  lastFirst: number
  tradeId: number
  readonly bids: Map<number, number>
  readonly asks: Map<number, number>
  /** The true book after each of its update ids. */
  readonly history: Map<number, TrueBook>
  /** Its update ids, ascending. */
  readonly ids: number[]
}

/** One frame of a tick, as text, with what it carries. */
export interface CoinmFrame {
  readonly symbol: string
  readonly text: string
  readonly trade?: number
  readonly depth?: { readonly first: number; readonly final: number; readonly previous: number }
}

export class CoinmStream {
  readonly symbols = new Map<string, CoinmSymbol>()
  readonly #prng: SeededRandom
  /** The update-id counter every symbol (and every contract nobody watches) draws from. */
  #nextId = 5_000_000

  constructor(symbols: readonly string[], prng: SeededRandom) {
    this.#prng = prng
    for (const symbol of symbols) {
      const id = this.#nextId++
      this.symbols.set(symbol, {
        symbol,
        lastFinal: id,
        lastFirst: id,
        tradeId: 0,
        bids: new Map([[CLOCK_PRICE, id]]),
        asks: new Map(),
        history: new Map([[id, { bids: [[CLOCK_PRICE, id]], asks: [] }]]),
        ids: [id],
      })
    }
  }

  /** The frames of one tick, in the order the exchange sends them. */
  tick(): CoinmFrame[] {
    const prng = this.#prng
    const frames: CoinmFrame[] = []
    for (const state of prng.shuffle([...this.symbols.values()])) {
      // Updates of contracts nobody here watches take ids in between.
      this.#nextId += prng.int(0, 4)
      for (let n = prng.int(0, 2); n > 0; n--) {
        const a = ++state.tradeId
        const { price, quantity, buyerIsMaker } = tradeAt(a)
        frames.push({ symbol: state.symbol, trade: a, text: JSON.stringify(aggTradeFrame(state.symbol, a, price, quantity, buyerIsMaker)) })
      }
      frames.push(this.#depthEvent(state, prng.int(1, 3)))
    }
    return frames
  }

  bookAt(symbol: string, id: number): TrueBook {
    const book = this.of(symbol).history.get(id)
    if (book === undefined) throw new Error(`${symbol} has no update ${id}`)
    return book
  }

  /** `GET /dapi/v1/depth` of `symbol` at its update `id`. */
  snapshotAt(symbol: string, id: number): ReturnType<typeof futuresSnapshotBody> {
    const book = this.bookAt(symbol, id)
    return futuresSnapshotBody(id, levelStrings(book.bids), levelStrings(book.asks))
  }

  of(symbol: string | null): CoinmSymbol {
    const state = this.symbols.get(symbol ?? '')
    if (state === undefined) throw new Error(`unknown symbol ${symbol}`)
    return state
  }

  #depthEvent(state: CoinmSymbol, count: number): CoinmFrame {
    const prng = this.#prng
    const previous = state.lastFinal
    const first = this.#nextId
    const bids = new Map<number, number>()
    const asks = new Map<number, number>()
    for (let i = 0; i < count; i++) {
      const id = this.#nextId++
      state.history.set(id, applyRandomUpdate(state, id, prng, { bids, asks }))
      state.ids.push(id)
    }
    state.lastFirst = first
    state.lastFinal = this.#nextId - 1
    bids.set(CLOCK_PRICE, state.lastFinal)
    return {
      symbol: state.symbol,
      text: JSON.stringify(futuresDepthFrame(state.symbol, first, state.lastFinal, previous, levelStrings(bids), levelStrings(asks))),
      depth: { first, final: state.lastFinal, previous },
    }
  }
}
