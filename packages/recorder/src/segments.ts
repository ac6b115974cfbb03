/**
 * The open journal segments of one recorder: one per stream (exchange, data
 * type, symbol), each a {@link JournalSegment} under `<out>/.journal/`. A
 * segment rotates (is closed and handed over for sealing) when the UTC date
 * of its records changes (by receive or exchange time, see `dateBy`), when
 * it holds `maxSegmentRows` rows, and, checked by its timer against the
 * wall clock, when it is `rotateMs` old or a new UTC day has begun. Every
 * new book segment starts with a snapshot of the book as it stands, so each
 * book file replays on its own.
 */
import { join } from 'node:path'
import type { BookEvent, Logger } from '@dccd/core'
import { isDiskWriteError } from './disk-error.js'
import type { DiskFailure } from './disk-failure.js'
import { JournalSegment } from './journal.js'
import type { BookSnapshotSpec, DateBy, RecordFormat } from './options.js'
import { partitionPath, partitionTime, segmentName, streamId, utcDate } from './partition.js'
import type { DataType, StreamKey } from './partition.js'
import type { RecorderTimers } from './timers.js'

/** What a {@link SegmentSet} needs. */
export interface SegmentSetOptions {
  /** The journal root, `<out>/.journal`. */
  readonly root: string
  readonly format: RecordFormat
  /** Which time dates a record's partition and names its segment. */
  readonly dateBy: DateBy
  readonly rotateMs: number
  readonly maxSegmentRows: number
  readonly bookSnapshots: BookSnapshotSpec | undefined
  readonly flushIntervalMs: number
  readonly tickIntervalMs: number
  /** Records journaled per data type (the recorder's stats). */
  readonly records: Map<string, number>
  readonly failure: DiskFailure
  readonly logger: Logger
  /** Clock, µs. */
  readonly now: () => number
  /** The whole current book as a snapshot event, or undefined when it is not known to be right. */
  readonly bookSnapshot: (exchange: string, symbol: string) => BookEvent | undefined
  /** Takes over a rotated segment (closed and fsynced) for sealing. */
  readonly onRotated: (path: string) => void
}

interface OpenSegment {
  readonly key: StreamKey
  /** The partition date of its records. */
  readonly date: string
  /** Wall clock when it was opened, µs (its age for `rotateMs`). */
  readonly openedAt: number
  readonly journal: JournalSegment
}

function rowsOf(event: BookEvent): number {
  return event.bids.length + event.asks.length
}

/** The open segments of one recorder, with their flush and rotation timers. */
export class SegmentSet {
  readonly #options: SegmentSetOptions
  readonly #open = new Map<string, OpenSegment>()
  /** Per stream, the partition date and name time of its last segment this run. */
  readonly #lastNamed = new Map<string, { readonly date: string; readonly at: number }>()

  constructor(options: SegmentSetOptions) {
    this.#options = options
  }

