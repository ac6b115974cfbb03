/**
 * A seeded market on the fake exchange for chaos tests. Every tick, per symbol:
 * 0–2 trades (ids 1, 2, …) and one depth event covering 1–3 update ids. Each
 * update id changes one random level of a small price grid (set to amount = id,
 * or deleted) and moves a "clock" level (bid at {@link CLOCK_PRICE}, amount = id),
 * so every book event names the last update id it brings the book to, and the
 * true book after every id is recorded: a consumer's book can be checked
 * exactly after each event. The exchange's faults are armed from outside
 * (a dropped depth event, a snapshot answered badly, a replay on reconnect,
 * and the trade faults of {@link TradeFaults}: trades skipped on a healthy
 * socket, a historicalTrades answer held back).
 */
import type { FakeConnection, FakeExchange, RestResponse } from '@dccd/testkit'
import type { SeededRandom } from '@dccd/testkit'
import { depthFrame, exchangeInfoBody, historicalTradeRow, snapshotBody, tradeFrame } from './frames.js'
import { TradeFaults } from './trade-faults.js'
import type { CheckedMarket } from './feed-checker.js'

/** Bid price whose amount is the update id the book is at (never touched by the random changes). */
export const CLOCK_PRICE = 1

/** Price levels as the consumer sees them: bids best (highest) first, asks best (lowest) first. */
export interface TrueBook {
  readonly bids: ReadonlyArray<readonly [price: number, amount: number]>
  readonly asks: ReadonlyArray<readonly [price: number, amount: number]>
}

/** How the next depth snapshot of a symbol is answered. */
export type SnapshotFault =
  /** 429 with a short Retry-After: the REST client waits and asks again. */
  | '429'
  /** 500 without Retry-After: the REST client's own backoff (a few hundred ms). */
  | '500'
  /** 503 with a short Retry-After. */
  | '503'
  /** Taken when asked, answered some ticks later (the stream has moved on meanwhile). */
  | 'delay'
  /** Older than the stream the feed is buffering: it must be refetched, never emitted. */
  | 'stale'

/** A depth event the market did not send on one connection. */
export interface DroppedUpdate {
  readonly symbol: string
  readonly connectionId: number
  /** `U`..`u` of the event never sent. */
  readonly first: number
  readonly final: number
}

/** Options of {@link ChaosMarket}. */
export interface ChaosMarketOptions {
  readonly symbols: readonly string[]
  readonly tickMs: number
  /** Draws of the market's evolution (books and trade counts): the same seed, the same market. */
  readonly prng: SeededRandom
  /** Draws of answers to REST requests (their order depends on timing, so they get their own stream). */
  readonly restPrng: SeededRandom
  /** `served`: answers every trade asked for; `failing`: 500 to every request. */
  readonly historicalTrades: 'served' | 'failing'
}

const BID_GRID = [99.5, 99.25, 99, 98.75, 98.5, 98.25, 98, 97.75]
const ASK_GRID = [100, 100.25, 100.5, 100.75, 101, 101.25, 101.5, 101.75]
/** Ticks of frames kept for replays (more than a reconnect takes). */
const RECENT_TICKS = 200

interface SymbolState {
  readonly symbol: string
  /** Update id the book starts at (nothing changed yet); symbols start far apart. */
  readonly firstUpdate: number
  updateId: number
  tradeId: number
  /** `U` of the latest depth event. */
  lastEventFirst: number
  readonly bids: Map<number, number>
  readonly asks: Map<number, number>
  /** The true book after each update id: `history[id - firstUpdate]`. */
  readonly history: TrueBook[]
  /** `lastUpdateId` of every snapshot served (a stale one must not share an id with a genuine one, or its check could not tell them apart). */
  readonly served: Set<number>
  /** First update id of the stream a book sync may be buffering now (newest connection's first event, or after a drop). */
  streamStart: number
  readonly armed: SnapshotFault[]
}

interface Frame {
  readonly symbol: string
  readonly text: string
  /** For trades: the id. */
  readonly trade?: number
  /** For depth events: the update-id range. */
  readonly depth?: { readonly first: number; readonly final: number }
}

/** A symbol's book as a seeded market keeps it: price → amount per side. */
export interface MarketBook {
  readonly bids: Map<number, number>
  readonly asks: Map<number, number>
}

/**
 * Update id `id` of a seeded market: one random level of the grid is set to amount `id` or deleted, and
 * the clock level moves to `id`. The level goes into `changed` (the event's net levels); returns the
 * true book after the update.
 */
