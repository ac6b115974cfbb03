/**
 * Kraken's bar history, REST `GET /0/public/OHLC`
 * (https://docs.kraken.com/api-reference/market-data/get-ohlc-data): what
 * live bar recovery and the history download both read.
 *
 * What Kraken serves, and how it is read here:
 * - only the **720 most recent intervals**, the current one included; older
 *   ones cannot be retrieved, whatever `since` says. A range starting before
 *   that window is one `gap` whose reason says so, then the rest is served.
 * - rows **after** `since` (unix seconds, exclusive); the adapter asks from
 *   one interval before the first bar it wants, so that bar comes back
 *   whether or not Kraken counts `since` itself.
 * - the **last row is the current interval**, not committed yet: it is never
 *   emitted as closed. Lying past a hole, it proves the hole complete; inside
 *   one (REST lagging behind the WebSocket) it is left out and the call is
 *   repeated a few times.
 * - an interval **without trades is a row** too, flat at the previous close
 *   with vwap, volume and count 0 (wire.ts). The WebSocket sends nothing for
 *   such an interval (updates come only on trades), so with bar continuity on
 *   a quiet interval is a hole at the next update, and the call fills it with
 *   Kraken's zero-volume bar: the live series has one closed bar per
 *   interval, as the REST series has.
 * Calls share the pair's pacing with `Trades` (`KrakenRest`).
 */
import { barGapEvent, decimalToNumber, isPlausibleExchangeTime, microsToIso, nowMicros } from '@dccd/core'
import type { BarEvent, BarHistorySource, BarHole, MarketEvent } from '@dccd/core'
import type { RestClient } from '@dccd/transport'
import { EXCHANGE_ID, intervalToMinutes } from './capabilities.js'
import type { KrakenRest } from './rest.js'
import type { KrakenOhlcResponse, KrakenRestOhlc } from './wire.js'

/** The endpoint, as gap reasons name it. */
export const OHLC_ENDPOINT = 'GET /0/public/OHLC'
/** Intervals Kraken serves per pair and interval: the most recent ones, the current one included. */
export const OHLC_WINDOW = 720
/** Calls repeated while the current row still lies inside the hole (REST behind the WebSocket). */
const LAG_RETRIES = 3

/** One `OHLC` answer, read. */
export interface OhlcPage {
  /** Committed rows, as closed bars ascending by open time. */
  readonly closed: readonly BarEvent[]
  /** The current interval (open). */
  readonly current: BarEvent | undefined
  /** Open time of the oldest interval Kraken still serves (the current one's minus 719 intervals), µs. */
  readonly windowStart: number | undefined
}

/** A bar interval's length, µs. */
export function intervalLength(interval: string): number {
  const minutes = intervalToMinutes(interval)
  if (minutes === undefined) throw new TypeError(`Kraken serves no ${interval} OHLC`)
  return minutes * 60_000_000
}

/**
 * One `OHLC` call for bars from the one opening at `fromOpenTime` (µs) on.
 *
 * @throws TypeError for a row of the wrong shape or with an implausible time; what the client throws
 */
export async function ohlcPage(
  client: RestClient,
  pair: string,
  symbol: string,
  interval: string,
  fromOpenTime: number,
  signal: AbortSignal,
): Promise<OhlcPage> {
  const length = intervalLength(interval)
  const since = Math.floor((fromOpenTime - length) / 1_000_000)
  const query = { pair, interval: length / 60_000_000, since: Math.max(0, since) }
  const response = await client.getJson<KrakenOhlcResponse>('/0/public/OHLC', { query, signal })
  const now = nowMicros()
  const bars = rowsOf(response).map((row) => restBarEvent(symbol, interval, row, true, now))
  bars.sort((a, b) => a.openTime - b.openTime)
  const last = bars.pop()
  const current = last === undefined ? undefined : { ...last, closed: false, timestamp: now }
  return { closed: bars, current, windowStart: current === undefined ? undefined : current.openTime - (OHLC_WINDOW - 1) * length }
}

/**
 * The part of `fromOpenTime`..`toOpenTime` (open times, µs) that `page` shows
 * Kraken no longer serves: before its window, up to its first row. Undefined
 * when the range starts inside the window.
 */