  /** Registers the flush timer and the rotation check. */
  start(timers: RecorderTimers): void {
    timers.every(this.#options.flushIntervalMs, () => this.flush())
    timers.every(this.#options.tickIntervalMs, () => this.rotateDue(this.#options.now()))
  }

  /**
   * Appends one record (an event, a gap marker, a book snapshot record) to
   * its stream's segment, rotating or opening that segment first when needed.
   */
  append(key: StreamKey, record: { readonly timestamp?: number; readonly localTimestamp: number }): void {
    const id = streamId(key)
    const at = partitionTime(record, this.#options.dateBy)
    const date = utcDate(at)
    let segment = this.#open.get(id)
    if (segment !== undefined && (segment.date !== date || segment.journal.rows >= this.#options.maxSegmentRows)) {
      this.#rotate(id, segment)
      segment = undefined
    }
    if (segment === undefined) {
      segment = this.#openSegment(key, date, at)
      // Every book file starts with a snapshot, so it replays without the file before it.
      if (key.type === 'book' && !(record as BookEvent).isSnapshot) {
        const snapshot = this.#options.bookSnapshot(key.exchange, key.symbol)
        if (snapshot !== undefined) segment.journal.append(snapshot, rowsOf(snapshot))
      }
    }
    segment.journal.append(record, key.type === 'book' ? rowsOf(record as BookEvent) : 1)
    this.#options.records.set(key.type, (this.#options.records.get(key.type) ?? 0) + 1)
  }

  /**
   * Rotates every segment that is `rotateMs` old at `now` (wall clock, µs),
   * or whose date and opening day both lie before the UTC day of `now`. The
   * opening day matters when records are dated by exchange time: a backfill
   * segment of an old date is rotated at the next midnight, not at every
   * check.
   *
   * @throws DiskWriteError when the disk refused a write (this time or before)
   */
  rotateDue(now: number): void {
    this.#options.failure.run(this.#options.root, () => {
      const rotateMicros = this.#options.rotateMs * 1000
      for (const [id, segment] of this.#open) {
        const today = utcDate(now)
        const newDay = today !== segment.date && today !== utcDate(segment.openedAt)
        if (now - segment.openedAt >= rotateMicros || newDay) this.#rotate(id, segment)
      }
    })
  }

  /**
   * Writes queued journal lines to their files.
   *
   * @throws DiskWriteError when the disk refused a write (this time or before)
   */
  flush(): void {
    this.#each((segment) => segment.journal.flush())
    this.#options.failure.throwIfFailed()
  }

  /**
   * fsyncs every open segment (flushing first).
   *
   * @throws DiskWriteError when the disk refuses
   */
  sync(): void {
    this.#each((segment) => segment.journal.sync())
  }

  /**
   * Closes every open segment (each is synced first) and returns their paths,
   * for sealing. A segment whose last lines the disk refuses is closed with
   * them dropped: they were never acknowledged (no checkpoint covers them).
   */
  closeAll(): string[] {
    const paths: string[] = []
    for (const segment of this.#open.values()) {
      try {
        segment.journal.close()
      } catch (error) {
        // Never acknowledged: no checkpoint covers them, and the whole lines before them are sealed.
        const failure = this.#options.failure.fail(error, segment.journal.path)
        const why = isDiskWriteError(failure) ? failure.code : (failure as Error).message
        this.#options.logger.warn(`${segment.journal.pending} record(s) for ${segment.journal.path} never reached the disk (${why}); they are not recorded`)
      }
      paths.push(segment.journal.path)
    }
    this.#open.clear()
    return paths
  }

  /** Runs `work` on every open segment, even after one fails; throws the first failure at the end. */
  #each(work: (segment: OpenSegment) => void): void {
    let failure: unknown
    for (const segment of this.#open.values()) {
      try {
        work(segment)
      } catch (error) {
        failure ??= this.#options.failure.fail(error, segment.journal.path)
      }
    }
    if (failure !== undefined) throw failure
  }

  #openSegment(key: StreamKey, date: string, at: number): OpenSegment {
    // Names sort by start time; never let two segments of one stream and date share one in this run.
    const id = streamId(key)
    const last = this.#lastNamed.get(id)
    if (last !== undefined && last.date === date) at = Math.max(at, last.at + 1)
    this.#lastNamed.set(id, { date, at })
    const path = join(this.#options.root, partitionPath(key, date), `${segmentName(at)}.jsonl`)
    const depth = key.type === 'book-snapshots' ? this.#options.bookSnapshots?.depth : undefined
    const header = { dccd: 'journal', version: 1, type: key.type as DataType, format: this.#options.format, ...(depth ? { depth } : {}) } as const
    const segment: OpenSegment = { key, date, openedAt: this.#options.now(), journal: JournalSegment.create(path, header) }
    this.#open.set(id, segment)
    return segment
  }

  #rotate(id: string, segment: OpenSegment): void {
    // Sync first: if the disk refuses, the segment stays open with its lines queued for a later try.
    segment.journal.sync()
    this.#open.delete(id)
    segment.journal.close()
    this.#options.onRotated(segment.journal.path)
  }
}
