/**
 * Binance REST: the endpoints the adapters call, their weights, the budget
 * they are spent from, and the client (typed errors). A market names its
 * paths and weights in a {@link BinanceRestEndpoints} (spot's below,
 * futures' in futures/usdm.ts and futures/coinm.ts); the calls are shared.
 * See https://developers.binance.com/docs/binance-spot-api-docs/rest-api/market-data-endpoints
 */
import { ExchangeError, nowMicros } from '@dccd/core'
import type { Logger, TradeEvent } from '@dccd/core'
import { RestClient } from '@dccd/transport'
import type { RateLimit } from '@dccd/transport'
import { EXCHANGE_ID } from './capabilities.js'
import { parseAggTradeRow } from './futures/parse.js'
import { checkDepthSnapshot, parseHistoricalTrade } from './parse.js'
import type { BinanceAggTrade, BinanceDepthSnapshot, BinanceErrorBody, BinanceExchangeInfo, BinanceHistoricalTrade, BinanceRateLimit } from './wire.js'

/** A REST endpoint and its weight. */
export interface BinanceEndpoint {
  readonly path: string
  readonly weight: number
}

/** A market's REST endpoints and budget. */
export interface BinanceRestEndpoints {
  /** `exchange` of errors and of the trades its history returns. */
  readonly exchange: string
  /** The `REQUEST_WEIGHT` per minute assumed until `exchangeInfo` is read: the lowest Binance has published. */
  readonly fallbackWeightPerMinute: number
  readonly exchangeInfo: BinanceEndpoint
  /** Book snapshots; `limits` lists the only values accepted (absent: any from 1 to `maxLimit`). */
  readonly depth: {
    readonly path: string
    readonly maxLimit: number
    readonly limits?: readonly number[]
    weight(limit: number): number
  }
  /**
   * Klines; `windowed`: given a `startTime` alone, the venue answers the newest `limit` rows of a
   * window after it (COIN-M), so every page names its `endTime`.
   */
  readonly klines: { readonly path: string; readonly maxLimit: number; readonly windowed: boolean; weight(limit: number): number }
  /** Trade history by id: `historicalTrades` rows (spot, id `id`) or `aggTrades` rows (futures, id `a`). */
  readonly trades: BinanceEndpoint & { readonly rows: 'historicalTrades' | 'aggTrades'; readonly maxLimit: number }
  /** Default `maxRecoveredTrades`: what one hole may recover, sized to this market's budget. */
  readonly defaultMaxRecoveredTrades: number
  /** Open interest of one symbol (futures). */
  readonly openInterest?: BinanceEndpoint
}

/** Largest `limit` `GET /api/v3/depth` serves (larger values are clamped by Binance). */
export const MAX_SNAPSHOT_LIMIT = 5000

/** Weight of `GET /api/v3/exchangeInfo`. */
export const EXCHANGE_INFO_WEIGHT = 20

/** Weight of `GET /api/v3/historicalTrades` (any `limit`). */
export const HISTORICAL_TRADES_WEIGHT = 25

/** Most rows one `GET /api/v3/historicalTrades` returns. */
export const MAX_HISTORICAL_TRADES_LIMIT = 1000

/** Weight of `GET /api/v3/klines` (any `limit`). */
export const KLINES_WEIGHT = 2

/** Most rows one `GET /api/v3/klines` returns (default 500). */
export const MAX_KLINES_LIMIT = 1000

/** Weight of `GET /api/v3/aggTrades` (4 since 2025-03-10; it was 2). */
export const AGG_TRADES_WEIGHT = 4

/**
 * Default `maxRecoveredTrades` on spot: 100 pages of `GET /api/v3/historicalTrades` (weight 25 each) = 2500,
 * about half of one minute's budget at Binance's 6000/min × the default `restWeightShare` 0.8 (4800),
 * so book snapshots keep the other half of that minute. (Under the 1200/min fallback used when symbols
 * are not validated, the budget is 960/min and one such hole spreads over about 3 minutes.) It covers
 * about 50 minutes of BTCUSDT at 3 million trades a day; a longer outage is reported as a gap.
 */
const SPOT_MAX_RECOVERED_TRADES = 100 * MAX_HISTORICAL_TRADES_LIMIT

/**
 * The budget used until exchangeInfo is read (or when it is not): the lowest
 * limit Binance has published (spot 1200/min), of which `share` is spent.
 */
