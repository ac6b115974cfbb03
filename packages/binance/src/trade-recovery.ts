/**
 * Recovers trades missed between connections from REST, so consumers get
 * every trade id once, in order. While a symbol's hole is being filled its
 * live trades are held; then the recovered trades go out in id order,
 * followed by the held ones. Ids the exchange does not return (or that a
 * failed request could not fetch) become one `status: 'gap'` per range.
 *
 * Both sides are bounded by `maxRecoveredTrades`: a hole recovers at most that
 * many ids (the oldest, right after the last good trade; the newer rest is one
 * gap), and at most that many live trades are held per symbol (when they pile
 * up faster than REST can fill the hole, recovery stops where it is, the rest
 * becomes a gap and the held trades go out).
 * See https://developers.binance.com/docs/binance-spot-api-docs/rest-api/market-data-endpoints
 * ("Old trade lookup": `fromId` inclusive, at most 1000 rows, weight 25).
 */
import { nowMicros } from '@dccd/core'
import type { Logger, MarketEvent, TradeEvent } from '@dccd/core'
import { parseHistoricalTrade } from './parse.js'
import { EXCHANGE_ID } from './symbols.js'
import { MAX_HISTORICAL_TRADES_LIMIT } from './weight.js'
import type { BinanceHistoricalTrade } from './wire.js'

/** Trade ids `fromId`..`toId` (inclusive) missed; only `fromId`..`lastFetched` are fetched. */
interface Hole {
  readonly fromId: number
  readonly toId: number
  /** Last id to fetch: `toId`, or less when the hole is larger than the cap. */
  readonly lastFetched: number
  /** First id not emitted yet (as a trade or inside a gap). */
  next: number
}

/** One recovering symbol. */
interface SymbolQueue {
  /** Held live trades and holes, in stream order; `items[head]` goes out next. */
  items: (TradeEvent | Hole)[]
  head: number
  /** Held live trades in `items` from `head` on. */
  held: number
}

/** What {@link TradeRecovery} needs from its feed. */
export interface TradeRecoveryHost {
  readonly logger: Logger
  /** `GET /api/v3/historicalTrades` inside the REST weight budget. */
  fetchTrades(symbol: string, fromId: number, limit: number): Promise<BinanceHistoricalTrade[]>
  /** Emit an event (recovered trades, held trades, gap markers). */
  push(event: MarketEvent): void
}

/** Options of {@link TradeRecovery}. */
export interface TradeRecoveryOptions {
  /** Most ids fetched per hole, and most live trades held per symbol, ≥ 1 (the `maxRecoveredTrades` option). */
  readonly maxTrades: number
}

/** Per-symbol queues of held trades and holes still to fill. */
export class TradeRecovery {
  readonly #host: TradeRecoveryHost
  readonly #maxTrades: number
  /** Present while a symbol recovers; replaced or removed when it stops (an answer in flight then sees it is stale). */
  readonly #queues = new Map<string, SymbolQueue>()
  #stopped = false

  constructor(host: TradeRecoveryHost, options: TradeRecoveryOptions) {
    this.#host = host
    this.#maxTrades = options.maxTrades
  }

  /** True while `symbol`'s live trades must be held (call {@link hold} instead of emitting). */
  holding(symbol: string): boolean {
    return this.#queues.has(symbol)
  }

