/**
 * Where each record goes: `<out>/<exchange>/<type>/<symbol>/<YYYY-MM-DD>/<segment>.<ext>`,
 * dated by receive time (UTC) by default, so one stream's files never go
 * back in time and sort in the order they were recorded; or by exchange
 * time (`dateBy: 'timestamp'`), so a backfill of old history lands under
 * the dates it happened on.
 */
import { createHash } from 'node:crypto'
import { join } from 'node:path'
import type { MarketEvent } from '@dccd/core'
import type { DateBy } from './options.js'
import { MAX_TIMESTAMP_MICROS, MIN_TIMESTAMP_MICROS } from './validate.js'

/** The kinds of files the recorder writes (the `<type>` path segment). */
export type DataType = 'trades' | 'book' | 'book-snapshots' | 'quotes' | 'derivatives' | 'liquidations' | 'status' | `bars-${string}`

const BARS = /^bars-./
const FIXED_TYPES: ReadonlySet<unknown> = new Set(['trades', 'book', 'book-snapshots', 'quotes', 'derivatives', 'liquidations', 'status'])

/** True for the names {@link DataType} allows (`bars-<interval>`, any non-empty interval the adapter names). */
export function isDataType(value: unknown): value is DataType {
  return FIXED_TYPES.has(value) || (typeof value === 'string' && BARS.test(value))
}

/** One stream of records: everything that shares exchange, type and symbol. */
export interface StreamKey {
  readonly exchange: string
  readonly type: DataType
  /** Exchange-native symbol (`BTC/USD`); `all` for exchange-wide status. */
  readonly symbol: string
}

/** Symbol used in paths for status events that concern the whole connection. */
export const ALL_SYMBOLS = 'all'

/** Longest path segment written, bytes: far below the 255-byte name limit of common filesystems. */
export const MAX_SEGMENT_BYTES = 100
/** Hex digits of the hash that ends a capped segment (64 bits). */
const HASH_DIGITS = 16

/**
 * Makes a name safe as one path segment: every character other than
 * `A-Z a-z 0-9 . _ -` becomes `-` (`BTC/USD` → `BTC-USD`). A result longer
 * than {@link MAX_SEGMENT_BYTES} (a 300-character symbol would otherwise
 * fail with ENAMETOOLONG) is cut to a prefix, `~` and a hash of the full
 * original name: stable across runs, distinct for distinct long names, and
 * never equal to an uncapped segment (which cannot contain `~`). Rows keep
 * the full name.
 *
 * @example pathSegment('BTC/USD') // 'BTC-USD'
 */
export function pathSegment(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9._-]/g, '-')
  if (safe === '' || safe === '.' || safe === '..') return '_'
  if (safe.length <= MAX_SEGMENT_BYTES) return safe // ASCII only: characters are bytes
  const hash = createHash('sha256').update(name).digest('hex').slice(0, HASH_DIGITS)
  return `${safe.slice(0, MAX_SEGMENT_BYTES - HASH_DIGITS - 1)}~${hash}`
}

/** UTC calendar date of a µs timestamp, `YYYY-MM-DD`. */
export function utcDate(micros: number): string {
  return new Date(Math.floor(micros / 1000)).toISOString().slice(0, 10)
}

/**
 * The time that dates a record's partition and names its segment, µs: its
 * receive time, or with `dateBy: 'timestamp'` its exchange time. Records
 * without one (status events) and records whose exchange time no column
 * could hold (the seal sets those aside) fall back to the receive time.
 */
export function partitionTime(record: { readonly timestamp?: number; readonly localTimestamp: number }, dateBy: DateBy): number {
  const { timestamp } = record
  const usable = Number.isSafeInteger(timestamp) && timestamp! >= MIN_TIMESTAMP_MICROS && timestamp! < MAX_TIMESTAMP_MICROS
  return dateBy === 'timestamp' && usable ? timestamp! : record.localTimestamp
}

/** The stream a market event belongs to. */
export function streamOf(event: MarketEvent): StreamKey {
  switch (event.type) {
    case 'trade':
      return { exchange: event.exchange, type: 'trades', symbol: event.symbol }
    case 'book':
      return { exchange: event.exchange, type: 'book', symbol: event.symbol }
    case 'bar':
      return { exchange: event.exchange, type: `bars-${event.interval}`, symbol: event.symbol }
    case 'quote':
      return { exchange: event.exchange, type: 'quotes', symbol: event.symbol }
    case 'derivative':
      return { exchange: event.exchange, type: 'derivatives', symbol: event.symbol }
    case 'liquidation':
      return { exchange: event.exchange, type: 'liquidations', symbol: event.symbol }
    case 'status':
      return { exchange: event.exchange, type: 'status', symbol: event.symbol ?? ALL_SYMBOLS }
  }
}

/** A map key for a stream. */
export function streamId(key: StreamKey): string {
  return `${key.exchange}/${key.type}/${key.symbol}`
}

/** Directory of one stream's files for one date, relative to the output root. */
export function partitionPath(key: StreamKey, date: string): string {
  return join(pathSegment(key.exchange), pathSegment(key.type), pathSegment(key.symbol), date)
}

/**
 * A segment name that sorts by start time (to the µs) and cannot collide
 * between runs: `HHMMSSffffff-<random>` (the date is the folder).
 */
export function segmentName(startMicros: number): string {
  const iso = new Date(Math.floor(startMicros / 1000)).toISOString()
  const time = iso.slice(11, 19).replace(/:/g, '')
  const fraction = String(startMicros % 1_000_000).padStart(6, '0')
  return `${time}${fraction}-${Math.random().toString(36).slice(2, 6).padEnd(4, '0')}`
}
