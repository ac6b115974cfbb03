/**
 * The recording pipeline: accepted events → journal segments (one open
 * segment per stream) → sealed data files on rotation and at close. The
 * journal is the acknowledgement: `flush()` (several times a second) writes
 * it to the file, `sync()` (every second) fsyncs it and only then saves
 * checkpoints, so a checkpoint never claims more than the journal holds.
 * Every seal, at start, on rotation and at close, goes data file →
 * checkpoint at or after the segment's last trade → journal removal, so a
 * crash at any point neither loses a trade nor records one twice.
 *
 * When the disk refuses a write (full, quota, I/O error) the recorder fails:
 * `write`, `flush`, `sync` and `tick` throw a {@link DiskWriteError} naming
 * the errno code and the file, from then on no checkpoint is saved from
 * memory (a trade may have been accepted without reaching its journal), and
 * `close()` seals what is on disk, each trade segment only once a checkpoint
 * derived from its own lines is saved.
 */
import { join } from 'node:path'
import { nowMicros, silentLogger } from '@dccd/core'
import type { BookEvent, CheckpointStore, Logger, MarketEvent } from '@dccd/core'
import type { BookSnapshotSpec, RecordFormat } from './options.js'
import { BookTracker } from './book-tracker.js'
import { TradeDedup } from './dedup.js'
import type { TradeCheckpoint, TradeGap } from './dedup.js'
import { asDiskWriteError, isDiskWriteError } from './disk-error.js'
import type { DiskWriteError } from './disk-error.js'
import { gapMarker } from './gap-marker.js'
import { JournalSegment, listJournalSegments } from './journal.js'
import { partitionPath, segmentName, streamId, streamOf, utcDate } from './partition.js'
import type { DataType, StreamKey } from './partition.js'
import { JOURNAL_DIR } from './seal.js'
import type { SealResult } from './seal.js'
import { sealSegment } from './segment-seal.js'
import { TradeCheckpoints, isTradeGapMarker, tradeCheckpointKey } from './trade-checkpoints.js'

export { tradeCheckpointKey }

/** Settings of a {@link Recorder}. */
export interface RecorderOptions {
  /** Output root (`--out`). */
  out: string
  format: RecordFormat
  /** Seal a segment once it is this old, ms. Default 1 h. */
  rotateMs?: number
  /**
   * Seal a segment once it holds this many table rows (a book message counts
   * one per level). Bounds the memory and time a seal needs. Default 100 000.
   */
  maxSegmentRows?: number
  /** Periodic top-N snapshots of every book. Default: off. */
  bookSnapshots?: BookSnapshotSpec
  checkpoints: CheckpointStore
  logger?: Logger
  /** Clock, µs. Default `nowMicros`. */
  now?: () => number
}

/** Counters for the status line and the final summary. */
export interface RecorderStats {
  /** Records journaled, by data type (`trades`, `book`, `bars-1m`, …). */
  readonly records: Map<string, number>
  duplicates: number
  gaps: number
  resyncs: number
  filesSealed: number
  rowsSealed: number
}

interface OpenSegment {
  readonly key: StreamKey
  readonly date: string
  readonly openedAt: number
  readonly journal: JournalSegment
}

function rowsOf(event: BookEvent): number {
  return event.bids.length + event.asks.length
}

/** Journals, rotates and seals everything one process records into one `--out`. */
export class Recorder {
  readonly stats: RecorderStats = { records: new Map(), duplicates: 0, gaps: 0, resyncs: 0, filesSealed: 0, rowsSealed: 0 }
  readonly #options: RecorderOptions
  readonly #logger: Logger
  readonly #now: () => number
  readonly #open = new Map<string, OpenSegment>()
  readonly #dedup = new TradeDedup()
  readonly #books = new BookTracker()
  readonly #dirtyTrades = new Set<string>()
  readonly #checkpoints: TradeCheckpoints
  #sealQueue: string[] = []
  /** Rotated segments whose seal failed during the run; close() tries them again. */
  #unsealed: string[] = []
  #sealing: Promise<void> = Promise.resolve()
  #nextSnapshotAt = 0
  #lastSegmentAt = 0
  #closed = false
  /** The first write the disk refused; see the module comment. */
  #failure: DiskWriteError | undefined

  constructor(options: RecorderOptions) {
    this.#options = options
    this.#logger = options.logger ?? silentLogger
    this.#now = options.now ?? nowMicros
    this.#checkpoints = new TradeCheckpoints(options.checkpoints)
  }

