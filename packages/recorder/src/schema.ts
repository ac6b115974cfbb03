/**
 * Row layouts of each data type. Every row has `timestamp` (exchange time)
 * and `localTimestamp` (receive time), both µs, stored as Parquet
 * TIMESTAMP(MICROS, UTC).
 */
import type { DataType } from './partition.js'

/** Column value kinds, mapped to Parquet physical/logical types by the sink. */
export type ColumnKind = 'timestamp' | 'double' | 'string' | 'boolean' | 'int64'

/** One column of a data type. */
export interface Column {
  readonly name: string
  readonly kind: ColumnKind
  /** May hold null. Default false. */
  readonly nullable?: boolean
  /** For a string column: the only values it may hold (a record with another is set aside). Default: any string. */
  readonly values?: readonly string[]
}

const TIMES: Column[] = [
  { name: 'timestamp', kind: 'timestamp' },
  { name: 'localTimestamp', kind: 'timestamp' },
  { name: 'exchange', kind: 'string' },
  { name: 'symbol', kind: 'string' },
]

/** Trades: one row per trade. */
export const TRADE_COLUMNS: readonly Column[] = [
  ...TIMES,
  { name: 'id', kind: 'string' },
  { name: 'side', kind: 'string' },
  { name: 'price', kind: 'double' },
  { name: 'amount', kind: 'double' },
]

/**
 * Book change stream: one row per level. Rows of one exchange message share
 * `eventIndex` (0-based within the file). Replaying a file in row order from
 * an empty book rebuilds the exchange's book exactly: a row with
 * `isSnapshot` whose `eventIndex` differs from the previous row's clears the
 * book first; then set the level (`amount` 0 removes it). Every book file
 * starts with a snapshot. `eventIndex` restarts at 0 in each file, so a
 * reader of several files clears at each file's start (or keys events by
 * file and `eventIndex`).
 */
export const BOOK_COLUMNS: readonly Column[] = [
  ...TIMES,
  { name: 'eventIndex', kind: 'int64' },
  { name: 'isSnapshot', kind: 'boolean' },
  { name: 'side', kind: 'string' },
  { name: 'price', kind: 'double' },
  { name: 'amount', kind: 'double' },
]

/** Bars: one row per bar update (`closed` marks the final one). */
export const BAR_COLUMNS: readonly Column[] = [
  ...TIMES,
  { name: 'interval', kind: 'string' },
  { name: 'openTime', kind: 'timestamp' },
  { name: 'open', kind: 'double' },
  { name: 'high', kind: 'double' },
  { name: 'low', kind: 'double' },
  { name: 'close', kind: 'double' },
  { name: 'volume', kind: 'double' },
  { name: 'closed', kind: 'boolean' },
]

/** Connection and continuity markers (`timestamp` = `localTimestamp`). */
export const STATUS_COLUMNS: readonly Column[] = [
  ...TIMES,
  { name: 'status', kind: 'string' },
  { name: 'channel', kind: 'string', nullable: true },
  { name: 'reason', kind: 'string', nullable: true },
  { name: 'fromId', kind: 'string', nullable: true },
  { name: 'toId', kind: 'string', nullable: true },
]

/** Quotes: one row per best bid/offer update. */
export const QUOTE_COLUMNS: readonly Column[] = [
  ...TIMES,
  { name: 'bidPrice', kind: 'double' },
  { name: 'bidAmount', kind: 'double' },
  { name: 'askPrice', kind: 'double' },
  { name: 'askAmount', kind: 'double' },
]

/**
 * Derivatives: one row per derivative message. A venue sends these fields in
 * separate messages (Binance: mark price and funding in `markPrice`, open
 * interest from REST), so each is nullable: NULL where the message did not
 * carry it, never 0 (a 0 funding rate is a real value). A reader wanting the
 * state at a time takes, per column, the last non-NULL value before it.
 */
export const DERIVATIVE_COLUMNS: readonly Column[] = [
  ...TIMES,
  { name: 'markPrice', kind: 'double', nullable: true },
  { name: 'indexPrice', kind: 'double', nullable: true },
  { name: 'fundingRate', kind: 'double', nullable: true },
  { name: 'fundingTime', kind: 'timestamp', nullable: true },
  { name: 'openInterest', kind: 'double', nullable: true },
]

/** Liquidations: one row per forced liquidation order; `id` is NULL where the venue gives none. */
export const LIQUIDATION_COLUMNS: readonly Column[] = [
  ...TIMES,
  { name: 'id', kind: 'string', nullable: true },
  { name: 'side', kind: 'string', values: ['buy', 'sell'] },
  { name: 'price', kind: 'double' },
  { name: 'amount', kind: 'double' },
]

/** Top-N book snapshots: `bidPrice0`, `bidAmount0`, … `askAmount<N-1>`; null past the book's depth. */
export function bookSnapshotColumns(depth: number): Column[] {
  const columns = [...TIMES]
  for (const side of ['bid', 'ask']) {
    for (let i = 0; i < depth; i++) {
      columns.push({ name: `${side}Price${i}`, kind: 'double', nullable: true })
      columns.push({ name: `${side}Amount${i}`, kind: 'double', nullable: true })
    }
  }
  return columns
}

/**
 * Columns of a data type (`depth` for book snapshots), in file order: what a
 * reader can expect before any file exists (to create a table, say).
 *
 * @example columnsFor('trades').map((c) => c.name) // ['timestamp', 'localTimestamp', 'exchange', 'symbol', 'id', 'side', 'price', 'amount']
 */
export function columnsFor(type: DataType, depth = 0): readonly Column[] {
  if (type === 'trades') return TRADE_COLUMNS
  if (type === 'book') return BOOK_COLUMNS
  if (type === 'status') return STATUS_COLUMNS
  if (type === 'quotes') return QUOTE_COLUMNS
  if (type === 'derivatives') return DERIVATIVE_COLUMNS
  if (type === 'liquidations') return LIQUIDATION_COLUMNS
  if (type === 'book-snapshots') return bookSnapshotColumns(depth)
  return BAR_COLUMNS
}

/**
 * Names of the columns that hold µs timestamps in any data type. JSON Lines
 * files carry no types, so their reader recognises timestamps by name.
 */
export const TIMESTAMP_COLUMN_NAMES: ReadonlySet<string> = new Set(
  [TRADE_COLUMNS, BOOK_COLUMNS, BAR_COLUMNS, STATUS_COLUMNS, QUOTE_COLUMNS, DERIVATIVE_COLUMNS, LIQUIDATION_COLUMNS]
    .flat()
    .filter((column) => column.kind === 'timestamp')
    .map((column) => column.name),
)