  /**
   * Keep a live (already de-duplicated) trade until the holes before it are filled.
   * When this makes `maxTrades` held, recovery of the symbol is abandoned: what was
   * not fetched yet goes to `out` as gaps, in place, with every held trade.
   */
  hold(trade: TradeEvent, out: MarketEvent[]): void {
    const queue = this.#queues.get(trade.symbol)
    if (queue === undefined) return
    queue.items.push(trade)
    if (++queue.held >= this.#maxTrades) this.#abandon(trade.symbol, queue, out)
  }

  /** Trades `fromId`..`toId` of `symbol` were missed: fetch them before anything that arrives from now on. */
  recover(symbol: string, fromId: number, toId: number): void {
    if (this.#stopped) return
    const hole: Hole = { fromId, toId, lastFetched: Math.min(toId, fromId + this.#maxTrades - 1), next: fromId }
    if (hole.lastFetched < toId) {
      this.#host.logger.warn('trade hole larger than maxRecoveredTrades; recovering its oldest part only', {
        symbol,
        fromId,
        toId,
        recovering: this.#maxTrades,
      })
    }
    const queue = this.#queues.get(symbol)
    if (queue !== undefined) {
      queue.items.push(hole)
      return
    }
    const fresh: SymbolQueue = { items: [hole], head: 0, held: 0 }
    this.#queues.set(symbol, fresh)
    void this.#drain(symbol, fresh)
  }

  /** Drop everything held; answers still in flight are ignored. */
  stop(): void {
    this.#stopped = true
    this.#queues.clear()
  }

  /** `queue` is still the one in force for `symbol` (not stopped, abandoned or replaced). */
  #current(symbol: string, queue: SymbolQueue): boolean {
    return !this.#stopped && this.#queues.get(symbol) === queue
  }

  async #drain(symbol: string, queue: SymbolQueue): Promise<void> {
    while (queue.head < queue.items.length) {
      const item = queue.items[queue.head]!
      if ('type' in item) {
        queue.head++
        queue.held--
        this.#host.push(item)
        continue
      }
      // Let trades already emitted be collected while this hole is fetched (an index, not
      // `shift()`, which is O(n) per call on large arrays).
      if (queue.head > 0) {
        queue.items.splice(0, queue.head)
        queue.head = 0
      }
      if (!(await this.#fill(symbol, item, queue))) return
      queue.head++
    }
    this.#queues.delete(symbol)
  }

  /**
   * Emits the hole's trades in id order, page by page, with a gap marker for every range that
   * could not be fetched. False when `queue` stopped being current meanwhile. Never rejects.
   */
  async #fill(symbol: string, hole: Hole, queue: SymbolQueue): Promise<boolean> {
    let reason = 'not returned by GET /api/v3/historicalTrades'
    try {
      while (hole.next <= hole.lastFetched) {
        const start = hole.next
        const limit = Math.min(MAX_HISTORICAL_TRADES_LIMIT, hole.lastFetched - start + 1)
        const rows = await this.#host.fetchTrades(symbol, start, limit)
        if (!this.#current(symbol, queue)) return false
        const now = nowMicros()
        for (const row of [...rows].sort((a, b) => a.id - b.id)) {
          if (row.id < hole.next || row.id > hole.lastFetched) continue
          if (row.id > hole.next) this.#host.push(gap(symbol, hole.next, row.id - 1, reason, now))
          this.#host.push(parseHistoricalTrade(symbol, row, now))
          hole.next = row.id + 1
        }
        if (hole.next === start) break // nothing new: the exchange no longer has these ids
      }
    } catch (error) {
      if (!this.#current(symbol, queue)) return false
      reason = `GET /api/v3/historicalTrades failed: ${error instanceof Error ? error.message : String(error)}`
      this.#host.logger.warn('trade recovery failed', { symbol, fromId: hole.next, toId: hole.toId, error: reason })
    }
    for (const event of this.#unrecovered(symbol, hole, reason)) this.#host.push(event)
    return true
  }

  /** Stop recovering `symbol`: everything queued goes to `out` now, unfetched ids as gaps. */
  #abandon(symbol: string, queue: SymbolQueue, out: MarketEvent[]): void {
    this.#queues.delete(symbol)
    const reason = `recovery abandoned: ${queue.held} live trades held meanwhile (maxRecoveredTrades is ${this.#maxTrades})`
    this.#host.logger.warn('trade recovery abandoned; live trades held too long', { symbol, held: queue.held })
    for (let i = queue.head; i < queue.items.length; i++) {
      const item = queue.items[i]!
      if ('type' in item) out.push(item)
      else out.push(...this.#unrecovered(symbol, item, reason))
    }
  }

  /**
   * Gaps for the hole's ids not emitted yet: up to `lastFetched` for `reason`; the
   * rest because the hole is larger than the cap.
   */
  #unrecovered(symbol: string, hole: Hole, reason: string): MarketEvent[] {
    const out: MarketEvent[] = []
    const now = nowMicros()
    if (hole.next <= hole.lastFetched) out.push(gap(symbol, hole.next, hole.lastFetched, reason, now))
    if (hole.lastFetched < hole.toId) {
      const size = hole.toId - hole.fromId + 1
      const capReason = `not recovered: maxRecoveredTrades (${this.#maxTrades}) reached; the hole ${hole.fromId}..${hole.toId} has ${size} trades and only its first ${this.#maxTrades} are fetched`
      out.push(gap(symbol, hole.lastFetched + 1, hole.toId, capReason, now))
    }
    hole.next = hole.toId + 1
    return out
  }
}

/** The `status: 'gap'` marker for trade ids `fromId`..`toId` of `symbol`. */
export function gap(symbol: string, fromId: number, toId: number, reason: string, localTimestamp: number): MarketEvent {
  return {
    type: 'status',
    exchange: EXCHANGE_ID,
    status: 'gap',
    symbol,
    channel: 'trades',
    reason,
    fromId: String(fromId),
    toId: String(toId),
    localTimestamp,
  }
}
