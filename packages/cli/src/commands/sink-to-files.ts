/**
 * `dccd sink-to-files`: the reading end of a JetStream stream of dccd
 * events. Validate offline, take the folder's lock, seal what a crashed run
 * left, then per batch: write each event to the recorder, fsync its journal
 * (`recorder.sync()`), and only then acknowledge the batch's messages. A
 * message is therefore acknowledged only once the journal holding it is on
 * disk, where the next start's `recover()` seals it even after a `kill -9`;
 * anything not acknowledged is delivered again, first (see @dccd/nats'
 * consumer-setup.ts), and the recorder skips the trades and closed bars it
 * already holds.
 */
import { resolve } from 'node:path'
import { FileCheckpointStore, errorMessage as coreErrorMessage } from '@dccd/core'
import type { MarketEvent } from '@dccd/core'
import { JetStreamSource } from '@dccd/nats'
import { Recorder, isDiskWriteError } from '@dccd/recorder'
import { ExitCode, UsageError } from '../errors.js'
import type { Io } from '../io.js'
import { cliLogger } from '../io.js'
import { ProgressReporter } from '../record/progress.js'
import type { SinkPlan } from '../sink/plan.js'
import { formatSinkStatus } from '../sink/status.js'
import type { SinkSnapshot } from '../sink/status.js'
import { StopOnFailure } from './stop-on-failure.js'
import { claimOutputFolder } from './output-folder.js'

/** Runtime knobs. */
export interface SinkRuntime {
  io: Io
  verbose?: boolean
  /** Register handlers for the stop signals. Default true. */
  handleSignals?: boolean
}

