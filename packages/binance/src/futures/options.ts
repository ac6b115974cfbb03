/**
 * What the futures adapters add to `BinanceFeedOptions`: the open-interest
 * poll, checked offline against the REST weight budget.
 */
import { InvalidArgumentError, numberOption } from '@dccd/core'
import type { BinanceFeedOptions } from '../options.js'
import type { BinanceRestEndpoints } from '../rest.js'

/** Default `openInterestIntervalMs`: once a minute. */
export const DEFAULT_OPEN_INTEREST_INTERVAL_MS = 60_000

/** Shortest `openInterestIntervalMs`, ms. */
const MIN_OPEN_INTEREST_INTERVAL_MS = 100

/**
 * Share of the REST budget open-interest polling may take (of the fallback limit, before
 * `exchangeInfo` is read): the other half stays for book snapshots and trade and bar recovery,
 * which share the one weight ledger.
 */
const OPEN_INTEREST_BUDGET_SHARE = 0.5

/**
 * Options of the USDⓈ-M (`futures`) and COIN-M (`delivery`) adapters: {@link BinanceFeedOptions}
 * with futures' endpoints, limits and defaults, plus the open-interest poll.
 *
 * - `wsUrl`/`restUrl` are base URLs (`ws://127.0.0.1:PORT`); the adapter appends `/public/stream?…`
 *   and `/market/stream?…` (USDⓈ-M) or `/stream?…` (COIN-M), and `/fapi/v1/…` or `/dapi/v1/…`.
 * - `bookDepth`/`bookSnapshotLimit`: 5, 10, 20, 50, 100, 500 or 1000 (weight 2, 2, 2, 2, 5, 10, 20). Default 1000.
 * - `recoverTrades` pages `GET /fapi/v1/aggTrades` / `GET /dapi/v1/aggTrades` (weight 20 per 1000
 *   aggregates); `maxRecoveredTrades` defaults to 50000 (weight 1000).
 * - `recoverBars` pages `GET /fapi/v1/klines` / `GET /dapi/v1/klines` (weight 5 per 1000 bars).
 * - `testnet` is not supported (pass `wsUrl` and `restUrl`).
 */
export interface BinanceFuturesFeedOptions extends BinanceFeedOptions {
  /**
   * With the `derivatives` channel: poll `GET /fapi/v1/openInterest` / `GET /dapi/v1/openInterest`
   * (weight 1 per symbol) this often, ms, and emit each new value as a `derivative` event carrying
   * only `openInterest`, at the response's `time` (an unchanged `time` is not emitted again).
   * 0 turns it off. At least 100, and slow enough that polling all symbols takes at most half of
   * the REST budget (`restWeightShare` of 2400/min). Default 60000.
   */
  openInterestIntervalMs?: number
}

/**
 * `openInterestIntervalMs`, checked against the budget: `symbols` requests of the endpoint's weight
 * per interval.
 *
 * @throws InvalidArgumentError for a value that is not 0 or ≥ 100, or polls faster than the budget allows
 */
export function openInterestIntervalOption(
  options: BinanceFuturesFeedOptions,
  symbols: number,
  rest: BinanceRestEndpoints,
  restWeightShare: number,
): number {
  const interval = numberOption(
    'openInterestIntervalMs',
    options.openInterestIntervalMs,
    DEFAULT_OPEN_INTEREST_INTERVAL_MS,
    (n) => n === 0 || (Number.isSafeInteger(n) && n >= MIN_OPEN_INTEREST_INTERVAL_MS),
    `an integer >= ${MIN_OPEN_INTEREST_INTERVAL_MS} (ms), or 0 (off)`,
  )
  if (interval === 0) return 0
  const weight = rest.openInterest?.weight ?? 1
  const budgetPerMinute = rest.fallbackWeightPerMinute * restWeightShare * OPEN_INTEREST_BUDGET_SHARE
  const shortest = Math.ceil((symbols * weight * 60_000) / budgetPerMinute)
  if (interval < shortest) {
    throw new InvalidArgumentError(
      'option openInterestIntervalMs',
      interval,
      [`an integer >= ${shortest} (ms), or 0 (off)`],
      `polling ${symbols} symbols every ${interval} ms needs ${Math.round((symbols * weight * 60_000) / interval)} weight/min; at most ${Math.floor(budgetPerMinute)} may go to it`,
    )
  }
  return interval
}
