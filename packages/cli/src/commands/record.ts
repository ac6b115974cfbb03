/**
 * `dccd record`: validate everything offline, take the lock, seal what a
 * crashed run left, then journal every feed until `--duration`, Ctrl-C or a
 * feed failure, and seal.
 */
import { resolve } from 'node:path'
import { FileCheckpointStore, hasErrorCode, microsToIso } from '@dccd/core'
import type { ExchangeAdapter, Feed, MarketEvent, ResumePoints } from '@dccd/core'
import { Recorder, isDiskWriteError } from '@dccd/recorder'
import type { RecordedSymbol } from '@dccd/recorder'
import type { RecordPlan } from '../config.js'
import type { DiscoveryOptions } from '../discovery.js'
import { findAdapter } from '../discovery.js'
import { ExitCode, errorMessage, isUsageError } from '../errors.js'
import type { Io } from '../io.js'
import { cliLogger } from '../io.js'
import { setLongTimeout } from '../long-timeout.js'
import { MarketIdleTracker, formatIdleNotice } from '../record/market-idle.js'
import { ProgressReporter } from '../record/progress.js'
import { formatSinkStatus, openRecordSink } from '../record/nats-sink.js'
import type { RecordSink } from '../record/nats-sink.js'
import { resolveRecordSymbols } from '../shard/fleet.js'
import type { Shutdown } from '../shutdown.js'
import { StopOnFailure } from './stop-on-failure.js'
import { claimOutputFolder } from './output-folder.js'

/** Runtime knobs (tests shorten them). */
export interface RecordRuntime {
  io: Io
  discovery?: DiscoveryOptions
  verbose?: boolean
  /** Register handlers for the stop signals (SIGINT, SIGTERM, SIGHUP, SIGQUIT). Default true. */
  handleSignals?: boolean
  /** Longest wait for feeds to close before sealing anyway, ms. Default 3000. */
  stopTimeoutMs?: number
  /** A feed (or symbol) without market data this long is reported, ms. Default 60 000. */
  idleWarningMs?: number
  /** Where each feed's adapter comes from. Default: discovery ({@link findAdapter}); `dccd replay --out` gives its replay. */
  findAdapter?: (exchange: string) => Promise<ExchangeAdapter>
}