export function applyRandomUpdate(book: MarketBook, id: number, prng: SeededRandom, changed: MarketBook): TrueBook {
  const isBid = prng.chance(0.5)
  const price = prng.pick(isBid ? BID_GRID : ASK_GRID)
  // Deletes are common enough that levels come and go (and deleting an absent level happens too).
  const amount = prng.chance(0.35) ? 0 : id
  const side = isBid ? book.bids : book.asks
  if (amount === 0) side.delete(price)
  else side.set(price, amount)
  book.bids.set(CLOCK_PRICE, id)
  ;(isBid ? changed.bids : changed.asks).set(price, amount)
  return { bids: [...book.bids].sort((a, b) => b[0] - a[0]), asks: [...book.asks].sort((a, b) => a[0] - b[0]) }
}

/** Levels as Binance writes them: `[["99.50", "123"], …]`. */
export function levelStrings(side: Map<number, number> | TrueBook['bids']): [string, string][] {
  return [...side].map(([price, amount]) => [price.toFixed(2), String(amount)])
}

/** The trade with id `id`: price, quantity and side follow from the id, so REST and stream agree. */
export function tradeAt(id: number): { price: string; quantity: string; buyerIsMaker: boolean } {
  return { price: (100 + ((id * 7) % 13) / 4).toFixed(2), quantity: String(1 + (id % 5)), buyerIsMaker: id % 3 === 0 }
}

export class ChaosMarket implements CheckedMarket {
  /** Ticks so far. */
  ticks = 0
  /** Every depth event never sent on some connection (filled in when the tick that skips it runs). */
  readonly dropped: DroppedUpdate[] = []
  /** Stale snapshots served: none of them may ever reach the consumer. */
  readonly staleServed: Array<{ symbol: string; lastUpdateId: number }> = []
  /** Snapshot faults applied, in order. */
  readonly snapshotFaultsServed: Array<{ symbol: string; fault: SnapshotFault }> = []
  /** Trades skipped on the wire and historicalTrades answers held back: armed here, applied as frames go out and requests come in. */
  readonly trades = new TradeFaults()
  readonly #fx: FakeExchange
  readonly #options: ChaosMarketOptions
  readonly #states = new Map<string, SymbolState>()
  readonly #drops = new Map<number, Set<string>>()
  /** Frames of the last ticks, oldest first (for replays). */
  readonly #recent: Array<{ tick: number; frames: Frame[] }> = []
  /** The next connection first gets the frames of this tick and later ones (0: no replay). */
  #replayFrom = 0
  /** Trades a replay sent again that an earlier connection had already sent. */
  duplicateTradesSent = 0
  /** Highest trade id sent on any connection, per symbol. */
  readonly #lastSentTrade = new Map<string, number>()
  readonly #tickWaiters = new Set<() => void>()
  readonly #timer: ReturnType<typeof setInterval>

