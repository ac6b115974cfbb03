/**
 * The contract of an exchange's REST history: what `dccd backfill` downloads
 * and what an adapter's live recovery fetches from. One engine per exchange
 * serves both, so a backfill and a resumed feed see the same data the same way.
 */
import type { ParsedChannel } from './channels.js'
import { InvalidArgumentError } from './errors.js'
import type { MarketEvent } from './events.js'
import type { Logger } from './logger.js'
import type { BarResumePoint, TradeResumePoint } from './resume.js'
import { EARLIEST_EXCHANGE_TIME, microsToIso } from './time.js'

/** Settings of an {@link ExchangeHistory}. */
export interface HistoryOptions {
  /** Override the REST base URL. */
  restUrl?: string
  /** Share of the exchange's REST weight limit to spend, (0, 1]. Default: the adapter's (its live feed's) share. */
  restWeightShare?: number
  logger?: Logger
}

/** A download: what, and the time range, µs (`from` inclusive, `to` exclusive). */
export interface HistoryRequest {
  readonly symbols: readonly string[]
  /** As users write them: `trades`, `bars:1m`. */
  readonly channels: readonly string[]
  readonly from: number
  readonly to: number
}

/** Trades of one symbol with `from <= timestamp < to`. */
export interface TradeHistoryRequest {
  readonly symbol: string
  readonly from: number
  readonly to: number
  /** Continue after this trade (a resumed download) instead of starting at `from`. */
  readonly after?: TradeResumePoint
}

/** Closed bars of one symbol and interval with `from <= openTime < to`. */
export interface BarHistoryRequest {
  readonly symbol: string
  readonly interval: string
  readonly from: number
  readonly to: number
  /** Continue after this bar (a resumed download) instead of starting at `from`. */
  readonly after?: BarResumePoint
}

/**
 * An exchange's history over REST, spent from one weight budget.
 *
 * @example
 * const history = exchange.createHistory!({})
 * const channels = history.check({ symbols: ['BTCUSDT'], channels: ['trades'], from, to }, nowMicros())
 * for await (const page of history.trades({ symbol: 'BTCUSDT', from, to }, signal)) write(page)
 */
export interface ExchangeHistory {
  /** The adapter's id. */
  readonly exchange: string
  /** What the exchange serves and how far back, one sentence per channel kind (help texts, errors). */
  readonly limits: readonly string[]
  /**
   * Offline checks: symbol format, channels that have history (`trades`, `bars:<interval>`), and
   * whether the exchange can serve the range at all (Kraken serves only the latest 720 bars).
   *
   * @returns the parsed channels
   * @throws InvalidArgumentError naming the bad value and the valid ones
   */
  check(request: HistoryRequest, now: number): ParsedChannel[]
  /** Rejects (InvalidArgumentError) when a symbol is not listed; one request. */
  checkSymbols(symbols: readonly string[], signal: AbortSignal): Promise<void>
  /**
   * Pages of trades ascending by id, and a `gap` status for ids the exchange did
   * not return, in order. Ends once past `to`; rejects when a request fails for good.
   */
  trades(request: TradeHistoryRequest, signal: AbortSignal): AsyncIterable<readonly MarketEvent[]>
  /** Pages of closed bars ascending by open time (intervals the exchange has no bar for are skipped, not invented). */
  bars(request: BarHistoryRequest, signal: AbortSignal): AsyncIterable<readonly MarketEvent[]>
}

/**
 * The offline check every `ExchangeHistory.check` starts with: `from` and `to` are integer µs from
 * 2009-01-03 on, and `from` is before `to`.
 *
 * @throws InvalidArgumentError naming the bad bound
 */
export function checkHistoryRange(request: Pick<HistoryRequest, 'from' | 'to'>): void {
  for (const [name, value] of [['from', request.from], ['to', request.to]] as const) {
    if (!Number.isSafeInteger(value) || value < EARLIEST_EXCHANGE_TIME) {
      throw new InvalidArgumentError(`history ${name}`, value, ['integer µs since 1970, from 2009-01-03 on'])
    }
  }
  if (!(request.from < request.to)) {
    throw new InvalidArgumentError('history range', `${microsToIso(request.from)}..${microsToIso(request.to)}`, ['from before to'])
  }
}
