/**
 * `dccd backfill`: download an exchange's trade and bar history over REST
 * into the same files `dccd record` writes. Everything that can be wrong
 * with the input is rejected before the first request (exit 2); the REST
 * weight is spent from the adapter's budget; progress shows as a bar on a
 * terminal and as log lines elsewhere. It resumes: the recorder's durable
 * checkpoints say where each stream's data ends, so a killed run re-run with
 * the same arguments continues there and writes no row twice, and a later
 * `dccd record` into the same folder continues from the backfill's end.
 */
import { resolve } from 'node:path'
import { addBars, FileCheckpointStore, hasErrorCode, microsToIso, nowMicros } from '@dccd/core'
import type { ExchangeHistory, MarketEvent, ParsedChannel, ResumePoints } from '@dccd/core'
import { Recorder, isDiskWriteError } from '@dccd/recorder'
import type { BackfillPlan } from '../backfill/plan.js'
import { BackfillProgress, formatBackfillStatus } from '../backfill/progress.js'
import type { BackfillSnapshot, StreamProgress } from '../backfill/progress.js'
import type { DiscoveryOptions } from '../discovery.js'
import { findAdapter } from '../discovery.js'
import { ExitCode, UsageError, errorMessage, isUsageError } from '../errors.js'
import type { Io } from '../io.js'
import { cliLogger } from '../io.js'
import { ProgressReporter } from '../record/progress.js'
import { StopOnFailure } from './stop-on-failure.js'
import { claimOutputFolder } from './output-folder.js'

/** Runtime knobs (tests shorten them). */
export interface BackfillRuntime {
  io: Io
  discovery?: DiscoveryOptions
  verbose?: boolean
  /** Register handlers for the stop signals. Default true. */
  handleSignals?: boolean
  /** Clock, µs (the run's "now"). Default `nowMicros`. */
  now?: () => number
}

/** Runs a download; resolves the exit code. */
export async function runBackfill(plan: BackfillPlan, runtime: BackfillRuntime): Promise<number> {
  const { io } = runtime
  const progress = new ProgressReporter<BackfillSnapshot>(io, 5000, formatBackfillStatus)
  const logger = cliLogger(io, runtime.verbose ?? false, () => progress.clear())

  // 1. Everything that can be wrong with the input, before any request.
  const adapter = await findAdapter(plan.exchange, runtime.discovery)
  if (adapter.createHistory === undefined) {
    throw new UsageError(`${adapter.id} has no history download (its adapter does not implement createHistory)`)
  }
  const history = adapter.createHistory({
    logger,
    ...(plan.restUrl === undefined ? {} : { restUrl: plan.restUrl }),
    ...(plan.weightShare === undefined ? {} : { restWeightShare: plan.weightShare }),
  })
  const channels = history.check({ symbols: plan.symbols, channels: plan.channels, from: plan.from, to: plan.to }, (runtime.now ?? nowMicros)())
  const abort = new AbortController()
  // The one check that needs the exchange, its symbol list: before anything is written.
  await history.checkSymbols(plan.symbols, abort.signal).catch((error: unknown) => {
    throw isUsageError(error) ? new UsageError(errorMessage(error), { cause: error }) : error
  })
  const out = resolve(plan.out)

  // 2. One writer per folder; seal what an interrupted run left behind.
  const claim = await claimOutputFolder(out, plan.out, io, runtime.handleSignals, () => progress.clear())
  const { shutdown } = claim
  void shutdown.stopped.then(() => abort.abort())
  let timer: NodeJS.Timeout | undefined
  try {
    const recording = new StopOnFailure((line) => (progress.clear(), io.err(line)), () => shutdown.stop('error'))
    const recorder = new Recorder({
      out,
      format: plan.format,
      // History is dated by exchange time: a download of 2026-11-01 lands under 2026-11-01/.
      dateBy: 'timestamp',
      checkpoints: new FileCheckpointStore(resolve(out, '.checkpoints')),
      logger,
      onFailure: (error) => recording.fail(error),
    })
    const recovered = (await recorder.recover()).filter((result) => result.file !== undefined)
    if (recovered.length > 0) io.err(`dccd: sealed ${recovered.length} file(s) left in the journal by an interrupted run\n`)
    const intervals = channels.flatMap((channel) => (channel.interval === undefined ? [] : [channel.interval]))
    const withTrades = channels.some((channel) => channel.kind === 'trades')
    const points =
      (await recorder.resumePoints(plan.symbols.map((symbol) => ({ exchange: adapter.id, symbol, trades: withTrades, barIntervals: intervals }))))[
        adapter.id
      ] ?? {}

    // 3. Download every stream; symbols side by side (they share the REST budget), a symbol's channels in turn.
    io.err(
      `dccd: backfilling ${adapter.id} ${plan.symbols.join(',')} [${plan.channels.join(',')}] ` +
        `${microsToIso(plan.from)} .. ${microsToIso(plan.to)} into ${plan.out}\n`,
    )
    const downloads = new BackfillProgress()
    const jobs = plan.symbols.map((symbol) => planStreams(downloads, symbol, channels, plan, points))
    const startedAt = Date.now()
    timer = setInterval(() => progress.update(downloads.snapshot(Date.now() - startedAt)), 1000)
    recorder.start()
    let failure: unknown
    const write = (event: MarketEvent): boolean => recording.run(() => recorder.write(event))
    await Promise.all(
      jobs.map(async (streams) => {
        try {
          for (const stream of streams) {
            if (abort.signal.aborted) return
            await download(history, stream, abort.signal, write)
          }
        } catch (error) {
          if (abort.signal.aborted && shutdown.reason !== 'error') return // stopped by the user: not a failure
          failure ??= error
          shutdown.stop('error')
        }
      }),
    )
    clearInterval(timer)
    shutdown.stop('ended')
    const finished = downloads.snapshot(Date.now() - startedAt)
    progress.update(finished)
    progress.clear()

    // 4. Seal.
    const closing = recorder.close(() => shutdown.abandoned)
    closing.catch(() => {})
    const left = await Promise.race([closing, shutdown.abandonedPromise.then(() => recorder.segmentsInJournal())])
    const complete = downloads.streams.every((stream) => stream.done)
    io.err(
      `dccd: ${finished.rows} rows in ${recorder.stats.filesSealed} file(s) under ${plan.out}` +
        `${finished.gaps > 0 ? `; ${finished.gaps} gap(s) reported` : ''}` +
        `${complete ? '' : `; stopped at ${Math.floor(finished.fraction * 100)}%: run the same command again to continue`}` +
        `${left > 0 ? `; ${left} segment(s) left in the journal for the next start` : ''}\n`,
    )
    if (recording.failed) {
      if (isDiskWriteError(recording.error)) return ExitCode.failure
      throw recording.error
    }
    if (failure !== undefined) {
      if (isUsageError(failure)) throw new UsageError(errorMessage(failure), { cause: failure })
      const hint = hasErrorCode(failure, 'DCCD_REQUEST_FAILED') ? '; is the exchange reachable? (--rest-url chooses another endpoint)' : ''
      throw new Error(`backfill failed: ${errorMessage(failure)}${hint}; run the same command again to continue`, { cause: failure })
    }
    // An interrupted download is not done: scripts must not take it for complete.
    return complete && !shutdown.abandoned ? ExitCode.ok : ExitCode.interrupted
  } finally {
    if (timer !== undefined) clearInterval(timer)
    claim.release()
  }
}

