/**
 * Trade continuity for venues whose trade ids grow by one per symbol
 * (Binance `t`, Kraken v2 `trade_id`). Every trade is compared with the last
 * one received for its symbol — one comparison — so a trade lost anywhere
 * (between connections, in an unreadable frame, or skipped on a healthy
 * socket) shows up as a hole at the very next trade, and a trade seen twice
 * (rotation overlap, a snapshot replayed on resubscribe) is dropped.
 *
 * A hole is recovered from the exchange's history when the adapter gives a
 * {@link TradeHistorySource}: the symbol's later live trades are held, the
 * recovered trades go out in id order, then the held ones. Ids nobody could
 * supply become exactly one `status: 'gap'` per range, in stream order. A new
 * hole found while one is being recovered queues behind it (it is detected
 * when its trade arrives, like any other), so holes never hide each other.
 *
 * Bounded both ways by `maxRecoveredTrades`: a hole recovers at most that many
 * ids (its oldest; the newer rest is one gap naming the option), and at most
 * that many live trades are held per symbol (then recovery stops where it is,
 * the unfetched ids become gaps, and the held trades go out).
 *
 * The rule (which venue's ids are consecutive) belongs to the adapter; the
 * mechanism is shared so every adapter enforces it the same way.
 */
import { FeedStoppedError } from './errors.js'
import type { MarketEvent, TradeEvent } from './events.js'
import type { Logger } from './logger.js'
import { silentLogger } from './logger.js'
import { tradeGapEvent } from './status.js'

/** Trade ids `fromId`..`toId` (inclusive) of one symbol that must be fetched. */
export interface TradeHole {
  readonly symbol: string
  readonly fromId: number
  readonly toId: number
  /** Exchange time of the last trade received before the hole, µs (for venues that page history by time). */
  readonly afterTimestamp: number
}

/** Where missed trades come from: an exchange's trade history (REST). */
export interface TradeHistorySource {
  /** Names the endpoint in gap reasons, e.g. `GET /api/v3/historicalTrades`. */
  readonly name: string
  /**
   * Pages of trades covering `hole`, each ascending by id (ids outside the hole
   * are ignored). Ends when the hole is covered or the venue has nothing more;
   * throws (rejects) on failure. Iteration stops early once the hole is filled.
   */
  fetch(hole: TradeHole, signal: AbortSignal): AsyncIterable<readonly TradeEvent[]>
}

/** Options of {@link TradeContinuity}. */
export interface TradeContinuityOptions {
  /** Exchange id, for gap markers. */
  readonly exchange: string
  /** Where holes are recovered from; undefined: a hole is only reported as a gap. */
  readonly history?: TradeHistorySource
  /** Most ids recovered per hole and most live trades held per symbol meanwhile; 0: recover nothing. */
  readonly maxRecoveredTrades: number
  /** The reason of a gap reported without trying to recover it (recovery off or `maxRecoveredTrades` 0). */
  readonly unrecoveredReason: string
  /** Emits events produced after a recovery answered (outside any frame): recovered, released and gap events. */
  readonly emit: (event: MarketEvent) => void
  readonly logger?: Logger
}

/** The last trade received for a symbol. */
export interface TradePosition {
  /** Trade id. */
  readonly id: number
  /** Its exchange time, µs. */
  readonly timestamp: number
}

/** A hole waiting in (or being fetched for) a symbol's queue. */
interface Hole {
  readonly fromId: number
  readonly toId: number
  /** Last id fetched: `toId`, or less when the hole is larger than the cap. */
  readonly lastFetched: number
  readonly afterTimestamp: number
  /** First id not emitted yet, as a trade or inside a gap. */
  next: number
}

/** A symbol's held trades and holes, in stream order; `items[head]` goes out next. */
interface Queue {
  items: (TradeEvent | Hole)[]
  head: number
  /** Held live trades from `head` on. */
  held: number
}

interface SymbolState {
  /** Last id received: emitted, held, or inside a hole already queued or reported. */
  lastId: number
  /** Its exchange time, µs. */
  lastTimestamp: number
  /** Present while the symbol recovers; replaced or removed when it stops (an answer in flight then sees it is stale). */
  queue: Queue | undefined
}

