/** What a caller chooses about a recording, and the counters it can read back. */
import type { CheckpointStore, Logger } from '@dccd/core'

/** Output formats of sealed files. */
export type RecordFormat = 'parquet' | 'jsonl' | 'csv'

/** Periodic top-N snapshots of every book (`dccd record --book-snapshots 1s:20`). */
export interface BookSnapshotSpec {
  /** Snapshot period, ms. */
  intervalMs: number
  /** Levels per side. */
  depth: number
}

/**
 * Which time dates the files: `localTimestamp`, the receive time (one
 * stream's files never go back in time), or `timestamp`, the exchange time
 * (a backfill of 2026-11-01 history lands under `2026-11-01/`). Status
 * events have no exchange time and always go by receive time.
 */
export type DateBy = 'localTimestamp' | 'timestamp'

/** Settings of a {@link Recorder}. */
export interface RecorderOptions {
  /** Output root: data files, `.journal/`, `.quarantine/` (and usually the checkpoint store) live below it. */
  out: string
  format: RecordFormat
  /**
   * Where the last recorded trade and closed bar of each stream are saved
   * (e.g. `new FileCheckpointStore(join(out, '.checkpoints'))`).
   */
  checkpoints: CheckpointStore
  /**
   * Which time gives a record its partition date (`<YYYY-MM-DD>/`) and its
   * segment its name. Rotation by age (`rotateMs`) and at midnight always
   * follows the wall clock (`now`). Default `localTimestamp`.
   */
  dateBy?: DateBy
  /** Seal a segment once it is this old (by the wall clock), ms. Default 1 h. */
  rotateMs?: number
  /**
   * Seal a segment once it holds this many table rows (a book message counts
   * one per level). Bounds the memory and time a seal needs. Default 100 000.
   */
  maxSegmentRows?: number
  /** Periodic top-N snapshots of every book. Default: off. */
  bookSnapshots?: BookSnapshotSpec
  /** After `start()`: write queued journal lines to their files this often, ms. Default 200. */
  flushIntervalMs?: number
  /** After `start()`: fsync the journal, then save the trade and bar checkpoints it covers, this often, ms. Default 1000. */
  syncIntervalMs?: number
  /** After `start()`: check for segments due to rotate and book snapshots due this often, ms. Default 100. */
  tickIntervalMs?: number
  /**
   * Called once with the first error thrown by the recorder's own timers (a
   * disk refusing a write is a `DiskWriteError`); the timers stop then, and
   * the caller should stop feeding it and `close()` it. Default: logs it as
   * an error through `logger`.
   */
  onFailure?: (error: unknown) => void
  logger?: Logger
  /** Clock, µs. Default `nowMicros`. */
  now?: () => number
}

/** Counters for a status line and a final summary. */
export interface RecorderStats {
  /** Records journaled, by data type (`trades`, `book`, `bars-1m`, …). */
  readonly records: Map<string, number>
  duplicates: number
  gaps: number
  resyncs: number
  filesSealed: number
  rowsSealed: number
}
