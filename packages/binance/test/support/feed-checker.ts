/**
 * Checks a feed's events against a seeded market (the spot {@link ChaosMarket},
 * the COIN-M `CoinmMarket`) as they are read, so a violation fails at the
 * event that shows it (with the events before it):
 *
 * - Books are never silently wrong: replayed into a fresh `OrderBook` (reset on
 *   each snapshot), the book after every book event equals the market's true book
 *   at that event's last update id (its clock level); delta ids strictly increase;
 *   after a `resync` (or a `disconnected`) no delta comes before the next snapshot.
 * - Trades are never silently lost or duplicated: per symbol, from the first trade
 *   on, each trade or `gap` continues exactly where the last one ended (so every id
 *   is emitted once or lies in exactly one gap), and every trade matches the market's.
 */
import { OrderBook } from '@dccd/core'
import type { BookEvent, MarketEvent, StatusEvent, TradeEvent } from '@dccd/core'
import { CLOCK_PRICE, tradeAt } from './chaos-market.js'
import { FRAME_TIME_MS } from './frames.js'
import type { TrueBook } from './chaos-market.js'
import { summary } from './reader.js'

/** What the checker asks of the market it checks against. */
export interface CheckedMarket {
  /** The true book right after update `id` of `symbol` (the id a book event's clock level names). */
  bookAt(symbol: string, id: number): TrueBook
  /** Latest update id and trade id of `symbol`. */
  updateId(symbol: string): number
  tradeId(symbol: string): number
  /** The trades of `symbol` skipped on the wire, for failure messages. */
  droppedTrades(symbol: string): string[]
}

/** The consumer's view of one symbol's book. */
interface ConsumerBook {
  readonly book: OrderBook
  /** A snapshot was applied and no resync came since. */
  valid: boolean
  /** Update id the book is at (meaningful while valid). */
  id: number
  snapshots: number
  deltas: number
  /** Deltas since the checker's last {@link FeedChecker.mark}. */
  deltasSinceMark: number
}

/** The consumer's view of one symbol's trades. */
interface TradeCoverage {
  /** First id emitted (undefined before the first trade). */
  first: number | undefined
  /** Last id emitted or covered by a gap (undefined before the first trade). */
  covered: number | undefined
  /** Last id emitted as a trade. */
  last: number | undefined
  emitted: number
  sinceMark: number
}

export class FeedChecker {
  /** Every `resync`, with the index of its event. */
  readonly resyncs: Array<{ symbol: string; reason: string; index: number }> = []
  /** Every `gap`. */
  readonly gaps: Array<{ symbol: string; fromId: number; toId: number; reason: string }> = []
  /** `lastUpdateId` of every snapshot emitted, per symbol. */
  readonly snapshotIds = new Map<string, number[]>()
  readonly #market: CheckedMarket
  readonly #label: string
  readonly #exchange: string
  readonly #books = new Map<string, ConsumerBook>()
  readonly #trades = new Map<string, TradeCoverage>()
  #events: readonly MarketEvent[] = []
  #index = 0
  #connected = false
  /** Index of the last `connected` event. */
  #connectedAt = -1
  /** Symbols with a valid book when the connection dropped: each owes a `resync` before anything else. */
  #owingResync = new Set<string>()

  /**
   * @param label names the run in failure messages (e.g. the seed)
   * @param exchange the adapter id every event must carry
   */
  constructor(market: CheckedMarket, symbols: readonly string[], label: string, exchange = 'binance') {
    this.#market = market
    this.#label = label
    this.#exchange = exchange
    for (const symbol of symbols) {
      this.#books.set(symbol, { book: new OrderBook(), valid: false, id: 0, snapshots: 0, deltas: 0, deltasSinceMark: 0 })
      this.#trades.set(symbol, { first: undefined, covered: undefined, last: undefined, emitted: 0, sinceMark: 0 })
      this.snapshotIds.set(symbol, [])
    }
  }

  /** Events checked so far. */
  get checked(): number {
    return this.#index
  }