const isTrade = (item: TradeEvent | Hole): item is TradeEvent => 'type' in item

/**
 * @example
 * const trades = new TradeContinuity({ exchange: 'binance', history, maxRecoveredTrades: 100_000,
 *   unrecoveredReason: 'trade recovery is off', emit: (event) => push(event) })
 * // in parseMessage: for each trade, in stream order
 * trades.accept(trade, out)
 */
export class TradeContinuity {
  /** Trades dropped because their id was not after the last one received. */
  duplicates = 0
  readonly #options: TradeContinuityOptions
  readonly #logger: Logger
  readonly #symbols = new Map<string, SymbolState>()
  readonly #abort = new AbortController()

  constructor(options: TradeContinuityOptions) {
    this.#options = options
    this.#logger = options.logger ?? silentLogger
  }

  /**
   * One live trade, in stream order. Appends what may go out now to `out`: the
   * trade (unless it is a duplicate or held behind a recovery) and, when
   * nothing can recover a hole, the gap marker before it. Its id must be an
   * integer; the first trade of a symbol starts its continuity.
   */
  accept(trade: TradeEvent, out: MarketEvent[]): void {
    const id = Number(trade.id)
    const state = this.#symbols.get(trade.symbol)
    if (state === undefined) {
      this.#symbols.set(trade.symbol, { lastId: id, lastTimestamp: trade.timestamp, queue: undefined })
      out.push(trade)
      return
    }
    // Written so an unreadable id (NaN) is a duplicate, never a hole of unknown size.
    if (!(id > state.lastId)) {
      this.duplicates++
      return
    }
    if (id !== state.lastId + 1) this.#hole(trade.symbol, state, id - 1, trade.localTimestamp, out)
    state.lastId = id
    state.lastTimestamp = trade.timestamp
    const queue = state.queue
    if (queue === undefined) {
      out.push(trade)
      return
    }
    queue.items.push(trade)
    if (++queue.held >= this.#options.maxRecoveredTrades) this.#abandon(trade.symbol, state, out)
  }

  /** True once `symbol` has had a trade (its continuity has started). */
  has(symbol: string): boolean {
    return this.#symbols.has(symbol)
  }

  /** True while `symbol` has a hole being recovered (its live trades are held). */
  recovering(symbol: string): boolean {
    return this.#symbols.get(symbol)?.queue !== undefined
  }

  /** The last trade received for `symbol` (emitted, held, or accounted for by a gap). */
  position(symbol: string): TradePosition | undefined {
    const state = this.#symbols.get(symbol)
    return state === undefined ? undefined : { id: state.lastId, timestamp: state.lastTimestamp }
  }

  /** Drops everything held and cancels recoveries; answers still in flight are ignored. */
  stop(): void {
    this.#abort.abort(new FeedStoppedError(this.#options.exchange))
    for (const state of this.#symbols.values()) state.queue = undefined
  }

  /** Ids after `state.lastId` up to `toId` are missing: queue them for recovery, or report them. */
  #hole(symbol: string, state: SymbolState, toId: number, localTimestamp: number, out: MarketEvent[]): void {
    const fromId = state.lastId + 1
    const max = this.#options.maxRecoveredTrades
    if (this.#options.history === undefined || max <= 0) {
      out.push(tradeGapEvent(this.#options.exchange, symbol, fromId, toId, this.#options.unrecoveredReason, localTimestamp))
      return
    }
    const hole: Hole = { fromId, toId, lastFetched: Math.min(toId, fromId + max - 1), afterTimestamp: state.lastTimestamp, next: fromId }
    if (hole.lastFetched < toId) {
      this.#logger.warn('trade hole larger than maxRecoveredTrades; recovering its oldest part only', {
        symbol,
        fromId,
        toId,
        recovering: max,
      })
    }
    if (state.queue !== undefined) {
      state.queue.items.push(hole)
      return
    }
    const queue: Queue = { items: [hole], head: 0, held: 0 }
    state.queue = queue
    void this.#drain(symbol, state, queue)
  }

  /** Works through a symbol's queue: fills each hole, releases held trades, then ends the recovery. */
  async #drain(symbol: string, state: SymbolState, queue: Queue): Promise<void> {
    while (queue.head < queue.items.length) {
      const item = queue.items[queue.head]!
      if (isTrade(item)) {
        queue.head++
        queue.held--
        this.#options.emit(item)
        continue
      }
      // Let what went out be collected while this hole is fetched (an index, not `shift()`,
      // which is O(n) per call: 100,000 held trades took seconds to release that way).
      if (queue.head > 0) {
        queue.items.splice(0, queue.head)
        queue.head = 0
      }
      const filled = await this.#fill(symbol, item, state, queue)
      // The symbol may have been abandoned between the fill's end and here: its held trades went out then.
      if (!filled || state.queue !== queue) return
      queue.head++
    }
    state.queue = undefined
  }

