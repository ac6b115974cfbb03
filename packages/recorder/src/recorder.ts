/**
 * The recording pipeline: accepted events → journal segments (one open
 * segment per stream) → sealed data files on rotation and at close. The
 * journal is the acknowledgement: it is written to the file several times a
 * second and fsynced every second, and only then are trade and bar
 * checkpoints saved, so a checkpoint never claims more than the journal
 * holds. Every seal, at start, on rotation and at close, goes data file →
 * checkpoint at or after the segment's last trade or closed bar → journal
 * removal, so a crash at any point neither loses a trade or closed bar nor
 * records one twice. The durable checkpoints are also where a restarted
 * feed resumes ({@link Recorder.resumePoints}).
 *
 * This class wires the parts, each with its own job and timers: the open
 * segments and their rotation (segments.ts), the seal queue (sealer.ts),
 * the sync that saves checkpoints (checkpoint-sync.ts), trade
 * de-duplication and gaps (trade-ledger.ts), bar de-duplication
 * (bar-ledger.ts) and book snapshots (book-snapshots.ts).
 *
 * When the disk refuses a write (full, quota, I/O error) the recorder fails:
 * `write`, `flush`, `sync` and `tick` throw a {@link DiskWriteError} naming
 * the errno code and the file (its timers report it through `onFailure`),
 * from then on no checkpoint is saved from memory, and `close()` seals what
 * is on disk, each trade or bar segment only once a checkpoint derived from
 * its own lines is saved.
 */
import { join } from 'node:path'
import { errorMessage, nowMicros, silentLogger } from '@dccd/core'
import type { Logger, MarketEvent, ResumePoints } from '@dccd/core'
import type { BarCheckpoint } from './bar-checkpoints.js'
import { barCheckpointKey, isBarGapMarker } from './bar-checkpoints.js'
import { BarLedger } from './bar-ledger.js'
import { BookSnapshots } from './book-snapshots.js'
import { BookTracker } from './book-tracker.js'
import { CheckpointSync } from './checkpoint-sync.js'
import type { TradeCheckpoint, TradeGap } from './dedup.js'
import type { DiskWriteError } from './disk-error.js'
import { DiskFailure } from './disk-failure.js'
import { gapMarker } from './gap-marker.js'
import { JOURNAL_DIR, listJournalSegments } from './journal.js'
import type { RecorderOptions, RecorderStats } from './options.js'
import { streamOf } from './partition.js'
import { resumePointsOf } from './resume-points.js'
import type { RecordedSymbol } from './resume-points.js'
import type { SealResult } from './seal.js'
import { Sealer } from './sealer.js'
import { SegmentSet } from './segments.js'
import { RecorderTimers } from './timers.js'
import { isTradeGapMarker, tradeCheckpointKey } from './trade-checkpoints.js'
import { TradeLedger } from './trade-ledger.js'

/**
 * Journals, rotates and seals everything one process records into one output folder.
 * Take the folder's lock first ({@link acquireLock}): two recorders must never share one.
 *
 * @example
 * const recorder = new Recorder({ out: './data', format: 'parquet', checkpoints: new FileCheckpointStore('./data/.checkpoints') })
 * await recorder.recover() // seal what a crashed run left in the journal
 * const resume = await recorder.resumePoints([{ exchange: 'binance', symbol: 'BTCUSDT', trades: true, barIntervals: ['1m'] }])
 * const feed = exchange.createFeed({ symbols: ['BTCUSDT'], channels: ['trades', 'bars:1m'], resume: resume.binance })
 * recorder.start() // flush, fsync + checkpoints, rotation, book snapshots
 * for await (const event of feed.stream()) recorder.write(event)
 * await recorder.close() // seal every open segment
 */
export class Recorder {
  readonly stats: RecorderStats = { records: new Map(), duplicates: 0, gaps: 0, resyncs: 0, filesSealed: 0, rowsSealed: 0 }
  readonly #logger: Logger
  readonly #now: () => number
  readonly #root: string
  readonly #failure = new DiskFailure()
  readonly #timers: RecorderTimers
  readonly #books = new BookTracker()
  readonly #trades: TradeLedger
  readonly #bars: BarLedger
  readonly #segments: SegmentSet
  readonly #sealer: Sealer
  readonly #checkpointSync: CheckpointSync
  readonly #snapshots: BookSnapshots | undefined
  #started = false
  #closed = false