/** One stream to download and where it starts. */
interface StreamJob {
  readonly symbol: string
  readonly channel: ParsedChannel
  readonly progress: StreamProgress
  /** Continue after this point (from the durable checkpoints), if the range is partly on disk already. */
  readonly after: { kind: 'trades'; lastId: string; lastTimestamp: number } | { kind: 'bars'; lastOpenTime: number } | undefined
}

/**
 * A symbol's streams, each starting after what its checkpoint says is on
 * disk when that lies inside the range (a resumed run); a checkpoint before
 * the range is ignored (the download starts at `from`), one at its end
 * leaves nothing to do.
 */
function planStreams(downloads: BackfillProgress, symbol: string, channels: readonly ParsedChannel[], plan: BackfillPlan, points: ResumePoints): StreamJob[] {
  return channels.map((channel) => {
    const label = `${symbol} ${channel.name}`
    if (channel.kind === 'trades') {
      const point = points[symbol]?.trades
      const inside = point !== undefined && point.lastTimestamp >= plan.from
      return {
        symbol,
        channel,
        progress: downloads.add(label, plan.from, plan.to, inside ? point.lastTimestamp : plan.from),
        after: inside ? { kind: 'trades', ...point } : undefined,
      }
    }
    const interval = channel.interval!
    const point = points[symbol]?.bars?.[interval]
    const inside = point !== undefined && point.lastOpenTime >= plan.from
    // The bar after the last one on disk opens one interval later; nothing is left once that is at or past `to`.
    const start = inside ? addBars(interval, point.lastOpenTime, 1) : plan.from
    return { symbol, channel, progress: downloads.add(label, plan.from, plan.to, start), after: inside ? { kind: 'bars', ...point } : undefined }
  })
}

/** Pages of one stream into the recorder, moving its progress. */
async function download(history: ExchangeHistory, job: StreamJob, signal: AbortSignal, write: (event: MarketEvent) => boolean): Promise<void> {
  const { progress, symbol, channel } = job
  if (progress.done) return
  const range = { symbol, from: progress.from, to: progress.to }
  const pages =
    channel.kind === 'trades'
      ? history.trades({ ...range, ...(job.after?.kind === 'trades' ? { after: { lastId: job.after.lastId, lastTimestamp: job.after.lastTimestamp } } : {}) }, signal)
      : history.bars({ ...range, interval: channel.interval!, ...(job.after?.kind === 'bars' ? { after: { lastOpenTime: job.after.lastOpenTime } } : {}) }, signal)
  for await (const page of pages) {
    for (const event of page) {
      if (!write(event)) return
      if (event.type === 'trade') {
        progress.rows++
        progress.position = event.timestamp
      } else if (event.type === 'bar') {
        progress.rows++
        progress.position = event.openTime
      } else if (event.type === 'status' && event.status === 'gap') {
        progress.gaps++
      }
    }
    if (signal.aborted) return
  }
  progress.done = true
}
