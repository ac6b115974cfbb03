/**
 * Binance's trade continuity rule and its recovery endpoints.
 *
 * Rule: every market's trade stream carries a per-symbol id that grows by
 * exactly one, so every trade is checked against the one before it (core's
 * `TradeContinuity`): a jump is a hole whether it happened across a
 * reconnect, in an unreadable frame, or on a healthy socket that skipped a
 * frame. Binance's documents do not promise the +1 step in words, but the
 * ids are per-symbol counters and the REST endpoints below are addressed by
 * them (`fromId`).
 *
 * Spot streams `@trade` (id `t`) and recovers from `GET /api/v3/historicalTrades`
 * ("Old trade lookup": `fromId` inclusive, at most 1000 rows, weight 25,
 * no API key since 2023-07).
 * https://developers.binance.com/docs/binance-spot-api-docs/rest-api/market-data-endpoints
 *
 * Futures (USDⓈ-M and COIN-M) stream `@aggTrade`, id = aggregate id `a`,
 * and recover from `GET /fapi/v1/aggTrades` / `GET /dapi/v1/aggTrades`
 * (`fromId` inclusive, at most 1000 rows, weight 20, one year back). Why
 * not `@trade`: the futures stream pages document only `@aggTrade`, and
 * their `historicalTrades` needs an API key (MARKET_DATA), serves 500 rows
 * and only three months, so a hole in `@trade` ids could not be recovered
 * by a keyless feed. Each aggregate is one taker's fills at one price
 * within 100 ms: its quantity is their sum. Both streams carry market
 * trades only: Binance leaves insurance-fund and ADL trades out. On the
 * 2021 USDⓈ-M capture every aggregate id followed the one before (91
 * aggregates, 4 symbols, 87 steps of +1 and none other).
 * https://developers.binance.com/docs/derivatives/usds-margined-futures/websocket-market-streams/Aggregate-Trade-Streams
 * https://developers.binance.com/docs/derivatives/usds-margined-futures/market-data/rest-api/Compressed-Aggregate-Trades-List
 * https://developers.binance.com/docs/derivatives/usds-margined-futures/market-data/rest-api/Old-Trades-Lookup
 * https://developers.binance.com/docs/derivatives/coin-margined-futures/market-data/rest-api/Compressed-Aggregate-Trades-List
 *
 * Recovery pages by id inside the feed's REST weight budget; the spot
 * backfill (`history.ts`) pages the same way.
 */
import type { TradeEvent, TradeHistorySource } from '@dccd/core'
import { MAX_HISTORICAL_TRADES_LIMIT } from './rest.js'

/** Fetches one page: up to `limit` trades of `symbol` from `fromId` (inclusive), ascending, normalized. */
export type TradePage = (symbol: string, fromId: number, limit: number, signal: AbortSignal) => Promise<TradeEvent[]>

/** Names spot's endpoint in gap reasons. */
export const HISTORICAL_TRADES_SOURCE = 'GET /api/v3/historicalTrades'

/**
 * The history source `TradeContinuity` recovers holes from.
 *
 * @param name the endpoint, for gap reasons (`GET /fapi/v1/aggTrades`)
 * @param maxLimit most rows one request returns
 */
export function tradeHistorySource(fetchPage: TradePage, name: string = HISTORICAL_TRADES_SOURCE, maxLimit = MAX_HISTORICAL_TRADES_LIMIT): TradeHistorySource {
  return {
    name,
    fetch: (hole, signal) => tradePages(fetchPage, hole.symbol, hole.fromId, hole.toId, signal, maxLimit),
  }
}

/**
 * Pages of `symbol`'s trades from id `fromId` (inclusive) up to `toId`, ascending, `maxLimit` per
 * request (fewer for the last page of a bounded range). Ends at `toId`, or when Binance returns
 * nothing at or after the next id (it has no more: the present, or ids it no longer serves). Live
 * recovery and the backfill (`toId` = Infinity, stopped by its consumer) page the same way.
 */
export async function* tradePages(
  fetchPage: TradePage,
  symbol: string,
  fromId: number,
  toId: number,
  signal: AbortSignal,
  maxLimit = MAX_HISTORICAL_TRADES_LIMIT,
): AsyncGenerator<TradeEvent[]> {
  while (fromId <= toId) {
    const trades = await fetchPage(symbol, fromId, Math.min(maxLimit, toId - fromId + 1), signal)
    let last = fromId - 1
    for (const trade of trades) {
      const id = Number(trade.id)
      if (id > last) last = id
    }
    yield trades
    // Nothing at or after fromId: Binance no longer has these ids.
    if (last < fromId) return
    fromId = last + 1
  }
}
