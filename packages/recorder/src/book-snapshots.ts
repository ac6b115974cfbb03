/**
 * Periodic top-N snapshots of every book (`book-snapshots` files), taken
 * from the books the recorder keeps (book-tracker.ts), so they never show a
 * book that is resyncing. Snapshots fall on whole multiples of the
 * interval: the first check arms the schedule, and each later check at or
 * past the next multiple writes one record per valid, non-empty book,
 * stamped with the time of that check.
 */
import type { BookTracker } from './book-tracker.js'
import type { DiskFailure } from './disk-failure.js'
import type { BookSnapshotSpec } from './options.js'
import type { SegmentSet } from './segments.js'
import type { RecorderTimers } from './timers.js'

/** What {@link BookSnapshots} needs. */
export interface BookSnapshotsOptions {
  readonly spec: BookSnapshotSpec
  readonly books: BookTracker
  readonly segments: SegmentSet
  readonly failure: DiskFailure
  /** The journal root, naming a failure to open a snapshot segment. */
  readonly root: string
  readonly tickIntervalMs: number
  /** Clock, µs. */
  readonly now: () => number
}

/** The book snapshot schedule, with its timer. */
export class BookSnapshots {
  readonly #options: BookSnapshotsOptions
  #nextAt = 0

  constructor(options: BookSnapshotsOptions) {
    this.#options = options
  }

  /** Registers the schedule check. */
  start(timers: RecorderTimers): void {
    timers.every(this.#options.tickIntervalMs, () => this.takeDue(this.#options.now()))
  }

  /**
   * Writes the snapshots due at `now` (µs), if any.
   *
   * @throws DiskWriteError when the disk refused a write (this time or before)
   */
  takeDue(now: number): void {
    const { spec, books, segments, failure, root } = this.#options
    failure.run(root, () => {
      if (now < this.#nextAt) return
      const intervalMicros = spec.intervalMs * 1000
      if (this.#nextAt !== 0) {
        for (const record of books.topOfBooks(spec.depth, now)) {
          segments.append({ exchange: record.exchange, type: 'book-snapshots', symbol: record.symbol }, record)
        }
      }
      this.#nextAt = (Math.floor(now / intervalMicros) + 1) * intervalMicros
    })
  }
}
