/**
 * Binance spot REST: the endpoints the adapter calls, their weights, the
 * budget they are spent from, and the client (typed errors).
 * See https://developers.binance.com/docs/binance-spot-api-docs/rest-api/market-data-endpoints
 */
import { ExchangeError } from '@dccd/core'
import type { Logger } from '@dccd/core'
import { RestClient } from '@dccd/transport'
import type { RateLimit } from '@dccd/transport'
import { EXCHANGE_ID } from './capabilities.js'
import { checkDepthSnapshot } from './parse.js'
import type { BinanceDepthSnapshot, BinanceErrorBody, BinanceExchangeInfo, BinanceHistoricalTrade, BinanceRateLimit } from './wire.js'

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
 * The budget used until exchangeInfo is read (or when it is not): the lowest
 * limit Binance has published (1200/min), of which `share` is spent.
 */
export function fallbackRateLimit(share: number): RateLimit {
  return { weight: 1200, intervalMs: 60_000, usedWeightHeader: 'x-mbx-used-weight-1m', share }
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
export function binanceRestError(status: number, body: unknown): ExchangeError | undefined {
  if (typeof body !== 'object' || body === null) return undefined
  const { code, msg } = body as Partial<BinanceErrorBody>
  if (typeof code !== 'number' || typeof msg !== 'string') return undefined
  return new ExchangeError(EXCHANGE_ID, code, msg, { status })
}

/** The feed's one REST client: every request, snapshots and trade recovery alike, spends from `rateLimit`. */
export function createRestClient(restUrl: string, rateLimit: RateLimit, logger: Logger): RestClient {
  return new RestClient({ baseUrl: restUrl, exchange: EXCHANGE_ID, logger, parseError: binanceRestError, rateLimit })
}

/** `GET /api/v3/exchangeInfo` (weight 20): every symbol plus the rate limits. */
export function fetchExchangeInfo(client: RestClient, signal: AbortSignal): Promise<BinanceExchangeInfo> {
  return client.getJson<BinanceExchangeInfo>('/api/v3/exchangeInfo', { weight: EXCHANGE_INFO_WEIGHT, signal })
}

/** `GET /api/v3/historicalTrades?symbol=…&fromId=…&limit=…` (weight 25): trades from `fromId` (inclusive), ascending. */
export function fetchHistoricalTrades(
  client: RestClient,
  symbol: string,
  fromId: number,
  limit: number,
  signal: AbortSignal,
): Promise<BinanceHistoricalTrade[]> {
  return client.getJson<BinanceHistoricalTrade[]>('/api/v3/historicalTrades', {
    query: { symbol, fromId, limit },
    weight: HISTORICAL_TRADES_WEIGHT,
    signal,
  })
}

/** `GET /api/v3/depth?symbol=…&limit=…`; rejects with a TypeError for a body of the wrong shape (see `checkDepthSnapshot`). */
export async function fetchDepthSnapshot(
  client: RestClient,
  symbol: string,
  limit: number,
  signal: AbortSignal,
): Promise<BinanceDepthSnapshot> {
  const body = await client.getJson<unknown>('/api/v3/depth', { query: { symbol, limit }, weight: snapshotWeight(limit), signal })
  return checkDepthSnapshot(body)
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
 * `GET /api/v3/klines?symbol=…&interval=…&startTime=…[&endTime=…]&limit=…` (weight 2): up to `limit`
 * klines ascending by open time. The body is returned unchecked (`parseKlineRows` checks it).
 */
export function fetchKlines(client: RestClient, query: KlinesQuery, signal: AbortSignal): Promise<unknown> {
  const { symbol, interval, startTime, endTime, limit } = query
  return client.getJson<unknown>('/api/v3/klines', {
    query: endTime === undefined ? { symbol, interval, startTime, limit } : { symbol, interval, startTime, endTime, limit },
    weight: KLINES_WEIGHT,
    signal,
  })
}

/**
 * `GET /api/v3/aggTrades?symbol=…&startTime=…&limit=1` (weight 4): the first aggregate trade at or
 * after `startTime` (ms, inclusive), whose `f` is the first trade id at or after that time. The body is
 * returned unchecked (`parseFirstTradeId` checks it).
 */
export function fetchFirstAggTrade(client: RestClient, symbol: string, startTime: number, signal: AbortSignal): Promise<unknown> {
  return client.getJson<unknown>('/api/v3/aggTrades', { query: { symbol, startTime, limit: 1 }, weight: AGG_TRADES_WEIGHT, signal })
}