  /**
   * Emits the hole's trades in id order, page by page, with a gap for every range not
   * returned or not fetched. False when the recovery stopped being current meanwhile
   * (abandoned or stopped). Never rejects.
   */
  async #fill(symbol: string, hole: Hole, state: SymbolState, queue: Queue): Promise<boolean> {
    const source = this.#options.history!
    const emit = this.#options.emit
    let reason = `not returned by ${source.name}`
    try {
      const request: TradeHole = { symbol, fromId: hole.next, toId: hole.lastFetched, afterTimestamp: hole.afterTimestamp }
      for await (const page of source.fetch(request, this.#abort.signal)) {
        if (state.queue !== queue) return false
        for (const trade of ascending(page)) {
          const id = Number(trade.id)
          if (!(id >= hole.next) || id > hole.lastFetched) continue
          if (id > hole.next) emit(tradeGapEvent(this.#options.exchange, symbol, hole.next, id - 1, reason, trade.localTimestamp))
          emit(trade)
          hole.next = id + 1
        }
        if (hole.next > hole.lastFetched) break
      }
    } catch (error) {
      if (state.queue !== queue) return false
      reason = `${source.name} failed: ${error instanceof Error ? error.message : String(error)}`
      this.#logger.warn('trade recovery failed', { symbol, fromId: hole.next, toId: hole.toId, error: reason })
    }
    if (state.queue !== queue) return false
    for (const event of this.#unrecovered(symbol, hole, reason)) emit(event)
    return true
  }

  /** Too many live trades held: everything queued goes to `out` now, the unfetched ids as gaps. */
  #abandon(symbol: string, state: SymbolState, out: MarketEvent[]): void {
    const queue = state.queue!
    state.queue = undefined
    const max = this.#options.maxRecoveredTrades
    const reason = `recovery abandoned: ${queue.held} live trades held meanwhile (maxRecoveredTrades is ${max})`
    this.#logger.warn('trade recovery abandoned; live trades held too long', { symbol, held: queue.held })
    for (let i = queue.head; i < queue.items.length; i++) {
      const item = queue.items[i]!
      if (isTrade(item)) out.push(item)
      else out.push(...this.#unrecovered(symbol, item, reason))
    }
  }

  /** Gaps for the hole's ids not emitted yet: up to `lastFetched` for `reason`; the rest for the cap. */
  #unrecovered(symbol: string, hole: Hole, reason: string): MarketEvent[] {
    const exchange = this.#options.exchange
    const out: MarketEvent[] = []
    if (hole.next <= hole.lastFetched) out.push(tradeGapEvent(exchange, symbol, hole.next, hole.lastFetched, reason))
    if (hole.lastFetched < hole.toId) {
      const max = this.#options.maxRecoveredTrades
      const size = hole.toId - hole.fromId + 1
      const capReason = `not recovered: maxRecoveredTrades (${max}) reached; the hole ${hole.fromId}..${hole.toId} has ${size} trades and only its first ${max} are fetched`
      out.push(tradeGapEvent(exchange, symbol, hole.lastFetched + 1, hole.toId, capReason))
    }
    hole.next = hole.toId + 1
    return out
  }
}

/** The page itself when already ascending by id (the usual case), else a sorted copy. */
function ascending(page: readonly TradeEvent[]): readonly TradeEvent[] {
  for (let i = 1; i < page.length; i++) {
    if (Number(page[i]!.id) < Number(page[i - 1]!.id)) return [...page].sort((a, b) => Number(a.id) - Number(b.id))
  }
  return page
}