/** Runs the writer; resolves the exit code. */
export async function runSinkToFiles(plan: SinkPlan, runtime: SinkRuntime): Promise<number> {
  const { io } = runtime
  const progress = new ProgressReporter<SinkSnapshot>(io, 5000, formatSinkStatus)
  const logger = cliLogger(io, runtime.verbose ?? false, () => progress.clear())
  const out = resolve(plan.out)
  const claim = await claimOutputFolder(out, plan.out, io, runtime.handleSignals, () => progress.clear())
  const { shutdown } = claim
  const timers: NodeJS.Timeout[] = []
  let source: JetStreamSource | undefined
  try {
    const recording = new StopOnFailure((line) => (progress.clear(), io.err(line)), () => shutdown.stop('error'))
    const recorder = new Recorder({
      out,
      format: plan.format,
      rotateMs: plan.rotateMs,
      checkpoints: new FileCheckpointStore(resolve(out, '.checkpoints')),
      logger,
      onFailure: (error) => recording.fail(error),
    })
    const recovered = (await recorder.recover()).filter((result) => result.file !== undefined)
    if (recovered.length > 0) io.err(`dccd: sealed ${recovered.length} file(s) left in the journal by an interrupted run\n`)

    source = await connectSource(plan, out, logger)
    const what = plan.fromTime === undefined ? `consumer ${source.consumer}` : `a replay from ${new Date(plan.fromTime / 1000).toISOString()}`
    io.err(`dccd: writing stream ${plan.stream}${plan.filter === undefined ? '' : ` (${plan.filter})`} from ${plan.from} through ${what} into ${plan.out}\n`)

    const loaded = new Set<string>()
    const loadCheckpoints = async (event: MarketEvent): Promise<void> => {
      if (event.type !== 'trade' && event.type !== 'bar') return
      const key = `${event.exchange}\0${event.symbol}\0${event.type === 'bar' ? event.interval : ''}`
      if (loaded.has(key)) return
      loaded.add(key)
      // The streams are known only as events arrive: each one's checkpoint is loaded before its first write.
      await recorder.loadCheckpoints([
        event.type === 'trade'
          ? { exchange: event.exchange, symbol: event.symbol, trades: true }
          : { exchange: event.exchange, symbol: event.symbol, trades: false, barIntervals: [event.interval] },
      ])
    }
    let failure: unknown
    let written = 0
    const reading = source
    void shutdown.stopped.then(() => reading.stop())
    const pump = (async () => {
      try {
        for await (const batch of reading.batches()) {
          for (const { event } of batch) {
            await loadCheckpoints(event)
            if (!recording.run(() => recorder.write(event))) return
            written++
          }
          // The acknowledgement rule: the journal holding the batch is fsynced first.
          try {
            await recorder.sync()
          } catch (error) {
            recording.fail(error)
            return
          }
          for (const message of batch) message.ack()
        }
        shutdown.stop('ended')
      } catch (error) {
        if (shutdown.reason === undefined) failure ??= error
        shutdown.stop('error')
      }
    })()
    recorder.start()
    const startedAt = Date.now()
    const snapshot = (): SinkSnapshot => ({
      elapsedMs: Date.now() - startedAt,
      received: reading.stats.received,
      acked: reading.stats.acked,
      pending: reading.stats.pending,
      malformed: reading.stats.malformed,
      duplicates: recorder.stats.duplicates,
      filesSealed: recorder.stats.filesSealed,
    })
    timers.push(setInterval(() => progress.update(snapshot()), 1000))

    await shutdown.stopped
    await Promise.race([pump, shutdown.abandonedPromise])
    for (const timer of timers) clearTimeout(timer)
    progress.clear()
    // Acknowledgements given so far are flushed to the server before the connection closes.
    await source.close()
    const closing = recorder.close(() => shutdown.abandoned)
    closing.catch(() => {})
    const left = await Promise.race([closing, shutdown.abandonedPromise.then(() => recorder.segmentsInJournal())])
    const { filesSealed, rowsSealed, duplicates } = recorder.stats
    const { acked, malformed } = source.stats
    io.err(
      `dccd: ${written} event(s) written, ${acked} message(s) acknowledged; ${filesSealed} file(s), ${rowsSealed} rows sealed under ${plan.out}` +
        `${duplicates > 0 ? `; ${duplicates} duplicate trade(s)/bar(s) skipped` : ''}` +
        `${malformed > 0 ? `; ${malformed} malformed message(s) saved under ${plan.out}/.quarantine/nats` : ''}` +
        `${left > 0 ? `; ${left} segment(s) left in the journal for the next start` : ''}\n`,
    )
    if (recording.failed) {
      if (isDiskWriteError(recording.error)) return ExitCode.failure
      throw recording.error
    }
    if (failure !== undefined) throw new Error(`reading ${plan.stream} from ${plan.from} failed: ${coreErrorMessage(failure)}`, { cause: failure })
    return left > 0 || shutdown.abandoned ? ExitCode.interrupted : ExitCode.ok
  } finally {
    for (const timer of timers) clearTimeout(timer)
    await source?.close().catch(() => {})
    claim.release()
  }
}

/** Connects, naming what is wrong: an unreachable server (exit 1), a missing stream or a durable with another filter (exit 2). */
async function connectSource(plan: SinkPlan, out: string, logger: ReturnType<typeof cliLogger>): Promise<JetStreamSource> {
  try {
    return await JetStreamSource.connect({
      servers: plan.from,
      stream: plan.stream,
      durable: plan.durable,
      quarantineDir: resolve(out, '.quarantine', 'nats'),
      batchSize: plan.batchSize,
      untilCaughtUp: plan.drain,
      logger,
      ...(plan.filter === undefined ? {} : { filter: plan.filter }),
      prefix: plan.subjectPrefix,
      ...(plan.fromTime === undefined ? {} : { fromTime: plan.fromTime }),
      ...(plan.toTime === undefined ? {} : { toTime: plan.toTime }),
    })
  } catch (error) {
    const code = (error as { code?: unknown }).code
    if (code === 10059) throw new UsageError(`stream ${JSON.stringify(plan.stream)} does not exist on ${plan.from}; --stream names the stream the events are published to (default DCCD)`, { cause: error })
    if (code === 'DCCD_NATS_CONSUMER_CONFLICT') throw new UsageError((error as Error).message, { cause: error })
    if (typeof code === 'number') throw error // another JetStream API error
    throw new Error(`${coreErrorMessage(error)}; is nats-server (with -js) running there? (--from)`, { cause: error })
  }
}