  get #journalRoot(): string {
    return join(this.#options.out, JOURNAL_DIR)
  }

  /**
   * Seals what a crashed run left in the journal, after seeding trade
   * de-duplication from it (its last ids may be newer than the checkpoints)
   * and saving checkpoints that cover it. Never rejects: a segment that
   * cannot be sealed now (an I/O error) stays in the journal with a warning,
   * and the next start tries again.
   */
  async recover(): Promise<SealResult[]> {
    const results: SealResult[] = []
    let paths: string[]
    try {
      paths = listJournalSegments(this.#journalRoot)
    } catch (error) {
      this.#logger.warn(`cannot list the journal ${this.#journalRoot}: ${(error as Error).message}`)
      return results
    }
    for (const path of paths) {
      const result = await this.#seal(path, true)
      if (result !== undefined) results.push(result)
    }
    return results
  }

  /** Loads the trade checkpoints of the streams about to be recorded. */
  async loadCheckpoints(streams: readonly { exchange: string; symbol: string }[]): Promise<void> {
    for (const { exchange, symbol } of streams) {
      const key = tradeCheckpointKey(exchange, symbol)
      const value = await this.#checkpoints.load(key)
      if (value !== undefined) this.#dedup.restore(key, value)
    }
  }

  /** Last recorded trade of a stream (from this run, the journal or a checkpoint). */
  lastTrade(exchange: string, symbol: string): TradeCheckpoint | undefined {
    return this.#dedup.last(tradeCheckpointKey(exchange, symbol))
  }

  /** The disk failure that stopped this recorder, if any. */
  get failure(): DiskWriteError | undefined {
    return this.#failure
  }

  /** Remembers a disk failure (the first one) and returns what to throw. */
  #fail(error: unknown, path: string): unknown {
    const wrapped = asDiskWriteError(error, path)
    if (isDiskWriteError(wrapped)) this.#failure ??= wrapped
    return wrapped
  }

  /**
   * Accepts one event: de-duplicates trades, journals it, tracks books.
   *
   * @throws DiskWriteError when the disk refused a write (this time or before)
   */
  write(event: MarketEvent): void {
    if (this.#closed) return
    if (this.#failure !== undefined) throw this.#failure
    try {
      this.#accept(event)
    } catch (error) {
      throw this.#fail(error, this.#journalRoot)
    }
  }

  #accept(event: MarketEvent): void {
    if (event.type === 'trade') {
      const key = tradeCheckpointKey(event.exchange, event.symbol)
      const verdict = this.#dedup.check(key, event)
      if (verdict.duplicate) {
        this.stats.duplicates++
        return
      }
      this.#dirtyTrades.add(key)
      if (verdict.gap !== undefined) this.#reportGap(event, verdict.gap)
    } else if (event.type === 'status') {
      if (event.status === 'resync') this.stats.resyncs++
      if (event.status === 'gap') this.stats.gaps++
      if (isTradeGapMarker(event)) {
        // The marker accounts for its ids; without this the next trade would report the same hole again.
        const key = tradeCheckpointKey(event.exchange, event.symbol)
        const { advanced, gap } = this.#dedup.cover(key, event)
        if (advanced) this.#dirtyTrades.add(key)
        if (gap !== undefined) this.#reportGap(event, gap)
      }
      this.#books.onStatus(event)
    }
    this.#append(streamOf(event), event.localTimestamp, event)
    if (event.type === 'book') this.#books.apply(event)
  }

  /** Journals and logs a hole no marker covered, just before the trade (or marker) that revealed it. */
  #reportGap(stream: { exchange: string; symbol: string; localTimestamp: number }, gap: TradeGap): void {
    this.stats.gaps++
    const marker = gapMarker(stream, gap, stream.localTimestamp)
    this.#logger.warn(`${stream.exchange} ${stream.symbol}: trade ids ${gap.fromId}..${gap.toId} missing: ${marker.reason}`)
    this.#append(streamOf(marker), marker.localTimestamp, marker)
  }