  constructor(fx: FakeExchange, options: ChaosMarketOptions) {
    this.#fx = fx
    this.#options = options
    options.symbols.forEach((symbol, i) => {
      const firstUpdate = 10_000 * (i + 1)
      const empty: TrueBook = { bids: [[CLOCK_PRICE, firstUpdate]], asks: [] }
      this.#states.set(symbol, {
        symbol,
        firstUpdate,
        updateId: firstUpdate,
        tradeId: 0,
        lastEventFirst: firstUpdate,
        bids: new Map([[CLOCK_PRICE, firstUpdate]]),
        asks: new Map(),
        history: [empty],
        served: new Set(),
        streamStart: firstUpdate + 1,
        armed: [],
      })
    })
    fx.route('GET', '/api/v3/exchangeInfo', () => ({ body: exchangeInfoBody(options.symbols) }))
    fx.route('GET', '/api/v3/depth', (request) => this.#depth(this.#state(request.query.get('symbol'))))
    fx.route('GET', '/api/v3/historicalTrades', (request) => {
      const state = this.#state(request.query.get('symbol'))
      const fromId = Number(request.query.get('fromId'))
      return this.trades.answer(state.symbol, fromId, () => {
        if (options.historicalTrades === 'failing') {
          // Retry-After 0 keeps the REST client's five attempts within milliseconds.
          return { status: 500, headers: { 'Retry-After': '0' }, body: { code: -1000, msg: 'An unknown error occurred.' } }
        }
        const last = Math.min(state.tradeId, fromId + Number(request.query.get('limit')) - 1)
        const rows = []
        for (let id = fromId; id <= last; id++) {
          const { price, quantity, buyerIsMaker } = tradeAt(id)
          rows.push(historicalTradeRow(id, price, quantity, buyerIsMaker))
        }
        return { body: rows }
      })
    })
    fx.onConnection((connection) => {
      this.trades.connected(connection.id)
      this.#replayTo(connection)
    })
    this.#timer = setInterval(() => this.tick(), options.tickMs)
  }

  /** Current (latest) update id of `symbol`. */
  updateId(symbol: string): number {
    return this.#state(symbol).updateId
  }

  /** Latest trade id of `symbol`. */
  tradeId(symbol: string): number {
    return this.#state(symbol).tradeId
  }

  /** The trades of `symbol` skipped on the wire (`7`, `9 (resume)`). */
  droppedTrades(symbol: string): string[] {
    return this.trades.dropped.filter((d) => d.symbol === symbol).map((d) => `${d.id}${d.where === 'resume' ? ' (resume)' : ''}`)
  }

  /** The true book right after update `id` of `symbol`. */
  bookAt(symbol: string, id: number): TrueBook {
    const state = this.#state(symbol)
    const book = state.history[id - state.firstUpdate]
    if (book === undefined) throw new Error(`${symbol} has no update ${id} (ids ${state.firstUpdate}..${state.updateId})`)
    return book
  }

  /** The newest connection, when it is open and not stalled (the one feeding the client). */
  newestLive(): FakeConnection | undefined {
    const newest = this.#fx.connections.at(-1)
    return newest !== undefined && newest.isOpen && !newest.isStalled ? newest : undefined
  }

  /** The next depth event of `symbol` is not sent on `connection` (its ids never reach that socket). */
  dropNextDepth(connection: FakeConnection, symbol: string): void {
    let symbols = this.#drops.get(connection.id)
    if (symbols === undefined) this.#drops.set(connection.id, (symbols = new Set()))
    symbols.add(symbol)
  }

  /** Depth drops armed on open connections but not applied yet. */
  get pendingDrops(): number {
    let pending = 0
    for (const connection of this.#fx.connections) if (connection.isOpen) pending += this.#drops.get(connection.id)?.size ?? 0
    return pending
  }

  /** Trade drops and markers armed but not applied yet (on open connections, or for the next one). */
  get pendingTradeDrops(): number {
    let pending = this.trades.nextConnectionPending ? 1 : 0
    for (const connection of this.#fx.connections) if (connection.isOpen) pending += this.trades.pending(connection.id, this.ticks)
    return pending
  }

  /** The next depth snapshot of `symbol` is answered with `fault`. */
  armSnapshotFault(symbol: string, fault: SnapshotFault): void {
    this.#state(symbol).armed.push(fault)
  }

  /** Snapshot faults armed but not served yet. */
  get pendingSnapshotFaults(): number {
    let pending = 0
    for (const state of this.#states.values()) pending += state.armed.length
    return pending
  }

  /**
   * The next connection first gets every frame since `ticks` ticks ago again (a server replaying
   * its buffer on resume): those the client already has, then those it missed, up to the live
   * stream. Contiguous with what follows, as a real stream is (the feed checks every trade
   * against the one before it, so any hole here would be a fault of its own; trades skipped on
   * purpose are {@link TradeFaults}').
   */
  replayOnNextConnection(ticks: number): void {
    this.#replayFrom = Math.max(1, this.ticks - ticks + 1)
  }

  /** True while a replay is armed and no connection has taken it yet. */
  get replayPending(): boolean {
    return this.#replayFrom > 0
  }

  /** Resolves once `predicate()` holds, checked now and after every tick; rejects when it throws. */
  untilTick(predicate: () => boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        let done: boolean
        try {
          done = predicate()
        } catch (error) {
          this.#tickWaiters.delete(check)
          reject(error as Error)
          return
        }
        if (done) {
          this.#tickWaiters.delete(check)
          resolve()
        }
      }
      this.#tickWaiters.add(check)
      check()
    })
  }

  /** Resolves after `n` more ticks. */
  afterTicks(n: number): Promise<void> {
    const target = this.ticks + n
    return this.untilTick(() => this.ticks >= target)
  }

  tick(): void {
    this.ticks++
    const frames: Frame[] = []
    const prng = this.#options.prng
    for (const state of this.#states.values()) {
      for (let n = prng.int(0, 2); n > 0; n--) {
        const id = ++state.tradeId
        const { price, quantity, buyerIsMaker } = tradeAt(id)
        frames.push({ symbol: state.symbol, trade: id, text: JSON.stringify(tradeFrame(state.symbol, id, price, quantity, buyerIsMaker)) })
      }
      frames.push(this.#depthEvent(state, prng.int(1, 3)))
    }
    this.#recent.push({ tick: this.ticks, frames })
    if (this.#recent.length > RECENT_TICKS) this.#recent.shift()
    for (const connection of this.#fx.connections) {
      if (connection.isOpen) this.#send(connection, frames)
    }
    for (const check of [...this.#tickWaiters]) check()
  }

  stop(): void {
    clearInterval(this.#timer)
    this.#tickWaiters.clear()
    // A held answer must not keep the fake server's socket open.
    this.trades.release()
  }

  /** `count` update ids of `state`, one random change each, as one depth event with the net levels. */
  #depthEvent(state: SymbolState, count: number): Frame {
    const prng = this.#options.prng
    const first = state.updateId + 1
    const bids = new Map<number, number>()
    const asks = new Map<number, number>()
    for (let i = 0; i < count; i++) {
      const id = ++state.updateId
      state.history.push(applyRandomUpdate(state, id, prng, { bids, asks }))
    }
    bids.set(CLOCK_PRICE, state.updateId)
    state.lastEventFirst = first
    return {
      symbol: state.symbol,
      text: JSON.stringify(depthFrame(state.symbol, first, state.updateId, levelStrings(bids), levelStrings(asks))),
      depth: { first, final: state.updateId },
    }
  }

  #send(connection: FakeConnection, frames: readonly Frame[]): void {
    const newest = connection === this.#fx.connections.at(-1)
    const drops = this.#drops.get(connection.id)
    for (const frame of frames) {
      if (frame.depth !== undefined) {
        const state = this.#state(frame.symbol)
        if (drops?.delete(frame.symbol) === true) {
          this.dropped.push({ symbol: frame.symbol, connectionId: connection.id, ...frame.depth })
          // The client's book sync can only be buffering from the event after the hole now.
          if (newest) state.streamStart = frame.depth.final + 1
          continue
        }
      }
      this.#sendFrame(connection, frame)
    }
  }

  #sendFrame(connection: FakeConnection, frame: Frame): void {
    if (frame.trade === undefined) {
      connection.send(frame.text)
      return
    }
    const isNew = frame.trade > (this.#lastSentTrade.get(frame.symbol) ?? 0)
    if (connection.isOpen && !connection.isStalled && this.trades.skips(connection.id, frame.symbol, frame.trade, isNew, this.ticks)) return
    const before = connection.sentCount
    connection.send(frame.text)
    // Counted only when it went out (a closing or stalled connection sends nothing).
    if (connection.sentCount === before) return
    if (!isNew) this.duplicateTradesSent++
    else this.#lastSentTrade.set(frame.symbol, frame.trade)
    const marker = this.trades.afterSent(connection.id, frame.symbol)
    if (marker !== undefined) connection.send(marker)
  }

  #replayTo(connection: FakeConnection): void {
    const from = this.#replayFrom
    this.#replayFrom = 0
    // A new connection's stream starts with the next tick's events (or with the replay).
    for (const state of this.#states.values()) state.streamStart = state.updateId + 1
    if (from === 0) return
    const frames = this.#recent.filter((entry) => entry.tick >= from).flatMap((entry) => entry.frames)
    for (const state of this.#states.values()) {
      const firstDepth = frames.find((f) => f.symbol === state.symbol && f.depth !== undefined)
      if (firstDepth?.depth !== undefined) state.streamStart = firstDepth.depth.first
    }
    for (const frame of frames) this.#sendFrame(connection, frame)
  }

  #depth(state: SymbolState): RestResponse | Promise<RestResponse> {
    const fault = state.armed.shift()
    if (fault !== undefined) this.snapshotFaultsServed.push({ symbol: state.symbol, fault })
    const rest = this.#options.restPrng
    switch (fault) {
      case '429':
        return { status: 429, headers: { 'Retry-After': '0.05' }, body: { code: -1003, msg: 'Too many requests.' } }
      case '500':
        return { status: 500, body: { code: -1000, msg: 'An unknown error occurred.' } }
      case '503':
        return { status: 503, headers: { 'Retry-After': '0.02' }, body: { code: -1008, msg: 'Server is currently overloaded.' } }
      case 'delay': {
        const body = this.#snapshot(state, state.updateId)
        return this.afterTicks(rest.int(3, 20)).then(() => ({ body }))
      }
      case 'stale': {
        // Strictly before the first event the client can be buffering: `lastUpdateId + 1 < U`.
        let lastUpdateId = state.streamStart - 1 - rest.int(1, 8)
        while (state.served.has(lastUpdateId)) lastUpdateId--
        if (lastUpdateId >= state.firstUpdate) {
          this.staleServed.push({ symbol: state.symbol, lastUpdateId })
          return { body: this.#snapshot(state, lastUpdateId) }
        }
        break
      }
      case undefined:
        break
    }
    // Binance's snapshot can be taken in the middle of a depth event's id range (the
    // sync's `U <= lastUpdateId + 1 <= u` rule exists for that), so pick any id of the latest event.
    return { body: this.#snapshot(state, rest.int(state.lastEventFirst, state.updateId)) }
  }

  #snapshot(state: SymbolState, id: number): ReturnType<typeof snapshotBody> {
    state.served.add(id)
    const book = this.bookAt(state.symbol, id)
    return snapshotBody(id, levelStrings(book.bids), levelStrings(book.asks))
  }

  #state(symbol: string | null): SymbolState {
    const state = this.#states.get(symbol ?? '')
    if (state === undefined) throw new Error(`unknown symbol ${symbol}`)
    return state
  }
}