  constructor(options: RecorderOptions) {
    const logger = (this.#logger = options.logger ?? silentLogger)
    const now = (this.#now = options.now ?? nowMicros)
    const root = (this.#root = join(options.out, JOURNAL_DIR))
    const failure = this.#failure
    const tickIntervalMs = options.tickIntervalMs ?? 100
    this.#timers = new RecorderTimers(options.onFailure ?? ((error) => logger.error(`recording stopped: ${errorMessage(error)}`)))
    const ledgers = [(this.#trades = new TradeLedger(options.checkpoints)), (this.#bars = new BarLedger(options.checkpoints))]
    this.#sealer = new Sealer({ out: options.out, root, ledgers, stats: this.stats, failure, logger, sync: () => this.sync() })
    this.#segments = new SegmentSet({
      root,
      format: options.format,
      dateBy: options.dateBy ?? 'localTimestamp',
      rotateMs: options.rotateMs ?? 3_600_000,
      maxSegmentRows: options.maxSegmentRows ?? 100_000,
      bookSnapshots: options.bookSnapshots,
      flushIntervalMs: options.flushIntervalMs ?? 200,
      tickIntervalMs,
      records: this.stats.records,
      failure,
      logger,
      now,
      bookSnapshot: (exchange, symbol) => this.#books.snapshotEvent(exchange, symbol),
      onRotated: (path) => this.#sealer.enqueue(path),
    })
    this.#checkpointSync = new CheckpointSync(this.#segments, ledgers, failure, options.out, options.syncIntervalMs ?? 1000)
    const spec = options.bookSnapshots
    this.#snapshots = spec && new BookSnapshots({ spec, books: this.#books, segments: this.#segments, failure, root, tickIntervalMs, now })
  }

  /**
   * Seals what a crashed run left in the journal, after seeding trade and
   * bar de-duplication from it (its last records may be newer than the
   * checkpoints) and saving checkpoints that cover it. Never rejects: a
   * segment that cannot be sealed now (an I/O error) stays in the journal
   * with a warning, and the next start tries again.
   */
  recover(): Promise<SealResult[]> {
    return this.#sealer.recover()
  }

  /**
   * Loads the checkpoints of the streams about to be recorded, so trades and
   * closed bars recorded before are skipped. A stream given as only
   * `{ exchange, symbol }` loads its trade checkpoint (as before bars had
   * checkpoints). {@link resumePoints} loads them too.
   *
   * @example await recorder.loadCheckpoints([{ exchange: 'binance', symbol: 'BTCUSDT', trades: true, barIntervals: ['1m'] }])
   */
  async loadCheckpoints(streams: readonly (Pick<RecordedSymbol, 'exchange' | 'symbol'> & Partial<RecordedSymbol>)[]): Promise<void> {
    for (const { exchange, symbol, trades = true, barIntervals = [] } of streams) {
      if (trades) await this.#trades.load([tradeCheckpointKey(exchange, symbol)])
      await this.#bars.load(barIntervals.map((interval) => barCheckpointKey(exchange, interval, symbol)))
    }
  }

  /**
   * Where the data on disk ends, per exchange, for a feed's `resume` option:
   * the last trade (`{ lastId, lastTimestamp }`, its exchange time) and the
   * open time of the last closed bar of each interval, taken only from
   * checkpoints known to be durable (loaded, saved after the journal holding
   * them was fsynced, or saved by {@link recover}), never from what is only
   * in memory. Call it after {@link recover}; it loads the checkpoints first
   * (as {@link loadCheckpoints} does). A symbol, trades or interval not in
   * `streams` is never included (`createFeed` rejects resume points for
   * channels it does not subscribe), so when two feeds share an exchange,
   * call it once per feed. A stream with no checkpoint, or with a trade id
   * that is not digits (it cannot resume), is left out: its feed starts
   * live.
   *
   * @returns `{ [exchange]: ResumePoints }`
   * @example
   * const resume = await recorder.resumePoints([{ exchange: 'binance', symbol: 'BTCUSDT', trades: true, barIntervals: ['1m'] }])
   * // { binance: { BTCUSDT: { trades: { lastId: '3407512981', lastTimestamp: 1701388800123000 }, bars: { '1m': { lastOpenTime: 1701388740000000 } } } } }
   * const feed = exchange.createFeed({ symbols: ['BTCUSDT'], channels: ['trades', 'bars:1m'], resume: resume.binance })
   */
  async resumePoints(streams: readonly RecordedSymbol[]): Promise<Record<string, ResumePoints>> {
    await this.loadCheckpoints(streams)
    return resumePointsOf(streams, this.#trades.book, this.#bars.book)
  }

  /** Last recorded trade of a stream (from this run, the journal or a checkpoint). */
  lastTrade(exchange: string, symbol: string): TradeCheckpoint | undefined {
    return this.#trades.last(tradeCheckpointKey(exchange, symbol))
  }

  /** Last recorded closed bar of a stream (from this run, the journal or a checkpoint). */
  lastBar(exchange: string, symbol: string, interval: string): BarCheckpoint | undefined {
    return this.#bars.last(barCheckpointKey(exchange, interval, symbol))
  }

  /** The disk failure that stopped this recorder, if any. */
  get failure(): DiskWriteError | undefined {
    return this.#failure.error
  }

  /**
   * Starts the recorder's own timers: flush (`flushIntervalMs`), fsync and
   * checkpoints (`syncIntervalMs`), rotation and book snapshots
   * (`tickIntervalMs`). Their first failure goes to `onFailure` and stops
   * them; `close()` stops them too. Without `start()` the caller drives
   * {@link flush}, {@link sync} and {@link tick} itself.
   */
  start(): void {
    if (this.#started || this.#closed) return
    this.#started = true
    this.#segments.start(this.#timers)
    this.#checkpointSync.start(this.#timers)
    this.#snapshots?.start(this.#timers)
  }

  /**
   * Accepts one event: de-duplicates trades and bars, journals it, tracks books. Ignored after close().
   *
   * @throws DiskWriteError when the disk refused a write (this time or before)
   */
  write(event: MarketEvent): void {
    if (this.#closed) return
    this.#failure.run(this.#root, () => this.#accept(event))
  }

  #accept(event: MarketEvent): void {
    if (event.type === 'trade') {
      const verdict = this.#trades.accept(event)
      if (verdict.duplicate) {
        this.stats.duplicates++
        return
      }
      if (verdict.gap !== undefined) this.#reportGap(event, verdict.gap)
    } else if (event.type === 'bar') {
      if (this.#bars.accept(event) === 'duplicate') {
        this.stats.duplicates++
        return
      }
    } else if (event.type === 'status') {
      if (event.status === 'resync') this.stats.resyncs++
      if (event.status === 'gap') this.stats.gaps++
      if (isTradeGapMarker(event)) {
        // The marker accounts for its ids; without this the next trade would report the same hole again.
        const gap = this.#trades.cover(event)
        if (gap !== undefined) this.#reportGap(event, gap)
      }
      // The bars it names count as recorded: the checkpoint moves past them, as for a closed bar.
      if (isBarGapMarker(event)) this.#bars.cover(event)
      this.#books.onStatus(event)
    }
    this.#segments.append(streamOf(event), event)
    if (event.type === 'book') this.#books.apply(event)
  }

  /** Journals and logs a hole no marker covered, just before the trade (or marker) that revealed it. */
  #reportGap(stream: { exchange: string; symbol: string; localTimestamp: number }, gap: TradeGap): void {
    this.stats.gaps++
    const marker = gapMarker(stream, gap, stream.localTimestamp)
    this.#logger.warn(`${stream.exchange} ${stream.symbol}: trade ids ${gap.fromId}..${gap.toId} missing: ${marker.reason}`)
    this.#segments.append(streamOf(marker), marker)
  }

  /** Resolves when every rotated segment queued so far is sealed. */
  idle(): Promise<void> {
    return this.#sealer.idle()
  }

  /**
   * Writes queued journal lines to their files (the flush timer's job; by hand, several times a second).
   *
   * @throws DiskWriteError when the disk refused a write (this time or before)
   */
  flush(): void {
    this.#segments.flush()
  }

  /**
   * fsyncs every open segment, then saves the trade and bar checkpoints they now
   * cover (the sync timer's job; by hand, every second). After a disk
   * failure it still syncs, but saves no checkpoint from memory.
   *
   * @throws DiskWriteError when the disk refuses
   */
  sync(): Promise<void> {
    return this.#checkpointSync.sync()
  }

  /**
   * Time-driven work: rotate old segments, take due book snapshots (the
   * tick timers' jobs; by hand, every 100–250 ms). Ignored after close().
   *
   * @throws DiskWriteError when the disk refused a write (this time or before)
   */
  tick(): void {
    if (this.#closed) return
    const now = this.#now()
    this.#segments.rotateDue(now)
    this.#snapshots?.takeDue(now)
  }

  /** Segments waiting in the journal now, counted on disk: after an abandoned close(), what the next recover() seals. */
  segmentsInJournal(): number {
    return listJournalSegments(this.#root).length
  }

  /**
   * Stops the timers, syncs, saves checkpoints and seals every open
   * segment. Between seals it asks `abandon()`: when that turns true (a
   * second Ctrl-C) the remaining segments stay in the journal, complete and
   * fsynced, for the next start. Never rejects for a segment that cannot be
   * sealed: it stays in the journal, with a warning, and counts as left.
   *
   * @returns how many segments were left unsealed
   */
  async close(abandon: () => boolean = () => false): Promise<number> {
    if (this.#closed) return 0
    this.#closed = true
    this.#timers.stop()
    const reported = this.#failure.error
    try {
      await this.sync()
    } catch (error) {
      // Each trade or bar segment is still sealed only once a checkpoint covering it is saved (see segment-seal.ts).
      if (reported === undefined) this.#logger.warn(`cannot save checkpoints before sealing (${(error as Error).message})`)
    }
    await this.#sealer.idle()
    const paths = [...this.#sealer.takePending(), ...this.#segments.closeAll()]
    return this.#sealer.sealEach(paths, abandon)
  }
}
