/**
 * Bar interval arithmetic: how long an interval is, and where one bar's
 * successor opens. Bars are counted, not timed: a closed-bar series is
 * continuous when each bar opens exactly where the one before it ends, which
 * for calendar months (`1M`) is not a fixed number of µs.
 */
import { InvalidArgumentError } from './errors.js'

const UNIT_MS: Readonly<Record<string, number>> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
}

const INTERVAL = /^([1-9]\d{0,3})([smhdwM])$/

/**
 * Length of a fixed interval, µs; undefined for calendar months (`1M`), whose length varies.
 *
 * @example intervalMicros('5m') // 300_000_000
 * @throws InvalidArgumentError for a name that is not `<n><s|m|h|d|w|M>`
 */
export function intervalMicros(interval: string): number | undefined {
  const match = INTERVAL.exec(interval)
  if (match === null) throw new InvalidArgumentError('bar interval', interval, ['<n>s', '<n>m', '<n>h', '<n>d', '<n>w', '<n>M'])
  if (match[2] === 'M') return undefined
  return Number(match[1]) * UNIT_MS[match[2]!]! * 1000
}

/**
 * Open time of the bar after the one opening at `openTime` (µs). Months step
 * by calendar month in UTC.
 *
 * @example nextOpenTime('1M', Date.UTC(2024, 0, 1) * 1000) === Date.UTC(2024, 1, 1) * 1000
 */
export function nextOpenTime(interval: string, openTime: number): number {
  return addBars(interval, openTime, 1)
}

/**
 * Open time `count` bars after (or before, when negative) the bar opening at `openTime`, µs.
 */
export function addBars(interval: string, openTime: number, count: number): number {
  const fixed = intervalMicros(interval)
  if (fixed !== undefined) return openTime + count * fixed
  const months = Number(INTERVAL.exec(interval)![1])
  const date = new Date(Math.floor(openTime / 1000))
  const sub = openTime - date.getTime() * 1000
  date.setUTCMonth(date.getUTCMonth() + count * months)
  return date.getTime() * 1000 + sub
}

/**
 * Bars from the one opening at `from` to the one opening at `to`: 0 when
 * they are the same bar, negative when `to` opens first. Exact for fixed
 * intervals whose bars are aligned alike (any constant offset); calendar
 * months are counted by calendar.
 */
export function barsBetween(interval: string, from: number, to: number): number {
  const fixed = intervalMicros(interval)
  if (fixed !== undefined) return Math.round((to - from) / fixed)
  const months = Number(INTERVAL.exec(interval)![1])
  const a = new Date(Math.floor(from / 1000))
  const b = new Date(Math.floor(to / 1000))
  const diff = (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + b.getUTCMonth() - a.getUTCMonth()
  return Math.trunc(diff / months)
}
