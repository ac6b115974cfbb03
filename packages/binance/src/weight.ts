/**
 * REST weight rules for Binance spot market data.
 * See https://developers.binance.com/docs/binance-spot-api-docs/rest-api/market-data-endpoints
 */
import type { BinanceRateLimit } from './wire.js'

/** Largest `limit` `GET /api/v3/depth` serves (larger values are clamped by Binance). */
export const MAX_SNAPSHOT_LIMIT = 5000

/** Weight of `GET /api/v3/exchangeInfo`. */
export const EXCHANGE_INFO_WEIGHT = 20

/** Weight of `GET /api/v3/historicalTrades` (any `limit`). */
export const HISTORICAL_TRADES_WEIGHT = 25

/** Most rows one `GET /api/v3/historicalTrades` returns. */
export const MAX_HISTORICAL_TRADES_LIMIT = 1000

/** The budget used when exchangeInfo was not read: the lowest limit Binance has published (1200/min). */
export const FALLBACK_WEIGHT_LIMIT: WeightLimit = { limit: 1200, intervalMs: 60_000, header: 'x-mbx-used-weight-1m' }

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

/** A request-weight budget and the response header that reports usage against it. */
export interface WeightLimit {
  /** Weight allowed per interval. */
  limit: number
  /** Interval length, ms. */
  intervalMs: number
  /** Lower-case name of the used-weight header for this interval (`x-mbx-used-weight-1m`). */
  header: string
}

const INTERVAL_MS: Record<string, number> = {
  SECOND: 1000,
  MINUTE: 60_000,
  HOUR: 3_600_000,
  DAY: 86_400_000,
}

/**
 * The tightest `REQUEST_WEIGHT` limit from `exchangeInfo.rateLimits`, with the
 * header Binance names after it (`X-MBX-USED-WEIGHT-<intervalNum><S|M|H|D>`).
 * Undefined when the list has no usable entry.
 */
export function weightLimitFrom(rateLimits: readonly BinanceRateLimit[] | undefined): WeightLimit | undefined {
  let best: WeightLimit | undefined
  for (const entry of rateLimits ?? []) {
    if (entry.rateLimitType !== 'REQUEST_WEIGHT') continue
    const unit = INTERVAL_MS[entry.interval]
    if (unit === undefined || !(entry.limit > 0) || !(entry.intervalNum > 0)) continue
    const candidate: WeightLimit = {
      limit: entry.limit,
      intervalMs: unit * entry.intervalNum,
      header: `x-mbx-used-weight-${entry.intervalNum}${entry.interval[0]!.toLowerCase()}`,
    }
    // Compare rates: the limit that allows the least weight per ms binds first.
    if (best === undefined || candidate.limit / candidate.intervalMs < best.limit / best.intervalMs) best = candidate
  }
  return best
}
