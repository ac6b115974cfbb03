import { describe, expect, it } from 'vitest'
import { klinePages, klinesSource } from '../src/bars.js'
import type { KlinesPage } from '../src/bars.js'
import { parseFirstTradeId, parseKlineRows, parseFrame } from '../src/parse.js'
import type { KlinesQuery } from '../src/rest.js'

const MINUTE_MS = 60_000
const T0 = 1_700_000_040_000 // a minute boundary, ms
const NOW = (T0 + 10 * MINUTE_MS) * 1000 // receive time, µs: ten minutes later

/** A `GET /api/v3/klines` row of the 1m kline opening `k` minutes after T0. */
function row(k: number, close = '100.00000000', volume = '1.50000000'): unknown[] {
  const open = T0 + k * MINUTE_MS
  return [open, '100.00000000', '101.00000000', '99.00000000', close, volume, open + MINUTE_MS - 1, '150.0', 3, '0.5', '50.0', '0']
}

describe('parseKlineRows', () => {
  it('reads rows as bars in µs, closed when a later row follows or the close time has passed', () => {
    const bars = parseKlineRows('BTCUSDT', '1m', [row(0), row(1, '100.5', '0.00000000'), row(11)], NOW)
    expect(bars[0]).toEqual({
      type: 'bar',
      exchange: 'binance',
      symbol: 'BTCUSDT',
      interval: '1m',
      openTime: T0 * 1000,
      open: 100,
      high: 101,
      low: 99,
      close: 100,
      volume: 1.5,
      closed: true,
      timestamp: (T0 + MINUTE_MS - 1) * 1000,
      localTimestamp: NOW,
    })
    // A zero-volume row (an interval without trades) is Binance's own bar, kept as it is.
    expect(bars[1]).toMatchObject({ closed: true, close: 100.5, volume: 0 })
    // The last row closes after the receive time: the kline still open, stamped with the receive time.
    expect(bars[2]).toMatchObject({ openTime: (T0 + 11 * MINUTE_MS) * 1000, closed: false, timestamp: NOW })
    expect(parseKlineRows('BTCUSDT', '1m', [row(9)], NOW)[0]!.closed).toBe(true)
    expect(parseKlineRows('BTCUSDT', '1m', [], NOW)).toEqual([])
  })

  it.each([
    ['a body that is not a list', { code: -1121 }],
    ['a row that is not a list', [{ t: T0 }]],
    ['a short row', [row(0).slice(0, 6)]],
    ['a text open time', [[String(T0), ...row(0).slice(1)]]],
    ['an open time in seconds', [[T0 / 1000, ...row(0).slice(1)]]],
    ['a number for a price', [[T0, 100, ...row(0).slice(2)]]],
    ['a decimal with an exponent', [[...row(0).slice(0, 5), '1e3', ...row(0).slice(6)]]],
    ['a negative volume', [[...row(0).slice(0, 5), '-1', ...row(0).slice(6)]]],
    ['a close time before the open', [[...row(0).slice(0, 6), T0 - 1, ...row(0).slice(7)]]],
    ['a close time past the interval', [[...row(0).slice(0, 6), T0 + MINUTE_MS, ...row(0).slice(7)]]],
    ['open times out of order', [row(1), row(0)]],
    ['a repeated open time', [row(0), row(0)]],
  ])('throws on %s', (_what, body) => {
    expect(() => parseKlineRows('BTCUSDT', '1m', body, NOW)).toThrow(TypeError)
  })

  it('accepts calendar-month klines, whose length varies', () => {
    const jan = Date.UTC(2023, 0, 1)
    const feb = Date.UTC(2023, 1, 1)
    const rows = [
      [jan, '1', '1', '1', '1', '1', feb - 1, '1', 1, '1', '1', '0'],
      [feb, '1', '1', '1', '1', '1', Date.UTC(2023, 2, 1) - 1, '1', 1, '1', '1', '0'],
    ]
    expect(parseKlineRows('BTCUSDT', '1M', rows, NOW).map((bar) => [bar.openTime, bar.closed])).toEqual([
      [jan * 1000, true],
      [feb * 1000, true],
    ])
  })

  it("reads the stream's final update of an interval without trades (n 0, f = L = -1) as a closed zero-volume bar", () => {
    // Shape of a real 1s kline frame of a quiet second.
    const raw =
      '{"e":"kline","E":1682244928001,"s":"ETHUSDT","k":{"t":1682244927000,"T":1682244927999,"s":"ETHUSDT","i":"1s","f":-1,"L":-1,"o":"1870.76000000","c":"1870.76000000","h":"1870.76000000","l":"1870.76000000","v":"0.00000000","n":0,"x":true,"q":"0.00000000","V":"0.00000000","Q":"0.00000000"}}'
    expect(parseFrame(raw, 1_682_244_928_100_000)).toMatchObject({ type: 'bar', interval: '1s', closed: true, volume: 0, open: 1870.76, close: 1870.76 })
  })
})