export function unservedRange(page: OhlcPage, interval: string, fromOpenTime: number, toOpenTime: number): { from: number; to: number } | undefined {
  if (page.windowStart === undefined || fromOpenTime >= page.windowStart) return undefined
  const first = page.closed[0]?.openTime ?? page.current!.openTime
  const to = Math.min(toOpenTime, first - intervalLength(interval))
  return to < fromOpenTime ? undefined : { from: fromOpenTime, to }
}

/** The reason of the gap for an {@link unservedRange}. */
export function unservedReason(page: OhlcPage): string {
  return `not served by ${OHLC_ENDPOINT}: Kraken serves only the latest ${OHLC_WINDOW} intervals (from ${microsToIso(page.windowStart!)})`
}

/**
 * The history source `BarContinuity` recovers missed closes from. Bars that
 * Kraken no longer serves are reported through `report` as one `gap` marker,
 * just before the first page: it then goes out in its place, before the
 * recovered bars.
 */
export function krakenOhlcSource(rest: KrakenRest, report: (event: MarketEvent) => void): BarHistorySource {
  return {
    name: OHLC_ENDPOINT,
    fetch: (hole, signal) => holeBars(rest, hole, signal, report),
  }
}

async function* holeBars(rest: KrakenRest, hole: BarHole, signal: AbortSignal, report: (event: MarketEvent) => void): AsyncGenerator<BarEvent[]> {
  const { pair, client } = await rest.pair(hole.symbol, signal)
  for (let attempt = 0; ; attempt++) {
    const page = await ohlcPage(client, pair, hole.symbol, hole.interval, hole.fromOpenTime, signal)
    const unserved = attempt === 0 ? unservedRange(page, hole.interval, hole.fromOpenTime, hole.toOpenTime) : undefined
    if (unserved !== undefined) {
      report(barGapEvent(EXCHANGE_ID, hole.symbol, hole.interval, unserved.from, unserved.to, unservedReason(page)))
    }
    const current = page.current
    const covered = current !== undefined && current.openTime > hole.toOpenTime
    // Inside the hole the current row is not final: the engine would count its interval as done.
    yield covered ? [...page.closed, current] : [...page.closed]
    if (covered || attempt >= LAG_RETRIES) return
  }
}

/**
 * One REST row → a bar. A closed bar's `timestamp` is its end.
 *
 * @throws TypeError for a row of the wrong shape, with an unreadable decimal, or an implausible time
 */
export function restBarEvent(symbol: string, interval: string, row: KrakenRestOhlc, closed: boolean, localTimestamp = nowMicros()): BarEvent {
  if (!Array.isArray(row) || !Number.isSafeInteger(row[0]) || row.length < 7) {
    throw new TypeError(`Not a Kraken REST OHLC row: ${JSON.stringify(row)?.slice(0, 200)}`)
  }
  const openTime = row[0] * 1_000_000
  if (!isPlausibleExchangeTime(openTime, localTimestamp)) throw new TypeError(`Implausible Kraken OHLC time ${row[0]}`)
  const [open, high, low, close, volume] = [row[1], row[2], row[3], row[4], row[6]].map(decimal) as [number, number, number, number, number]
  if (!(open < Infinity && high < Infinity && low < Infinity && close < Infinity && volume < Infinity)) {
    throw new TypeError(`Kraken REST OHLC row with an unreadable value: ${JSON.stringify(row).slice(0, 200)}`)
  }
  return {
    type: 'bar',
    exchange: EXCHANGE_ID,
    symbol,
    interval,
    openTime,
    open,
    high,
    low,
    close,
    volume,
    closed,
    timestamp: openTime + intervalLength(interval),
    localTimestamp,
  }
}

function decimal(text: unknown): number {
  return typeof text === 'string' ? decimalToNumber(text) : Number.NaN
}

/** The one pair array of a response (keyed by Kraken's REST pair key, e.g. `XXBTZUSD`). */
function rowsOf(response: KrakenOhlcResponse): KrakenRestOhlc[] {
  for (const [key, value] of Object.entries(response.result ?? {})) if (key !== 'last' && Array.isArray(value)) return value
  return []
}
