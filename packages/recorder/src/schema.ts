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
  if (type === 'book-snapshots') return bookSnapshotColumns(depth)
  return BAR_COLUMNS
}
