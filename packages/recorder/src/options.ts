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

/** Settings of a {@link Recorder}. */
export interface RecorderOptions {
  /** Output root: data files, `.journal/`, `.quarantine/` (and usually the checkpoint store) live below it. */
  out: string
  format: RecordFormat
  /** Where the last recorded trade of each stream is saved (e.g. `new FileCheckpointStore(join(out, '.checkpoints'))`). */
  checkpoints: CheckpointStore
  /** Seal a segment once it is this old, ms. Default 1 h. */
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
  /** After `start()`: fsync the journal, then save the trade checkpoints it covers, this often, ms. Default 1000. */
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
