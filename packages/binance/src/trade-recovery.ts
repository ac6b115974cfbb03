/**
 * Recovers trades missed between connections from REST, so consumers get
 * every trade id once, in order. While a symbol's hole is being filled its
 * live trades are held; then the recovered trades go out in id order,
 * followed by the held ones. Ids the exchange does not return (or that a
 * failed request could not fetch) become one `status: 'gap'` per range.
 * See https://developers.binance.com/docs/binance-spot-api-docs/rest-api/market-data-endpoints
 * ("Old trade lookup": `fromId` inclusive, at most 1000 rows, weight 25).
 */
import { nowMicros } from '@dccd/core'
import type { Logger, MarketEvent, TradeEvent } from '@dccd/core'
import { parseHistoricalTrade } from './parse.js'
import { EXCHANGE_ID } from './symbols.js'
import { MAX_HISTORICAL_TRADES_LIMIT } from './weight.js'
import type { BinanceHistoricalTrade } from './wire.js'

/** Trade ids `fromId`..`toId` (inclusive) to fetch. */
interface Hole {
  readonly fromId: number
  readonly toId: number
}

/** What {@link TradeRecovery} needs from its feed. */
export interface TradeRecoveryHost {
  readonly logger: Logger
  /** `GET /api/v3/historicalTrades` inside the REST weight budget. */
  fetchTrades(symbol: string, fromId: number, limit: number): Promise<BinanceHistoricalTrade[]>
  /** Emit an event (recovered trades, held trades, gap markers). */
  push(event: MarketEvent): void
}

/** Per-symbol queues of held trades and holes still to fill. */
export class TradeRecovery {
  readonly #host: TradeRecoveryHost
  /** Present while a symbol recovers: held live trades and holes, in stream order. */
  readonly #queues = new Map<string, (TradeEvent | Hole)[]>()
  #stopped = false

  constructor(host: TradeRecoveryHost) {
    this.#host = host
  }

  /** True while `symbol`'s live trades must be held (call {@link hold} instead of emitting). */
  holding(symbol: string): boolean {
    return this.#queues.has(symbol)
  }

  /** Keep a live (already de-duplicated) trade until the holes before it are filled. */
  hold(trade: TradeEvent): void {
    this.#queues.get(trade.symbol)?.push(trade)
  }

  /** Trades `fromId`..`toId` of `symbol` were missed: fetch them before anything that arrives from now on. */
  recover(symbol: string, fromId: number, toId: number): void {
    if (this.#stopped) return
    const queue = this.#queues.get(symbol)
    if (queue !== undefined) {
      queue.push({ fromId, toId })
      return
    }
    this.#queues.set(symbol, [{ fromId, toId }])
    void this.#drain(symbol)
  }

  /** Drop everything held; answers still in flight are ignored. */
  stop(): void {
    this.#stopped = true
    this.#queues.clear()
  }

  async #drain(symbol: string): Promise<void> {
    const queue = this.#queues.get(symbol)!
    while (queue.length > 0) {
      const head = queue[0]!
      if ('type' in head) {
        this.#host.push(queue.shift() as TradeEvent)
        continue
      }
      const events = await this.#fill(symbol, head)
      if (this.#stopped) return
      queue.shift()
      for (const event of events) this.#host.push(event)
    }
    this.#queues.delete(symbol)
  }

  /** The hole's trades in id order, with a gap marker for every range that could not be fetched. Never rejects. */
  async #fill(symbol: string, hole: Hole): Promise<MarketEvent[]> {
    const out: MarketEvent[] = []
    let next = hole.fromId
    let reason = 'not returned by GET /api/v3/historicalTrades'
    try {
      while (next <= hole.toId) {
        const limit = Math.min(MAX_HISTORICAL_TRADES_LIMIT, hole.toId - next + 1)
        const rows = await this.#host.fetchTrades(symbol, next, limit)
        const start = next
        const now = nowMicros()
        for (const row of [...rows].sort((a, b) => a.id - b.id)) {
          if (row.id < next || row.id > hole.toId) continue
          if (row.id > next) out.push(gap(symbol, next, row.id - 1, reason, now))
          out.push(parseHistoricalTrade(symbol, row, now))
          next = row.id + 1
        }
        if (next === start) break // nothing new: the exchange no longer has these ids
      }
    } catch (error) {
      reason = `GET /api/v3/historicalTrades failed: ${error instanceof Error ? error.message : String(error)}`
      if (!this.#stopped) this.#host.logger.warn('trade recovery failed', { symbol, fromId: next, toId: hole.toId, error: reason })
    }
    if (next <= hole.toId) out.push(gap(symbol, next, hole.toId, reason, nowMicros()))
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
