/**
 * Binance's trade continuity rule and its recovery endpoint.
 *
 * Rule: `@trade` ids (`t`) grow by exactly one per symbol, so every trade is
 * checked against the one before it (core's `TradeContinuity`): a jump is a
 * hole whether it happened across a reconnect, in an unreadable frame, or on
 * a healthy socket that skipped a frame. Binance's documents do not promise
 * the +1 step in words, but ids are per-symbol counters and the REST
 * endpoint below is addressed by them.
 *
 * Recovery: `GET /api/v3/historicalTrades` ("Old trade lookup": `fromId`
 * inclusive, at most 1000 rows, weight 25), paged by id inside the feed's
 * REST weight budget. The backfill (`history.ts`) pages the same way.
 * See https://developers.binance.com/docs/binance-spot-api-docs/rest-api/market-data-endpoints
 */
import { nowMicros } from '@dccd/core'
import type { TradeEvent, TradeHistorySource } from '@dccd/core'
import { parseHistoricalTrade } from './parse.js'
import { MAX_HISTORICAL_TRADES_LIMIT } from './rest.js'
import type { BinanceHistoricalTrade } from './wire.js'

/** Fetches one page: up to `limit` trades of `symbol` from `fromId` (inclusive), ascending. */
export type HistoricalTradesPage = (symbol: string, fromId: number, limit: number, signal: AbortSignal) => Promise<BinanceHistoricalTrade[]>

/** Names the endpoint in gap reasons. */
export const HISTORICAL_TRADES_SOURCE = 'GET /api/v3/historicalTrades'

/** The history source `TradeContinuity` recovers Binance holes from. */
export function historicalTradesSource(fetchPage: HistoricalTradesPage): TradeHistorySource {
  return {
    name: HISTORICAL_TRADES_SOURCE,
    fetch: (hole, signal) => tradePages(fetchPage, hole.symbol, hole.fromId, hole.toId, signal),
  }
}

/**
 * Pages of `symbol`'s trades from id `fromId` (inclusive) up to `toId`, ascending, 1000 per request
 * (fewer for the last page of a bounded range). Ends at `toId`, or when Binance returns nothing at or
 * after the next id (it has no more: the present, or ids it no longer serves). Live recovery and the
 * backfill (`toId` = Infinity, stopped by its consumer) page the same way.
 */
export async function* tradePages(
  fetchPage: HistoricalTradesPage,
  symbol: string,
  fromId: number,
  toId: number,
  signal: AbortSignal,
): AsyncGenerator<TradeEvent[]> {
  while (fromId <= toId) {
    const rows = await fetchPage(symbol, fromId, Math.min(MAX_HISTORICAL_TRADES_LIMIT, toId - fromId + 1), signal)
    const now = nowMicros()
    let last = fromId - 1
    const trades = rows.map((row) => {
      const trade = parseHistoricalTrade(symbol, row, now)
      if (row.id > last) last = row.id
      return trade
    })
    yield trades
    // Nothing at or after fromId: Binance no longer has these ids.
    if (last < fromId) return
    fromId = last + 1
  }
}
