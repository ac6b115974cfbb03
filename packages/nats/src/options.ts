/**
 * What `JetStreamSink.connect` takes, and the defaults it fills in. Sizes
 * are bytes, durations ms.
 */
import type { CheckpointStore, Logger } from '@dccd/core'
import { DEFAULT_SUBJECT_PREFIX } from './subject.js'

/** How the stream keeps messages (JetStream's retention policy). */
export type StreamRetention = 'limits' | 'interest' | 'workqueue'

/**
 * Options of {@link JetStreamSink.connect}.
 *
 * @example { servers: 'nats://127.0.0.1:4222', spoolDir: './data/.spool', checkpoints: new FileCheckpointStore('./data/.checkpoints') }
 */
export interface JetStreamSinkOptions {
  /** NATS server URL(s), `nats://host:4222`. */
  readonly servers: string | readonly string[]
  /** Stream name. Default `DCCD`. */
  readonly stream?: string
  /** First token of every subject. Default `dccd`. */
  readonly subjectPrefix?: string
  /** Subjects of the stream when the sink creates it. Default `['<subjectPrefix>.>']`. */
  readonly subjects?: readonly string[]
  /** Retention of a created stream. Default `limits`. */
  readonly retention?: StreamRetention
  /** Oldest message a created stream keeps, ms; 0 = no limit (default). */
  readonly maxAgeMs?: number
  /** Size limit of a created stream, bytes; -1 = none (default). */
  readonly maxBytes?: number
  /** Replicas of a created stream. Default 1. */
  readonly replicas?: number
  /** The stream's duplicate window, ms: a message id seen within it is stored once. Default 120 000 (2 min). */
  readonly duplicateWindowMs?: number
  /** Unacknowledged publishes at most. Default 1000. */
  readonly maxInFlight?: number
  /** Events held in memory (beyond those in flight) before the rest go to the spool. Default 10 000. */
  readonly maxQueued?: number
  /** Folder of the spool (created if missing): events NATS could not take yet, in order. */
  readonly spoolDir: string
  /** Largest spool, bytes; past it `write()` throws `SpoolFullError`. Default 1 GiB. */
  readonly maxSpoolBytes?: number
  /** Where the last acknowledged trade and closed bar of each stream are kept (core `CheckpointStore`). */
  readonly checkpoints: CheckpointStore
  /** How long to wait for one acknowledgement before counting NATS as unreachable, ms. Default 5000. */
  readonly ackTimeoutMs?: number
  /** How often acknowledged checkpoints are saved and the spool fsynced, ms. Default 1000. */
  readonly syncIntervalMs?: number
  /** Core `Logger`. Default silent. */
  readonly logger?: Logger
}

/** The options with every default filled in. */
export type ResolvedSinkOptions = Required<Omit<JetStreamSinkOptions, 'servers' | 'logger'>> & Pick<JetStreamSinkOptions, 'servers' | 'logger'>

/** Fills in the defaults (see {@link JetStreamSinkOptions}). */
export function resolveSinkOptions(options: JetStreamSinkOptions): ResolvedSinkOptions {
  const subjectPrefix = options.subjectPrefix ?? DEFAULT_SUBJECT_PREFIX
  return {
    ...options,
    stream: options.stream ?? 'DCCD',
    subjectPrefix,
    subjects: options.subjects ?? [`${subjectPrefix}.>`],
    retention: options.retention ?? 'limits',
    maxAgeMs: options.maxAgeMs ?? 0,
    maxBytes: options.maxBytes ?? -1,
    replicas: options.replicas ?? 1,
    duplicateWindowMs: options.duplicateWindowMs ?? 120_000,
    maxInFlight: options.maxInFlight ?? 1000,
    maxQueued: options.maxQueued ?? 10_000,
    maxSpoolBytes: options.maxSpoolBytes ?? 1024 ** 3,
    ackTimeoutMs: options.ackTimeoutMs ?? 5000,
    syncIntervalMs: options.syncIntervalMs ?? 1000,
  }
}
