/**
 * `dccd record --sink`: the JetStream sink in place of the file recorder.
 * `@dccd/nats` (and the NATS client) is imported only here, and only when
 * `--sink` is given, so a plain `dccd record` never loads it. `--out` holds
 * the sink's spool (`<out>/.spool`) and its checkpoints.
 */
import { resolve } from 'node:path'
import { FileCheckpointStore } from '@dccd/core'
import type { Logger, MarketEvent } from '@dccd/core'
import type { JetStreamSink, SinkStats } from '@dccd/nats'
import { UsageError } from '../errors.js'
import type { SinkPlan } from './sink-plan.js'

/** The sink with the per-type counts the status line shows. */
export interface RecordSink {
  readonly sink: JetStreamSink
  /** Events written, per event type. */
  readonly records: Map<string, number>
  /** Status events `resync` and `gap` written (the status line's counters). */
  readonly resyncs: number
  readonly gaps: number
  write(event: MarketEvent): void
}

/** Connects the sink (creating the stream if missing). @throws UsageError when no server answers or the stream conflicts */
export async function openRecordSink(plan: SinkPlan, out: string, logger: Logger, onFailure: (error: unknown) => void): Promise<RecordSink> {
  const { JetStreamSink } = await import('@dccd/nats')
  let sink: JetStreamSink
  try {
    sink = await JetStreamSink.connect({
      servers: plan.url,
      stream: plan.stream,
      subjectPrefix: plan.subjectPrefix,
      duplicateWindowMs: plan.duplicateWindowMs,
      maxSpoolBytes: plan.maxSpoolBytes,
      replicas: plan.replicas,
      maxAgeMs: plan.maxAgeMs,
      retention: plan.retention,
      spoolDir: resolve(out, '.spool'),
      checkpoints: new FileCheckpointStore(resolve(out, '.checkpoints')),
      logger,
      onFailure,
    })
  } catch (error) {
    const code = (error as { code?: unknown }).code
    if (code === 'DCCD_STREAM_CONFLICT') throw new UsageError((error as Error).message, { cause: error })
    throw new UsageError(`cannot connect to --sink ${plan.url}: ${(error as Error).message}; is nats-server running with JetStream (-js)?`, { cause: error })
  }
  const records = new Map<string, number>()
  let resyncs = 0
  let gaps = 0
  return {
    sink,
    records,
    get resyncs() {
      return resyncs
    },
    get gaps() {
      return gaps
    },
    write(event) {
      sink.write(event)
      records.set(event.type, (records.get(event.type) ?? 0) + 1)
      if (event.type === 'status' && event.status === 'resync') resyncs++
      if (event.type === 'status' && event.status === 'gap') gaps++
    },
  }
}

/** The status line's sink part: `nats connected 12 in flight 0 queued 0 B spooled`. */
export function formatSinkStatus(stats: SinkStats): string {
  return `nats ${stats.state} ${stats.inFlight} in flight ${stats.queued} queued ${formatBytes(stats.spooledBytes)} spooled`
}

/** The one line `dccd record` prints when the spool is full. */
export function spoolFullMessage(error: { spoolDir: string; maxSpoolBytes: number }): string {
  return `spool ${error.spoolDir} reached --max-spool ${formatBytes(error.maxSpoolBytes)} while NATS was unreachable or slow; stopping (it is sent on the next start)`
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KiB`
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`
}
