/**
 * Binance's closed-bar rule and its recovery endpoint.
 *
 * Rule: a symbol's klines of one interval open one interval apart, and
 * Binance reports every interval, those without trades too (volume 0,
 * open = high = low = close = the previous close; the stream sends their
 * final update with `x: true`, `n: 0`, `f = L = -1`). Binance's maintainers:
 * "Kline always generate even if there is no trade"
 * (https://github.com/binance/binance-public-data/issues/153). So consecutive closed
 * bars are checked by core's `BarContinuity`: a missed final update — a
 * dropped frame, a reconnect, a restart given a resume point — is a hole.
 *
 * Recovery: `GET /api/v3/klines` ("Kline/Candlestick data": klines are
 * identified by their open time; `startTime`/`endTime` in ms select by open
 * time; at most 1000 rows, weight 2), paged by open time inside the feed's
 * REST weight budget. The backfill (`history.ts`) pages the same way.
 * See https://developers.binance.com/docs/binance-spot-api-docs/rest-api/market-data-endpoints
 *
 * Futures serve the same rule and rows from `GET /fapi/v1/klines` and
 * `GET /dapi/v1/klines` (1000 rows weigh 5 there). COIN-M differs twice: its
 * base-asset volume is column 7 (column 5 counts contracts), and given a
 * `startTime` alone it answers the newest `limit` klines of the 200 days
 * after it, so each page there names its `endTime` (`windowed`).
 * https://developers.binance.com/docs/derivatives/coin-margined-futures/market-data/rest-api/Kline-Candlestick-Data
 */
import { addBars, barsBetween, nowMicros } from '@dccd/core'
import type { BarEvent, BarHistorySource } from '@dccd/core'
import { parseKlineRows, SPOT_DIALECT } from './parse.js'
import type { BinanceDialect } from './parse.js'
import { MAX_KLINES_LIMIT } from './rest.js'
import type { KlinesQuery } from './rest.js'

/** Fetches one page of klines (the body, unchecked). */
export type KlinesPage = (query: KlinesQuery, signal: AbortSignal) => Promise<unknown>

/** Names spot's endpoint in gap reasons. */
export const KLINES_SOURCE = 'GET /api/v3/klines'

/** How a market's kline history is asked for and read. */
export interface KlineHistory {
  /** The endpoint, for gap reasons. */
  readonly name: string
  /** Rows per request. */
  readonly maxLimit: number
  /** Every page names its `endTime` (see the module comment). */
  readonly windowed: boolean
  /** How its rows are read. */
  readonly dialect: BinanceDialect
}

/** Binance spot's klines. */
export const SPOT_KLINES: KlineHistory = { name: KLINES_SOURCE, maxLimit: MAX_KLINES_LIMIT, windowed: false, dialect: SPOT_DIALECT }

/** What {@link klinePages} fetches. */
export interface KlinePagesRange {
  readonly symbol: string
  readonly interval: string
  /** First open time wanted, µs. */
  readonly from: number
  /** Open times before this, µs; absent: up to the kline open now. */
  readonly before?: number
  /** Most bars wanted in all; absent: no bound. */
  readonly count?: number
}

/**
 * The history source `BarContinuity` recovers missed closes from. It asks
 * for the hole's bars plus one: the bar after the hole (the stream has
 * shown it, open or closed) proves that Binance answered for the whole hole.
 * The hole's bars are closed whatever the page says: the stream has moved past them.
 */
export function klinesSource(fetchPage: KlinesPage, history: KlineHistory = SPOT_KLINES): BarHistorySource {
  return {
    name: history.name,
    async *fetch(hole, signal) {
      const count = barsBetween(hole.interval, hole.fromOpenTime, hole.toOpenTime) + 2
      const range = { symbol: hole.symbol, interval: hole.interval, from: hole.fromOpenTime, count }
      for await (const page of klinePages(fetchPage, range, signal, history)) {
        yield page.map((bar) => (bar.closed || bar.openTime > hole.toOpenTime ? bar : { ...bar, closed: true }))
      }
    },
  }
}

/**
 * Pages of klines ascending by open time from `range.from` on, `history.maxLimit` per request (fewer
 * when `count` asks for fewer). Each request starts at the open time after the last bar received
 * (by the calendar for months), so a start inside a kline never repeats or skips one. Ends when
 * Binance returns fewer rows than asked for (nothing more up to `before` or the present), after
 * `count` bars, or when the consumer stops.
 *
 * @param history the market's klines. Default: spot's.
 * @throws TypeError (rejects) on a body `parseKlineRows` does not accept
 */
export async function* klinePages(
  fetchPage: KlinesPage,
  range: KlinePagesRange,
  signal: AbortSignal,
  history: KlineHistory = SPOT_KLINES,
): AsyncGenerator<BarEvent[]> {
  const { symbol, interval, before } = range
  let from = range.from
  let remaining = range.count ?? Number.POSITIVE_INFINITY
  // Open times before `before` (µs) are the ms open times up to this one, inclusive.
  const endTime = before === undefined ? undefined : Math.ceil(before / 1000) - 1
  while (remaining > 0) {
    const startTime = Math.ceil(from / 1000)
    if (endTime !== undefined && startTime > endTime) return
    const limit = Math.min(history.maxLimit, remaining)
    const pageEnd = history.windowed ? Math.min(endTime ?? Infinity, Math.ceil(addBars(interval, from, limit) / 1000) - 1) : endTime
    const query: KlinesQuery = pageEnd === undefined ? { symbol, interval, startTime, limit } : { symbol, interval, startTime, endTime: pageEnd, limit }
    const bars = parseKlineRows(symbol, interval, await fetchPage(query, signal), nowMicros(), history.dialect)
    if (bars.length > 0) yield bars
    if (bars.length < limit) return
    remaining -= bars.length
    const next = addBars(interval, bars[bars.length - 1]!.openTime, 1)
    // A venue answering with rows before the start asked for must not make this loop forever.
    if (next <= from) return
    from = next
  }
}