/** Runs a recording; resolves the exit code. */
export async function runRecord(plan: RecordPlan, runtime: RecordRuntime): Promise<number> {
  const { io } = runtime
  const progress = new ProgressReporter(io)
  const logger = cliLogger(io, runtime.verbose ?? false, () => progress.clear())

  // 1. Everything that can be wrong with the input, before any network request.
  const adapters: ExchangeAdapter[] = []
  const find = runtime.findAdapter ?? ((exchange: string) => findAdapter(exchange, runtime.discovery))
  plan = await resolveRecordSymbols(plan, find, io, logger) // symbol filters and --shard: shard/fleet.ts
  for (const feed of plan.feeds) adapters.push(await find(feed.exchange))
  const out = resolve(plan.out)
  const createFeeds = (resume: readonly (ResumePoints | undefined)[]): Feed[] =>
    plan.feeds.map((feed, i) =>
      adapters[i]!.createFeed({
        symbols: feed.symbols,
        channels: feed.channels as never,
        ...(feed.wsUrl === undefined ? {} : { wsUrl: feed.wsUrl }),
        ...(feed.restUrl === undefined ? {} : { restUrl: feed.restUrl }),
        ...(feed.bookDepth === undefined ? {} : { bookDepth: feed.bookDepth }),
        ...(feed.validateSymbols === undefined ? {} : { validateSymbols: feed.validateSymbols }),
        ...(resume[i] === undefined ? {} : { resume: resume[i] }),
        ...(plan.maxResumeAgeMs === undefined ? {} : { maxResumeAgeMs: plan.maxResumeAgeMs }),
        logger,
      }),
    )
  // Created once offline to reject bad input before the disk is touched; again below with the resume points.
  createFeeds([])

  // 2. One recorder per folder; seal what an interrupted run left behind.
  const claim = await claimOutputFolder(out, plan.out, io, runtime.handleSignals, () => progress.clear())
  const { shutdown } = claim
  const timers: NodeJS.Timeout[] = []
  let cancelDuration = (): void => {}
  try {
    // A recorder call that throws (a disk refusing a write) stops the run; it never escapes from a timer.
    const recording = new StopOnFailure((line) => (progress.clear(), io.err(line)), () => shutdown.stop('error'))
    // With --sink, events go to JetStream instead of files; --out keeps the sink's spool and checkpoints.
    const sink: RecordSink | undefined = plan.sink === undefined ? undefined : await openRecordSink(plan.sink, out, logger, (error) => recording.fail(error))
    const recorder = sink !== undefined ? undefined : new Recorder({
      out,
      format: plan.format,
      rotateMs: plan.rotateMs,
      ...(plan.bookSnapshots ? { bookSnapshots: plan.bookSnapshots } : {}),
      checkpoints: new FileCheckpointStore(resolve(out, '.checkpoints')),
      logger,
      // Its own timers (flush, fsync + checkpoints, rotation, snapshots) report here; the feed pumps below guard write().
      onFailure: (error) => recording.fail(error),
    })
    const recovered = recorder === undefined ? [] : (await recorder.recover()).filter((result) => result.file !== undefined)
    if (recovered.length > 0) {
      io.err(`dccd: sealed ${recovered.length} file(s) left in the journal by an interrupted run\n`)
    }
    // Where the data on disk ends: each feed starts there and fetches what it missed while not recording.
    // Asked per feed: a feed takes resume points only for what it subscribes to.
    const resume: (ResumePoints | undefined)[] = []
    for (const feed of plan.feeds) {
      // The sink's points are what JetStream acknowledged; the recorder's what its journal fsynced.
      const points = (await (sink !== undefined ? sink.sink.resumePoints(recordedSymbols(feed)) : recorder!.resumePoints(recordedSymbols(feed))))[feed.exchange]
      resume.push(points)
      for (const [symbol, point] of Object.entries(points ?? {})) {
        if (point.trades === undefined) continue
        io.err(
          `dccd: ${feed.exchange} ${symbol}: resuming after trade ${point.trades.lastId} (${microsToIso(point.trades.lastTimestamp)}); ` +
            'trades missed meanwhile are fetched from the exchange\n',
        )
      }
    }
    const feeds = createFeeds(resume)

    // 3. Record.
    for (const feed of plan.feeds) {
      const into = plan.sink === undefined ? plan.out : `JetStream stream ${plan.sink.stream} at ${plan.sink.url} (spool and checkpoints in ${plan.out})`
      io.err(`dccd: recording ${feed.exchange} ${feed.symbols.join(',')} [${feed.channels.join(',')}] into ${into}\n`)
    }
    const startedAt = Date.now()
    let failure: unknown
    const idle = new MarketIdleTracker(
      plan.feeds.map((feed, i) => ({ label: feedLabel(plan.feeds, i), symbols: feed.symbols })),
      runtime.idleWarningMs === undefined ? {} : { thresholdMs: runtime.idleWarningMs },
    )
    const write = sink !== undefined ? (event: MarketEvent) => sink.write(event) : (event: MarketEvent) => recorder!.write(event)
    const pumps = feeds.map(async (feed, i) => {
      try {
        for await (const event of feed.stream()) {
          idle.observe(i, event)
          if (!recording.run(() => write(event))) break
        }
      } catch (error) {
        if (shutdown.reason === undefined) failure ??= error
        shutdown.stop('error')
      }
    })
    const allEnded = Promise.all(pumps).then(() => shutdown.stop('ended'))
    void allEnded
    recorder?.start()
    const snapshot = () => ({
      records: new Map(sink?.records ?? recorder!.stats.records),
      filesSealed: recorder?.stats.filesSealed ?? 0,
      reconnects: feeds.reduce((sum, feed) => sum + feed.stats.reconnects, 0),
      resyncs: sink?.resyncs ?? recorder!.stats.resyncs,
      gaps: sink?.gaps ?? recorder!.stats.gaps,
      ...(sink === undefined ? {} : { sink: formatSinkStatus(sink.sink.stats) }),
      elapsedMs: Date.now() - startedAt,
      ...(plan.durationMs === undefined ? {} : { durationMs: plan.durationMs }),
      idle: idle.idle(),
    })
    const report = (): void => {
      // Only reported: a quiet market looks the same as a stalled socket, so nothing is reconnected from here.
      for (const notice of idle.check()) {
        if (notice.kind === 'idle') {
          logger.warn(formatIdleNotice(notice))
        } else {
          progress.clear()
          io.err(`dccd: ${formatIdleNotice(notice)}\n`)
        }
      }
      progress.update(snapshot())
    }
    timers.push(setInterval(report, 1000))
    if (plan.durationMs !== undefined) cancelDuration = setLongTimeout(() => shutdown.stop('duration'), plan.durationMs)

    await shutdown.stopped

    // 4. Stop the feeds (bounded), then seal.
    const stopTimeout = new Promise<void>((done) => timers.push(setTimeout(done, runtime.stopTimeoutMs ?? 3000)))
    await Promise.race([Promise.allSettled(feeds.map((feed) => feed.stop())).then(() => Promise.allSettled(pumps)), stopTimeout, shutdown.abandonedPromise])
    for (const timer of timers) clearTimeout(timer)
    progress.clear()
    if (sink !== undefined) return await closeSink(sink, plan, io, recording, failure, shutdown)
    const closing = recorder!.close(() => shutdown.abandoned)
    closing.catch(() => {}) // after a second Ctrl-C nothing awaits it; a late failure changes nothing
    // A second Ctrl-C does not wait for the seals queued before it: close() fsyncs the journal before its first
    // await, so whatever is not sealed yet is safe there for the next start. Only the file being sealed finishes.
    const left = await Promise.race([closing, shutdown.abandonedPromise.then(() => recorder!.segmentsInJournal())])
    const { filesSealed, rowsSealed, duplicates, gaps } = recorder!.stats
    io.err(
      `dccd: ${filesSealed} file(s), ${rowsSealed} rows sealed under ${plan.out}` +
        `${duplicates > 0 ? `; ${duplicates} duplicate trade(s) skipped` : ''}${gaps > 0 ? `; ${gaps} gap(s) reported` : ''}` +
        `${left > 0 ? `; ${left} segment(s) left in the journal for the next start` : ''}\n`,
    )
    if (failure === undefined && shutdown.reason === 'duration' && marketRecords(recorder!.stats.records) === 0) {
      // The feeds may still be retrying an endpoint they cannot reach: say so rather than end quietly.
      io.err('dccd: warning: no market data arrived before --duration ended; is the exchange reachable? (--ws-url/--rest-url choose another endpoint)\n')
    }
    if (recording.failed) {
      // A disk failure was said when it happened; the summary above tells what is left for the next start.
      if (isDiskWriteError(recording.error)) return ExitCode.failure
      throw recording.error
    }
    if (failure !== undefined) {
      if (isUsageError(failure)) throw failure
      const hint = hasErrorCode(failure, 'DCCD_REQUEST_FAILED') ? '; is the exchange reachable? (--ws-url/--rest-url choose another endpoint)' : ''
      throw new Error(`feed failed: ${errorMessage(failure)}${hint}`, { cause: failure })
    }
    // "exiting now" was said: 130 even when the last seal happened to finish first.
    return left > 0 || shutdown.abandoned ? ExitCode.interrupted : ExitCode.ok
  } finally {
    for (const timer of timers) clearTimeout(timer)
    cancelDuration()
    // Release first: once the handlers are off, another Ctrl-C ends the process at once.
    claim.release()
  }
}

