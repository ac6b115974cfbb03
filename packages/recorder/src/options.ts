/** The recording settings a caller chooses, shared by the recorder's parts (and by the CLI's parsers). */

/** Output formats of sealed files. */
export type RecordFormat = 'parquet' | 'jsonl' | 'csv'

/** Periodic top-N snapshots of every book (`dccd record --book-snapshots 1s:20`). */
export interface BookSnapshotSpec {
  /** Snapshot period, ms. */
  intervalMs: number
  /** Levels per side. */
  depth: number
}