describe('parseFirstTradeId', () => {
  it('reads f of the first aggTrades row, undefined for none, and throws on anything else', () => {
    expect(parseFirstTradeId([{ a: 26129, p: '0.01633102', q: '4.70443515', f: 27781, l: 27783, T: 1498793709153, m: true, M: true }])).toBe(27781)
    expect(parseFirstTradeId([])).toBe(undefined)
    for (const body of [{}, [{ f: '27781' }], [{ f: -1 }], [{ f: 1.5 }], [null]]) expect(() => parseFirstTradeId(body)).toThrow(TypeError)
  })
})

/** A klines endpoint over 1m rows `0..last` (open times T0 + k min; `missing` left out), as Binance selects them. */
function klines(last: number, missing: readonly number[] = []): { fetch: KlinesPage; queries: KlinesQuery[] } {
  const queries: KlinesQuery[] = []
  const fetch: KlinesPage = async (query) => {
    queries.push(query)
    const rows: unknown[] = []
    for (let k = 0; k <= last && rows.length < query.limit; k++) {
      const open = T0 + k * MINUTE_MS
      if (missing.includes(k) || open < query.startTime || (query.endTime !== undefined && open > query.endTime)) continue
      rows.push(row(k))
    }
    return rows
  }
  return { fetch, queries }
}

const signal = new AbortController().signal
const minutesOf = (pages: ReadonlyArray<ReadonlyArray<{ openTime: number }>>): number[][] => pages.map((page) => page.map((bar) => (bar.openTime / 1000 - T0) / MINUTE_MS))

describe('klinePages', () => {
  it('pages by open time from the bar after the last one received, and stops at a short page', async () => {
    const { fetch, queries } = klines(2500)
    const pages = []
    for await (const page of klinePages(fetch, { symbol: 'BTCUSDT', interval: '1m', from: (T0 + 30_500) * 1000 }, signal)) pages.push(page)
    expect(pages.map((page) => page.length)).toEqual([1000, 1000, 500])
    expect(minutesOf(pages).map((page) => [page[0], page.at(-1)])).toEqual([
      [1, 1000],
      [1001, 2000],
      [2001, 2500],
    ])
    // A start inside a kline is rounded up to the ms, and Binance selects by open time.
    expect(queries.map((q) => [q.startTime, q.endTime, q.limit])).toEqual([
      [T0 + 30_500, undefined, 1000],
      [T0 + 1001 * MINUTE_MS, undefined, 1000],
      [T0 + 2001 * MINUTE_MS, undefined, 1000],
    ])
  })

  it('asks for open times before `before` with endTime, and stops after `count` bars', async () => {
    const { fetch, queries } = klines(100)
    const pages = []
    for await (const page of klinePages(fetch, { symbol: 'BTCUSDT', interval: '1m', from: T0 * 1000, before: (T0 + 50 * MINUTE_MS) * 1000, count: 10 }, signal)) {
      pages.push(page)
    }
    expect(minutesOf(pages)).toEqual([[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]])
    expect(queries).toEqual([{ symbol: 'BTCUSDT', interval: '1m', startTime: T0, endTime: T0 + 50 * MINUTE_MS - 1, limit: 10 }])
  })
})

describe('klinesSource', () => {
  it('asks for the hole plus the bar after it, so an answer without a bar inside the hole still covers it', async () => {
    const { fetch, queries } = klines(10, [3, 4])
    const source = klinesSource(fetch)
    const pages = []
    for await (const page of source.fetch({ symbol: 'BTCUSDT', interval: '1m', fromOpenTime: (T0 + 2 * MINUTE_MS) * 1000, toOpenTime: (T0 + 4 * MINUTE_MS) * 1000 }, signal)) {
      pages.push(page)
    }
    expect(source.name).toBe('GET /api/v3/klines')
    expect(queries.map((q) => [q.startTime, q.limit])).toEqual([[T0 + 2 * MINUTE_MS, 4]])
    expect(minutesOf(pages)).toEqual([[2, 5, 6, 7]])
  })

  it("marks the hole's bars closed even when the clock says otherwise (the stream has shown a later bar)", async () => {
    // The last row answered closes after the receive time: a local clock behind Binance's.
    const future = Date.now() + 10 * MINUTE_MS
    const fetch: KlinesPage = async () => [[future - 2 * MINUTE_MS, '1', '1', '1', '1', '1', future - MINUTE_MS - 1, '1', 1, '1', '1', '0']]
    const pages = []
    const hole = { symbol: 'BTCUSDT', interval: '1m', fromOpenTime: (future - 2 * MINUTE_MS) * 1000, toOpenTime: (future - 2 * MINUTE_MS) * 1000 }
    for await (const page of klinesSource(fetch).fetch(hole, signal)) pages.push(page)
    expect(pages[0]![0]).toMatchObject({ closed: true })
  })
})
