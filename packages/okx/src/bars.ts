/**
 * OKX's closed-bar rule and its recovery endpoint.
 *
 * Rule: a candle stream pushes each bar on every change and once more with
 * `confirm: "1"` when it closes; closed bars of an instrument and interval
 * open one interval apart, so core's `BarContinuity` checks them, and a
 * missed close (a dropped frame, a reconnect, a restart given a resume
 * point) is a hole. An interval OKX has no candle for is not invented: the
 * history proves it by returning a bar after it.
 * https://www.okx.com/docs-v5/en/#order-book-trading-market-data-ws-candlesticks-channel
 *
 * Recovery: `GET /api/v5/market/history-candles` selects by open time with
 * exclusive bounds (`before` < open time < `after`, ms) and returns at most
 * 100 rows, newest first; it is read in windows of 100 intervals, oldest
 * first, up to one interval past the hole.
 * https://www.okx.com/docs-v5/en/#order-book-trading-market-data-get-candlesticks-history
 */
import { addBars, nowMicros } from '@dccd/core'
import type { BarEvent, BarHistorySource, BarHole } from '@dccd/core'
import type { RestClient } from '@dccd/transport'
import { restBar } from './capabilities.js'
import { candleBar } from './parse.js'
import { fetchCandles, MAX_ROWS_PER_PAGE } from './rest.js'

/** Names the endpoint in gap reasons. */
export const CANDLE_HISTORY = 'GET /api/v5/market/history-candles'

/** The history source `MarketFeed` recovers missed closes from (also the backfill's). */
export function candleHistory(client: RestClient): BarHistorySource {
  return { name: CANDLE_HISTORY, fetch: (hole, signal) => pages(client, hole, signal) }
}

async function* pages(client: RestClient, hole: BarHole, signal: AbortSignal): AsyncGenerator<BarEvent[]> {
  const { symbol, interval } = hole
  // One bar past the hole proves the intervals OKX returned nothing for had no bar.
  const last = addBars(interval, hole.toOpenTime, 1)
  let start = hole.fromOpenTime
  while (start <= last) {
    const end = addBars(interval, start, MAX_ROWS_PER_PAGE)
    // Bounds are exclusive and in ms: one ms either side of the window's first and past its last open time.
    const query = { instId: symbol, bar: restBar(interval), before: Math.ceil(start / 1000) - 1, after: Math.ceil(Math.min(end, addBars(interval, last, 1)) / 1000) }
    const rows = await fetchCandles(client, query, signal)
    const now = nowMicros()
    const bars = rows.map((row) => candleBar(row, symbol, interval, now, false)).sort((a, b) => a.openTime - b.openTime)
    yield bars
    if (bars.some((bar) => bar.openTime > hole.toOpenTime)) return
    start = end
  }
}