  #append(key: StreamKey, localTimestamp: number, record: unknown): void {
    const id = streamId(key)
    const date = utcDate(localTimestamp)
    let segment = this.#open.get(id)
    if (segment !== undefined && (segment.date !== date || segment.journal.rows >= (this.#options.maxSegmentRows ?? 100_000))) {
      this.#rotate(id, segment)
      segment = undefined
    }
    if (segment === undefined) {
      segment = this.#openSegment(key, date, localTimestamp)
      // Every book file starts with a snapshot, so it replays without the file before it.
      if (key.type === 'book' && !(record as { isSnapshot: boolean }).isSnapshot) {
        const snapshot = this.#books.snapshotEvent(key.exchange, key.symbol)
        if (snapshot !== undefined) segment.journal.append(snapshot, rowsOf(snapshot))
      }
    }
    segment.journal.append(record, key.type === 'book' ? rowsOf(record as BookEvent) : 1)
    this.stats.records.set(key.type, (this.stats.records.get(key.type) ?? 0) + 1)
  }

  #openSegment(key: StreamKey, date: string, at: number): OpenSegment {
    // Names sort by start time; never let two segments of this run share one.
    at = Math.max(at, this.#lastSegmentAt + 1)
    this.#lastSegmentAt = at
    const path = join(this.#journalRoot, partitionPath(key, date), `${segmentName(at)}.jsonl`)
    const depth = key.type === 'book-snapshots' ? this.#options.bookSnapshots?.depth : undefined
    const header = { dccd: 'journal', version: 1, type: key.type as DataType, format: this.#options.format, ...(depth ? { depth } : {}) } as const
    const segment: OpenSegment = { key, date, openedAt: at, journal: JournalSegment.create(path, header) }
    this.#open.set(streamId(key), segment)
    return segment
  }

  #rotate(id: string, segment: OpenSegment): void {
    // Sync first: if the disk refuses, the segment stays open with its lines queued for a later try.
    segment.journal.sync()
    this.#open.delete(id)
    segment.journal.close()
    this.#sealQueue.push(segment.journal.path)
    // Seal after a sync: the checkpoints must cover the segment before its journal is removed.
    this.#sealing = this.#sealing.then(() => this.#drainSeals()).catch((error: unknown) => {
      // A disk failure surfaces from the next flush or tick; anything else is only logged.
      if (!isDiskWriteError(this.#fail(error, this.#journalRoot))) this.#logger.error(`sealing failed: ${(error as Error).message}`)
    })
  }

  async #drainSeals(): Promise<void> {
    if (this.#sealQueue.length === 0) return
    // The checkpoints must cover the segments before their journals go; #seal checks that again per segment.
    await this.sync()
    const paths = this.#sealQueue
    this.#sealQueue = []
    for (const path of paths) {
      if ((await this.#seal(path)) === undefined) this.#unsealed.push(path)
      // A seal blocks for up to about a second (100k rows ≈ 0.4 s); let the feeds drain in between.
      await new Promise<void>((resolve) => setImmediate(resolve))
    }
  }

  /**
   * Seals one closed segment (see segment-seal.ts); `seed` (at start) also
   * seeds de-duplication from it. Never throws: on failure the segment
   * stays in the journal, with a warning.
   *
   * @returns the result, or undefined when the segment stays in the journal
   */
  async #seal(path: string, seed = false): Promise<SealResult | undefined> {
    try {
      const result = await sealSegment(path, {
        out: this.#options.out,
        logger: this.#logger,
        checkpoints: this.#checkpoints,
        ...(seed ? { seed: (key: string, checkpoint: TradeCheckpoint) => this.#dedup.restore(key, checkpoint) } : {}),
      })
      this.#countSeal(result)
      return result
    } catch (error) {
      const wrapped = this.#fail(error, path)
      this.#logger.warn(`cannot seal ${path} now (${(wrapped as Error).message}); it stays in the journal for the next start`)
      return undefined
    }
  }

  #countSeal(result: SealResult): void {
    if (result.file === undefined) return
    this.stats.filesSealed++
    this.stats.rowsSealed += result.rows
    this.#logger.debug(`sealed ${result.file} (${result.rows} rows)`)
  }

  /** Resolves when every rotated segment queued so far is sealed. */
  idle(): Promise<void> {
    return this.#sealing
  }

  /**
   * Writes queued journal lines to their files. Call several times a second.
   *
   * @throws DiskWriteError when the disk refused a write (this time or before)
   */
  flush(): void {
    this.#eachSegment((segment) => segment.journal.flush())
    if (this.#failure !== undefined) throw this.#failure
  }

  /** Runs `work` on every open segment, even after one fails; throws the first failure at the end. */
  #eachSegment(work: (segment: OpenSegment) => void): void {
    let failure: unknown
    for (const segment of this.#open.values()) {
      try {
        work(segment)
      } catch (error) {
        failure ??= this.#fail(error, segment.journal.path)
      }
    }
    if (failure !== undefined) throw failure
  }

  /**
   * fsyncs every open segment, then saves the trade checkpoints they now
   * cover. Call every second. After a disk failure it still syncs, but saves
   * no checkpoint from memory.
   *
   * @throws DiskWriteError when the disk refuses
   */
  async sync(): Promise<void> {
    this.#eachSegment((segment) => segment.journal.sync())
    if (this.#failure !== undefined) {
      await this.#checkpoints.settled()
      throw this.#failure
    }
    const saves: Promise<void>[] = []
    for (const key of this.#dirtyTrades) {
      const last = this.#dedup.last(key)
      if (last === undefined) continue
      saves.push(
        this.#checkpoints.save(key, last).catch((error: unknown) => {
          this.#dirtyTrades.add(key) // the next sync tries again
          throw error
        }),
      )
    }
    this.#dirtyTrades.clear()
    // Also wait for saves an earlier sync started: close() must not return before they land.
    try {
      await Promise.all([...saves, this.#checkpoints.settled()])
    } catch (error) {
      throw this.#fail(error, this.#options.out)
    }
  }

  /**
   * Time-driven work: rotate old segments, take due book snapshots. Call about every 100–250 ms.
   *
   * @throws DiskWriteError when the disk refused a write (this time or before)
   */
  tick(): void {
    if (this.#closed) return
    if (this.#failure !== undefined) throw this.#failure
    try {
      this.#timed()
    } catch (error) {
      throw this.#fail(error, this.#journalRoot)
    }
  }

  #timed(): void {
    const now = this.#now()
    const rotateMicros = (this.#options.rotateMs ?? 3_600_000) * 1000
    for (const [id, segment] of this.#open) {
      if (now - segment.openedAt >= rotateMicros || utcDate(now) !== segment.date) this.#rotate(id, segment)
    }
    const spec = this.#options.bookSnapshots
    if (spec !== undefined && now >= this.#nextSnapshotAt) {
      const intervalMicros = spec.intervalMs * 1000
      if (this.#nextSnapshotAt !== 0) {
        for (const record of this.#books.topOfBooks(spec.depth, now)) {
          this.#append({ exchange: record.exchange, type: 'book-snapshots', symbol: record.symbol }, now, record)
        }
      }
      this.#nextSnapshotAt = (Math.floor(now / intervalMicros) + 1) * intervalMicros
    }
  }

  /**
   * Syncs, saves checkpoints and seals every open segment. Between seals it
   * asks `abandon()`: when that turns true (a second Ctrl-C) the remaining
   * segments stay in the journal, complete and fsynced, for the next start.
   * Never rejects for a segment that cannot be sealed: it stays in the
   * journal, with a warning, and counts as left.
   *
   * @returns how many segments were left unsealed
   */
  async close(abandon: () => boolean = () => false): Promise<number> {
    if (this.#closed) return 0
    this.#closed = true
    const reported = this.#failure
    try {
      await this.sync()
    } catch (error) {
      // Each trade segment is still sealed only once a checkpoint covering it is saved (see #seal).
      if (reported === undefined) this.#logger.warn(`cannot save trade checkpoints before sealing (${(error as Error).message})`)
    }
    await this.#sealing
    const paths = [...this.#unsealed, ...this.#sealQueue]
    this.#unsealed = []
    this.#sealQueue = []
    for (const segment of this.#open.values()) {
      try {
        segment.journal.close()
      } catch (error) {
        // Never acknowledged: no checkpoint covers them, and the whole lines before them are sealed below.
        const failure = this.#fail(error, segment.journal.path)
        const why = isDiskWriteError(failure) ? failure.code : (failure as Error).message
        this.#logger.warn(`${segment.journal.pending} record(s) for ${segment.journal.path} never reached the disk (${why}); they are not recorded`)
      }
      paths.push(segment.journal.path)
    }
    this.#open.clear()
    let left = paths.length
    for (const path of paths) {
      if (abandon()) break
      if ((await this.#seal(path)) !== undefined) left--
      // Yield so a second signal can be noticed between files.
      await new Promise<void>((resolve) => setImmediate(resolve))
    }
    return left
  }
}