export function fallbackRateLimit(share: number, weightPerMinute = 1200): RateLimit {
  return { weight: weightPerMinute, intervalMs: 60_000, usedWeightHeader: 'x-mbx-used-weight-1m', share }
}

/**
 * Weight of `GET /api/v3/depth?limit=N`: 1–100 → 5, 101–500 → 25, 501–1000 → 50,
 * 1001–5000 → 250 (raised 2023-10 from 2/10/20/100).
 *
 * @example snapshotWeight(1000) // 50
 */
export function snapshotWeight(limit: number): number {
  if (limit <= 100) return 5
  if (limit <= 500) return 25
  if (limit <= 1000) return 50
  return 250
}

/** Binance spot's endpoints (`https://api.binance.com/api/v3/…`). */
export const SPOT_REST: BinanceRestEndpoints = {
  exchange: EXCHANGE_ID,
  fallbackWeightPerMinute: 1200,
  exchangeInfo: { path: '/api/v3/exchangeInfo', weight: EXCHANGE_INFO_WEIGHT },
  depth: { path: '/api/v3/depth', maxLimit: MAX_SNAPSHOT_LIMIT, weight: snapshotWeight },
  klines: { path: '/api/v3/klines', maxLimit: MAX_KLINES_LIMIT, windowed: false, weight: () => KLINES_WEIGHT },
  trades: { path: '/api/v3/historicalTrades', weight: HISTORICAL_TRADES_WEIGHT, rows: 'historicalTrades', maxLimit: MAX_HISTORICAL_TRADES_LIMIT },
  defaultMaxRecoveredTrades: SPOT_MAX_RECOVERED_TRADES,
}

const INTERVAL_MS: Record<string, number> = {
  SECOND: 1000,
  MINUTE: 60_000,
  HOUR: 3_600_000,
  DAY: 86_400_000,
}

/**
 * The tightest `REQUEST_WEIGHT` limit from `exchangeInfo.rateLimits`, with the
 * header Binance names after it (`X-MBX-USED-WEIGHT-<intervalNum><S|M|H|D>`),
 * of which `share` is spent. Undefined when the list has no usable entry.
 */
export function rateLimitFrom(rateLimits: readonly BinanceRateLimit[] | undefined, share: number): RateLimit | undefined {
  let best: RateLimit | undefined
  for (const entry of rateLimits ?? []) {
    if (entry.rateLimitType !== 'REQUEST_WEIGHT') continue
    const unit = INTERVAL_MS[entry.interval]
    if (unit === undefined || !(entry.limit > 0) || !(entry.intervalNum > 0)) continue
    const candidate: RateLimit = {
      weight: entry.limit,
      intervalMs: unit * entry.intervalNum,
      usedWeightHeader: `x-mbx-used-weight-${entry.intervalNum}${entry.interval[0]!.toLowerCase()}`,
      share,
    }
    // Compare rates: the limit that allows the least weight per ms binds first.
    if (best === undefined || candidate.weight / candidate.intervalMs < best.weight / best.intervalMs) best = candidate
  }
  return best
}

/**
 * A Binance error body (`{"code":-1121,"msg":"Invalid symbol."}`) → `ExchangeError`
 * with `exchangeCode` -1121 and the HTTP status; undefined for other bodies.
 */
export function binanceRestError(status: number, body: unknown, exchange: string = EXCHANGE_ID): ExchangeError | undefined {
  if (typeof body !== 'object' || body === null) return undefined
  const { code, msg } = body as Partial<BinanceErrorBody>
  if (typeof code !== 'number' || typeof msg !== 'string') return undefined
  return new ExchangeError(exchange, code, msg, { status })
}

/** The feed's one REST client: every request, snapshots and trade recovery alike, spends from `rateLimit`. */
export function createRestClient(restUrl: string, rateLimit: RateLimit, logger: Logger, exchange: string = EXCHANGE_ID): RestClient {
  const parseError = (status: number, body: unknown): ExchangeError | undefined => binanceRestError(status, body, exchange)
  return new RestClient({ baseUrl: restUrl, exchange, logger, parseError, rateLimit })
}