  /** Checks the events not seen yet. Throws at the first violation. */
  consume(events: readonly MarketEvent[]): void {
    this.#events = events
    for (; this.#index < events.length; this.#index++) this.#check(events[this.#index]!)
  }

  /** Starts counting deltas and trades afresh (after the last fault). */
  mark(): void {
    for (const book of this.#books.values()) book.deltasSinceMark = 0
    for (const trades of this.#trades.values()) trades.sinceMark = 0
  }

  /** Deltas and trades of `symbol` since the mark, the id its book is at (undefined while invalid), its last trade id. */
  progress(symbol: string): { deltas: number; trades: number; bookId: number | undefined; lastTrade: number | undefined } {
    const book = this.#books.get(symbol)!
    const trades = this.#trades.get(symbol)!
    return { deltas: book.deltasSinceMark, trades: trades.sinceMark, bookId: book.valid ? book.id : undefined, lastTrade: trades.last }
  }

  /**
   * True once an event after the latest `connected` was read (and no `disconnected` since):
   * the feed counted that connection as its reconnect (it does so right after `connected`).
   */
  get streaming(): boolean {
    return this.#connected && this.#index > this.#connectedAt + 1
  }

  /** How trade `id` of `symbol` reached the consumer so far: as a trade, inside a gap, or not yet (or before the first trade). */
  tradeOutcome(symbol: string, id: number): 'trade' | 'gap' | 'none' {
    const trades = this.#tradesOf(symbol)
    if (trades.first === undefined || trades.covered === undefined || id < trades.first || id > trades.covered) return 'none'
    return this.gaps.some((g) => g.symbol === symbol && g.fromId <= id && id <= g.toId) ? 'gap' : 'trade'
  }

  /** Whether `symbol`'s book is valid, its snapshot and delta counts. */
  book(symbol: string): { valid: boolean; snapshots: number; deltas: number } {
    const { valid, snapshots, deltas } = this.#books.get(symbol)!
    return { valid, snapshots, deltas }
  }

  /** One line per symbol, for failure messages. */
  describe(): string {
    return [...this.#books.keys()]
      .map((symbol) => {
        const book = this.#books.get(symbol)!
        const trades = this.#trades.get(symbol)!
        const gaps = this.gaps.filter((g) => g.symbol === symbol).map((g) => `${g.fromId}..${g.toId}`)
        const dropped = this.#market.droppedTrades(symbol)
        return (
          `${symbol}: book ${book.valid ? `at ${book.id}` : 'invalid'} (market ${this.#market.updateId(symbol)}), ${book.snapshots} snapshots, ${book.deltas} deltas; ` +
          `trades covered to ${trades.covered} (market ${this.#market.tradeId(symbol)}), gaps [${gaps.join(', ')}], dropped on the wire [${dropped.join(', ')}]`
        )
      })
      .join('; ')
  }

  #check(event: MarketEvent): void {
    if (event.exchange !== this.#exchange) this.#fail(`event of exchange ${event.exchange}`)
    switch (event.type) {
      case 'book':
        return this.#checkBook(event)
      case 'trade':
        return this.#checkTrade(event)
      case 'status':
        return this.#checkStatus(event)
      default:
        return this.#fail(`a ${event.type}, but only books and trades were subscribed`)
    }
  }

  #checkBook(event: BookEvent): void {
    const state = this.#bookOf(event.symbol)
    if (this.#owingResync.has(event.symbol)) this.#fail(`book event for ${event.symbol} after a disconnect, before its resync`)
    const clock = event.bids.find((level) => level.price === CLOCK_PRICE)
    if (clock === undefined) this.#fail(`${event.symbol} book event without the clock level: ${JSON.stringify(event)}`)
    const id = clock.amount
    if (event.isSnapshot) {
      state.book.clear()
      state.valid = true
      state.snapshots++
      this.snapshotIds.get(event.symbol)!.push(id)
    } else {
      if (!state.valid) this.#fail(`${event.symbol} delta (to update ${id}) while the book is invalid (no snapshot since the start or the last resync)`)
      if (id <= state.id) this.#fail(`${event.symbol} delta to update ${id} after the book was at ${state.id} (duplicate or out of order)`)
      state.deltas++
      state.deltasSinceMark++
    }
    state.id = id
    try {
      state.book.apply(event)
    } catch (error) {
      this.#fail(`${event.symbol} book event a consumer's OrderBook rejects (${error instanceof Error ? error.message : String(error)}): ${JSON.stringify(event)}`)
    }
    const expected = this.#market.bookAt(event.symbol, id)
    const actual: TrueBook = {
      bids: [...state.book.bids()].map((level) => [level.price, level.amount] as const),
      asks: [...state.book.asks()].map((level) => [level.price, level.amount] as const),
    }
    if (!sameBook(actual, expected)) {
      this.#fail(
        `${event.symbol} book wrong after ${event.isSnapshot ? 'snapshot' : 'delta'} to update ${id}:\n` +
          `  got      ${JSON.stringify(actual)}\n  expected ${JSON.stringify(expected)}`,
      )
    }
  }

  #checkTrade(event: TradeEvent): void {
    const coverage = this.#tradesOf(event.symbol)
    const id = Number(event.id)
    if (!Number.isSafeInteger(id) || String(id) !== event.id) this.#fail(`${event.symbol} trade with id ${JSON.stringify(event.id)}`)
    if (coverage.covered !== undefined && id !== coverage.covered + 1) {
      this.#fail(
        id <= coverage.covered
          ? `${event.symbol} trade ${id} again or out of order (ids up to ${coverage.covered} already emitted or in a gap)`
          : `${event.symbol} trades ${coverage.covered + 1}..${id - 1} silently lost (trade ${id} follows ${coverage.covered} with no gap marker)`,
      )
    }
    const truth = tradeAt(id)
    const expected = { price: Number(truth.price), amount: Number(truth.quantity), side: truth.buyerIsMaker ? 'sell' : 'buy', timestamp: (FRAME_TIME_MS + id) * 1000 }
    const actual = { price: event.price, amount: event.amount, side: event.side, timestamp: event.timestamp }
    if (JSON.stringify(actual) !== JSON.stringify(expected)) {
      this.#fail(`${event.symbol} trade ${id} is ${JSON.stringify(actual)}, the market's is ${JSON.stringify(expected)}`)
    }
    coverage.first ??= id
    coverage.covered = id
    coverage.last = id
    coverage.emitted++
    coverage.sinceMark++
  }

  #checkStatus(event: StatusEvent): void {
    switch (event.status) {
      case 'connected':
        if (this.#connected) this.#fail('connected twice without a disconnected between')
        if (this.#owingResync.size > 0) this.#fail(`reconnected, but no resync came for ${[...this.#owingResync].join(', ')}`)
        this.#connected = true
        this.#connectedAt = this.#index
        return
      case 'disconnected':
        if (!this.#connected) this.#fail('disconnected while not connected')
        if (!event.reason) this.#fail('disconnected without a reason')
        this.#connected = false
        for (const [symbol, book] of this.#books) if (book.valid) this.#owingResync.add(symbol)
        return
      case 'resync': {
        const symbol = event.symbol ?? this.#fail('resync without a symbol')
        const book = this.#bookOf(symbol)
        if (event.channel !== 'book' || !event.reason) this.#fail(`resync without channel book or a reason: ${JSON.stringify(event)}`)
        // The feed only resyncs a live book; a second marker would mean it lost track of its own state.
        if (!book.valid) this.#fail(`resync for ${symbol} whose book was already invalid`)
        book.valid = false
        this.#owingResync.delete(symbol)
        this.resyncs.push({ symbol, reason: event.reason, index: this.#index })
        return
      }
      case 'gap': {
        const symbol = event.symbol ?? this.#fail('gap without a symbol')
        const coverage = this.#tradesOf(symbol)
        const fromId = Number(event.fromId)
        const toId = Number(event.toId)
        if (event.channel !== 'trades' || !event.reason) this.#fail(`gap without channel trades or a reason: ${JSON.stringify(event)}`)
        if (!(Number.isSafeInteger(fromId) && Number.isSafeInteger(toId) && fromId <= toId)) this.#fail(`gap with ids ${event.fromId}..${event.toId}`)
        if (coverage.covered === undefined) this.#fail(`gap ${fromId}..${toId} of ${symbol} before its first trade`)
        if (fromId !== coverage.covered + 1) {
          this.#fail(`gap ${fromId}..${toId} of ${symbol} does not start right after ${coverage.covered} (overlap or silent loss)`)
        }
        coverage.covered = toId
        this.gaps.push({ symbol, fromId, toId, reason: event.reason })
        return
      }
    }
  }

  #bookOf(symbol: string): ConsumerBook {
    return this.#books.get(symbol) ?? this.#fail(`book event for unknown symbol ${symbol}`)
  }

  #tradesOf(symbol: string): TradeCoverage {
    return this.#trades.get(symbol) ?? this.#fail(`trade for unknown symbol ${symbol}`)
  }

  #fail(message: string): never {
    throw new Error(`${this.#label}, event #${this.#index}: ${message}\n  last events: ${summary(this.#events.slice(0, this.#index + 1))}`)
  }
}

function sameBook(a: TrueBook, b: TrueBook): boolean {
  const same = (x: TrueBook['bids'], y: TrueBook['bids']): boolean =>
    x.length === y.length && x.every((level, i) => level[0] === y[i]![0] && level[1] === y[i]![1])
  return same(a.bids, b.bids) && same(a.asks, b.asks)
}
