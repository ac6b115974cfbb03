/**
 * The pull consumer a {@link JetStreamSource} reads through. A durable one
 * keeps its place on the server: what was acknowledged is never delivered
 * again. Its one trap is order: JetStream redelivers a message left
 * unacknowledged (by a writer killed mid-batch) only once `ack_wait` has
 * passed, after newer messages, and the recorder, which skips a trade at or
 * below the last id it holds, would then drop it as a duplicate. So a
 * durable that has delivered past its ack floor is recreated to start right
 * after the floor: the unacknowledged messages come again first, in stream
 * order. Our acknowledgements go out in stream order, so everything after
 * the floor is exactly what may be unwritten. (Server 2.9 has no consumer
 * reset; delete and create is what it offers.)
 * https://docs.nats.io/nats-concepts/jetstream/consumers#ackwait
 */
import { AckPolicy, DeliverPolicy, JetStreamApiCodes } from '@nats-io/jetstream'
import type { ConsumerConfig, ConsumerInfo, JetStreamManager } from '@nats-io/jetstream'

const NANOS_PER_MS = 1_000_000

/** How the source reads: a durable that resumes, or a one-off replay from a time. */
export interface ConsumerPlan {
  readonly stream: string
  /** Durable name; undefined for a replay (an ephemeral consumer). */
  readonly durable: string | undefined
  /** One subject filter (server 2.9 takes one), e.g. `dccd.binance.>`. */
  readonly filter: string | undefined
  /** Replay start: stored time, ms since the epoch. */
  readonly fromTimeMs: number | undefined
  readonly ackWaitMs: number
  readonly maxAckPending: number
}

/**
 * An existing durable filters other subjects than asked for: binding to it would silently write another
 * selection. (Not a core `DccdError`: core's list of codes is closed, and this one is the NATS package's.)
 */
export class ConsumerConflictError extends Error {
  readonly code = 'DCCD_NATS_CONSUMER_CONFLICT'
  constructor(
    readonly stream: string,
    readonly durable: string,
    readonly existingFilter: string | undefined,
    readonly requestedFilter: string | undefined,
  ) {
    super(
      `consumer ${durable} of stream ${stream} filters ${JSON.stringify(existingFilter ?? '(everything)')}, not ${JSON.stringify(requestedFilter ?? '(everything)')}; ` +
        'use another durable name for another filter',
    )
    this.name = 'ConsumerConflictError'
  }
}

/** True when `error` is JetStream's "consumer not found". */
export function isConsumerNotFound(error: unknown): boolean {
  return (error as { code?: unknown }).code === JetStreamApiCodes.ConsumerNotFound
}

/** True when `error` is JetStream's "stream not found". */
export function isStreamNotFound(error: unknown): boolean {
  return (error as { code?: unknown }).code === JetStreamApiCodes.StreamNotFound
}

/**
 * Binds to the plan's durable (recreating it after its ack floor when it
 * holds unacknowledged deliveries), creates it, or creates the replay's
 * ephemeral consumer.
 *
 * @returns the consumer's name and info
 * @throws ConsumerConflictError when an existing durable filters other subjects than the plan
 */
export async function prepareConsumer(jsm: JetStreamManager, plan: ConsumerPlan): Promise<ConsumerInfo> {
  const base: Partial<ConsumerConfig> = {
    ack_policy: AckPolicy.Explicit,
    ack_wait: plan.ackWaitMs * NANOS_PER_MS,
    max_ack_pending: plan.maxAckPending,
    ...(plan.filter === undefined ? {} : { filter_subject: plan.filter }),
  }
  if (plan.durable === undefined) {
    return jsm.consumers.add(plan.stream, {
      ...base,
      // Gone a minute after the replay stops pulling: nothing to clean up by hand.
      inactive_threshold: 60_000 * NANOS_PER_MS,
      ...(plan.fromTimeMs === undefined
        ? { deliver_policy: DeliverPolicy.All }
        : { deliver_policy: DeliverPolicy.StartTime, opt_start_time: new Date(plan.fromTimeMs).toISOString() }),
    })
  }
  let existing: ConsumerInfo | undefined
  try {
    existing = await jsm.consumers.info(plan.stream, plan.durable)
  } catch (error) {
    if (!isConsumerNotFound(error)) throw error
  }
  const durable = { ...base, durable_name: plan.durable }
  if (existing === undefined) return jsm.consumers.add(plan.stream, { ...durable, deliver_policy: DeliverPolicy.All })
  const filter = existing.config.filter_subject || undefined
  if (filter !== plan.filter) {
    throw new ConsumerConflictError(plan.stream, plan.durable, filter, plan.filter)
  }
  if (existing.delivered.stream_seq <= existing.ack_floor.stream_seq) return existing
  await jsm.consumers.delete(plan.stream, plan.durable)
  return jsm.consumers.add(plan.stream, { ...durable, deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: existing.ack_floor.stream_seq + 1 })
}