/** `GET /api/v3/exchangeInfo` (weight 20; futures `/fapi/v1/exchangeInfo`, `/dapi/v1/exchangeInfo`, weight 1): every symbol plus the rate limits. */
export function fetchExchangeInfo<T = BinanceExchangeInfo>(client: RestClient, signal: AbortSignal, rest: BinanceRestEndpoints = SPOT_REST): Promise<T> {
  return client.getJson<T>(rest.exchangeInfo.path, { weight: rest.exchangeInfo.weight, signal })
}

/** `GET /api/v3/depth?symbol=…&limit=…` (or the market's depth path); rejects with a TypeError for a body of the wrong shape (see `checkDepthSnapshot`). */
export async function fetchDepthSnapshot(
  client: RestClient,
  symbol: string,
  limit: number,
  signal: AbortSignal,
  rest: BinanceRestEndpoints = SPOT_REST,
): Promise<BinanceDepthSnapshot> {
  const body = await client.getJson<unknown>(rest.depth.path, { query: { symbol, limit }, weight: rest.depth.weight(limit), signal })
  return checkDepthSnapshot(body)
}

/**
 * One page of `symbol`'s trade history from id `fromId` (inclusive), at most `limit`, ascending and
 * normalized: spot `GET /api/v3/historicalTrades` (weight 25), futures `GET /fapi/v1/aggTrades`,
 * `GET /dapi/v1/aggTrades` (weight 20), by the market's `trades` endpoint.
 *
 * @throws TypeError (rejects) when the body is not a list of rows of that endpoint
 */
export async function fetchTradePage(
  client: RestClient,
  symbol: string,
  fromId: number,
  limit: number,
  signal: AbortSignal,
  rest: BinanceRestEndpoints = SPOT_REST,
): Promise<TradeEvent[]> {
  const { path, weight, rows } = rest.trades
  const body = await client.getJson<unknown>(path, { query: { symbol, fromId, limit }, weight, signal })
  if (!Array.isArray(body)) throw new TypeError(`${path} body is not a list`)
  const now = nowMicros()
  return rows === 'aggTrades'
    ? (body as BinanceAggTrade[]).map((row) => parseAggTradeRow(symbol, row, now, rest.exchange))
    : (body as BinanceHistoricalTrade[]).map((row) => parseHistoricalTrade(symbol, row, now))
}

/** What one `GET /api/v3/klines` asks for: times in ms, both inclusive, on the kline's open time. */
export interface KlinesQuery {
  readonly symbol: string
  readonly interval: string
  /** First open time wanted, ms. */
  readonly startTime: number
  /** Last open time wanted, ms; absent: up to the kline open now. */
  readonly endTime?: number
  /** Rows, 1..1000. */
  readonly limit: number
}

/**
 * `GET /api/v3/klines?symbol=…&interval=…&startTime=…[&endTime=…]&limit=…` (weight 2; the market's
 * klines path and weight): up to `limit` klines ascending by open time. The body is returned
 * unchecked (`parseKlineRows` checks it).
 */
export function fetchKlines(client: RestClient, query: KlinesQuery, signal: AbortSignal, rest: BinanceRestEndpoints = SPOT_REST): Promise<unknown> {
  const { symbol, interval, startTime, endTime, limit } = query
  return client.getJson<unknown>(rest.klines.path, {
    query: endTime === undefined ? { symbol, interval, startTime, limit } : { symbol, interval, startTime, endTime, limit },
    weight: rest.klines.weight(limit),
    signal,
  })
}

/** `GET /fapi/v1/openInterest?symbol=…` / `GET /dapi/v1/openInterest` (weight 1). The body is returned unchecked (`parseOpenInterest` checks it). */
export function fetchOpenInterest(client: RestClient, symbol: string, signal: AbortSignal, endpoint: BinanceEndpoint): Promise<unknown> {
  return client.getJson<unknown>(endpoint.path, { query: { symbol }, weight: endpoint.weight, signal })
}

/**
 * `GET /api/v3/aggTrades?symbol=…&startTime=…&limit=1` (weight 4): the first aggregate trade at or
 * after `startTime` (ms, inclusive), whose `f` is the first trade id at or after that time. The body is
 * returned unchecked (`parseFirstTradeId` checks it).
 */
export function fetchFirstAggTrade(client: RestClient, symbol: string, startTime: number, signal: AbortSignal): Promise<unknown> {
  return client.getJson<unknown>('/api/v3/aggTrades', { query: { symbol, startTime, limit: 1 }, weight: AGG_TRADES_WEIGHT, signal })
}