/**
 * Closes the JetStream sink after the feeds stopped: waits for the acknowledgements (a second Ctrl-C stops
 * waiting; what is unacknowledged stays in the spool for the next start), then prints the summary.
 */
async function closeSink(sink: RecordSink, plan: RecordPlan, io: Io, recording: StopOnFailure, failure: unknown, shutdown: Shutdown): Promise<number> {
  const closing = sink.sink.close({ drainTimeoutMs: 10_000 })
  closing.catch(() => {})
  const closed = await Promise.race([closing, shutdown.abandonedPromise.then(() => undefined)])
  const { acked, duplicates, skipped } = sink.sink.stats
  const left = closed?.leftInSpool ?? 0
  io.err(
    `dccd: ${acked} event(s) acknowledged by JetStream stream ${sink.sink.stream}` +
      `${duplicates > 0 ? `; ${duplicates} already there (duplicate message ids)` : ''}${skipped > 0 ? `; ${skipped} trade(s)/bar(s) skipped as already acknowledged` : ''}` +
      `${left > 0 ? `; ${left} event(s) left in the spool for the next start` : ''}\n`,
  )
  if (recording.failed) {
    // A full spool was said when it happened.
    if (hasErrorCode(recording.error, 'DCCD_SPOOL_FULL')) return ExitCode.spoolFull
    throw recording.error
  }
  if (failure !== undefined) {
    if (isUsageError(failure)) throw failure
    throw new Error(`feed failed: ${errorMessage(failure)}`, { cause: failure })
  }
  if (shutdown.reason === 'duration' && marketRecords(sink.records) === 0) {
    io.err('dccd: warning: no market data arrived before --duration ended; is the exchange reachable? (--ws-url/--rest-url choose another endpoint)\n')
  }
  return closed === undefined || shutdown.abandoned ? ExitCode.interrupted : ExitCode.ok
}

/** How messages name feed `i`: its exchange, or `binance[1]` when the plan records one exchange more than once. */
function feedLabel(feeds: RecordPlan['feeds'], i: number): string {
  const { exchange } = feeds[i]!
  return feeds.filter((feed) => feed.exchange === exchange).length > 1 ? `${exchange}[${i}]` : exchange
}

/** What a feed of the plan records per symbol, as the recorder's checkpoints are keyed. */
function recordedSymbols(feed: RecordPlan['feeds'][number]): RecordedSymbol[] {
  const trades = feed.channels.includes('trades')
  const barIntervals = feed.channels.filter((channel) => channel.startsWith('bars:')).map((channel) => channel.slice('bars:'.length))
  return feed.symbols.map((symbol) => ({ exchange: feed.exchange, symbol, trades, barIntervals }))
}

/** Records other than status markers (trades, book, bars, snapshots). */
function marketRecords(records: ReadonlyMap<string, number>): number {
  let total = 0
  for (const [type, count] of records) if (type !== 'status') total += count
  return total
}
