/**
 * What Binance's two futures markets, USDⓈ-M (`fapi`) and COIN-M (`dapi`),
 * share: channels, intervals, stream names, connection limits, the depth
 * rule, and endpoints that differ only by their prefix. Both market pages
 * give the same numbers: 10 incoming messages per second, 1024 streams per
 * connection, 24 h connections, a server ping every 3 minutes (pong within
 * 10); snapshots of 5–1000 levels weighing 2/5/10/20; `aggTrades` weight 20;
 * klines weight 5 per 1000.
 * https://developers.binance.com/docs/derivatives/usds-margined-futures/websocket-market-streams
 * https://developers.binance.com/docs/derivatives/coin-margined-futures/websocket-market-streams/Connect
 * https://developers.binance.com/docs/derivatives/usds-margined-futures/market-data/rest-api/Order-Book
 * https://developers.binance.com/docs/derivatives/coin-margined-futures/market-data/Order-Book
 */
import type { ChannelKind } from '@dccd/core'
import { MAX_CONNECTION_AGE_MS } from '../capabilities.js'
import type { BinanceConnectionLimits, BinanceStreamNames } from '../market.js'
import type { BinanceRestEndpoints } from '../rest.js'

/** Channel kinds both futures adapters offer. */
export const FUTURES_CHANNELS: readonly ChannelKind[] = ['trades', 'book', 'bars', 'quotes', 'derivatives', 'liquidations']

/** Kline intervals of futures (spot's without `1s`), case-sensitive. */
export const FUTURES_INTERVALS: readonly string[] = ['1m', '3m', '5m', '15m', '30m', '1h', '2h', '4h', '6h', '8h', '12h', '1d', '3d', '1w', '1M']

/**
 * Streams: `@aggTrade` (see trades.ts for why not `@trade`), `@depth@100ms`, `@bookTicker`,
 * `@markPrice@1s` (every second; plain `@markPrice` is every 3 s), `@forceOrder`.
 */
export const FUTURES_STREAMS: BinanceStreamNames = {
  trades: '@aggTrade',
  book: '@depth@100ms',
  quotes: '@bookTicker',
  derivatives: '@markPrice@1s',
  liquidations: '@forceOrder',
}

/**
 * 10 incoming messages per second per connection, pings and pongs included: SUBSCRIBE messages go
 * out at 8 per second, leaving room for the transport's liveness pings and the pongs to Binance's.
 * No connection-attempt limit is published for futures hosts.
 */
export const FUTURES_LIMITS: BinanceConnectionLimits = {
  maxStreamsPerConnection: 1024,
  controlMessagesPerSecond: 8,
  maxConnectionAgeMs: MAX_CONNECTION_AGE_MS,
}

/** Snapshot limits `/fapi/v1/depth` and `/dapi/v1/depth` accept. */
export const FUTURES_SNAPSHOT_LIMITS: readonly number[] = [5, 10, 20, 50, 100, 500, 1000]

/**
 * Weight of a futures depth snapshot: 5–50 levels → 2, 100 → 5, 500 → 10, 1000 → 20.
 *
 * @example futuresSnapshotWeight(1000) // 20
 */
export function futuresSnapshotWeight(limit: number): number {
  if (limit <= 50) return 2
  if (limit <= 100) return 5
  if (limit <= 500) return 10
  return 20
}

/** Weight of futures klines by `limit`: [1, 100) → 1, [100, 500) → 2, [500, 1000] → 5, more → 10. */
export function futuresKlinesWeight(limit: number): number {
  if (limit < 100) return 1
  if (limit < 500) return 2
  if (limit <= 1000) return 5
  return 10
}

/**
 * Default `maxRecoveredTrades` on futures: 50 pages of `aggTrades` (weight 20 each) = 1000, about half
 * of one minute's budget at 2400/min × the default `restWeightShare` 0.8 (1920), so snapshots keep
 * the rest of that minute. 50 000 aggregates cover about 25 minutes of BTCUSDT's busiest hours.
 */
const FUTURES_MAX_RECOVERED_TRADES = 50 * 1000

/**
 * A futures market's REST endpoints under `prefix` (`/fapi/v1`, `/dapi/v1`).
 *
 * @param windowedKlines see `BinanceRestEndpoints.klines.windowed` (COIN-M)
 */
export function futuresRest(exchange: string, prefix: string, windowedKlines: boolean): BinanceRestEndpoints {
  return {
    exchange,
    // The USDⓈ-M and older COIN-M documents' REQUEST_WEIGHT limit; exchangeInfo gives the live one.
    fallbackWeightPerMinute: 2400,
    exchangeInfo: { path: `${prefix}/exchangeInfo`, weight: 1 },
    depth: { path: `${prefix}/depth`, maxLimit: 1000, limits: FUTURES_SNAPSHOT_LIMITS, weight: futuresSnapshotWeight },
    // 1000 rows weigh 5, 1500 weigh 10: 1000 per page is the cheaper per bar.
    klines: { path: `${prefix}/klines`, maxLimit: 1000, windowed: windowedKlines, weight: futuresKlinesWeight },
    trades: { path: `${prefix}/aggTrades`, weight: 20, rows: 'aggTrades', maxLimit: 1000 },
    defaultMaxRecoveredTrades: FUTURES_MAX_RECOVERED_TRADES,
    openInterest: { path: `${prefix}/openInterest`, weight: 1 },
  }
}

/** `_YYMMDD`: the delivery date suffix of a quarterly contract (`BTCUSDT_250627`). */
export const DELIVERY_SUFFIX = String.raw`_\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])`
