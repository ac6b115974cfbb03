/**
 * Reads a JetStream stream of dccd events back as events, for a writer that
 * acknowledges each message only once what it made of it is durable
 * (`dccd sink-to-files`). Messages come in batches, in stream order; a
 * message that does not decode is saved to the quarantine folder, counted,
 * logged and terminated (never redelivered), and never holds up the rest.
 * How the consumer keeps stream order across a crash: consumer-setup.ts.
 */
import type { Logger, MarketEvent } from '@dccd/core'
import { errorMessage, silentLogger } from '@dccd/core'
import { DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream'
import type { Consumer, ConsumerMessages, JetStreamClient, JetStreamManager, JsMsg } from '@nats-io/jetstream'
import { connect } from '@nats-io/transport-node'
import type { NatsConnection } from '@nats-io/transport-node'
import { prepareConsumer } from './consumer-setup.js'
import { decodeEvent } from './decode.js'
import { quarantineMessage } from './quarantine-file.js'
import { DEFAULT_SUBJECT_PREFIX } from './subject.js'

/** Default stream name (the publisher's). */
export const DEFAULT_STREAM = 'DCCD'
/** Default durable consumer name of a files writer. */
export const DEFAULT_DURABLE = 'dccd-files'

/** Options of {@link JetStreamSource.connect}. */
export interface JetStreamSourceOptions {
  /** Server URL(s), e.g. `nats://127.0.0.1:4222`. */
  readonly servers: string | readonly string[]
  /** Folder the messages that do not decode are saved to (`<out>/.quarantine/nats`), one `<stream>.rejected.jsonl`. */
  readonly quarantineDir: string
  /** Stream name. Default {@link DEFAULT_STREAM}. */
  readonly stream?: string
  /** Durable consumer name; its position survives restarts. Default {@link DEFAULT_DURABLE}. Ignored with `fromTime`. */
  readonly durable?: string
  /** One subject filter, e.g. `dccd.binance.>`. Default: the whole stream. */
  readonly filter?: string
  /** Replay from this stored time (µs since the epoch) with an ephemeral consumer instead of the durable; the batches end once caught up. */
  readonly fromTime?: number
  /** With `fromTime`: end before the first message stored at or after this time (µs). */
  readonly toTime?: number
  /** End the batches once the consumer has caught up with the stream (always so with `fromTime`). Default false: follow it. */
  readonly untilCaughtUp?: boolean
  /** Messages per batch. Default 500. */
  readonly batchSize?: number
  /** Unacknowledged messages are redelivered after this long, ms. Default 60 000. */
  readonly ackWaitMs?: number
  /** Longest wait for a batch to fill, ms (at least 1000). Default 1000. */
  readonly fetchWaitMs?: number
  /** First subject token. Default `dccd`. */
  readonly prefix?: string
  readonly logger?: Logger
}

/** One event with the acknowledgement of the message it came in. */
export interface SourceMessage {
  readonly event: MarketEvent
  /** Its sequence number in the stream. */
  readonly seq: number
  /** Acknowledges the message: call it only once the event is durable. */
  ack(): void
}

/** Counters of a {@link JetStreamSource}. */
export interface JetStreamSourceStats {
  /** Messages received (decoded or not), redeliveries included. */
  received: number
  /** Messages acknowledged. */
  acked: number
  /** Messages that did not decode: quarantined and terminated. */
  malformed: number
  /** Messages left in the stream for this consumer, as of the last one received. */
  pending: number
}

/**
 * A pull consumer on a stream of dccd events.
 *
 * @example
 * const source = await JetStreamSource.connect({ servers: 'nats://127.0.0.1:4222', quarantineDir: './data/.quarantine/nats' })
 * for await (const batch of source.batches()) {
 *   for (const { event } of batch) recorder.write(event)
 *   await recorder.sync() // the journal holding them is on disk
 *   for (const message of batch) message.ack()
 * }
 * await source.close()
 */
export class JetStreamSource {
  readonly stats: JetStreamSourceStats = { received: 0, acked: 0, malformed: 0, pending: 0 }
  readonly #nc: NatsConnection
  readonly #js: JetStreamClient
  readonly #jsm: JetStreamManager
  readonly #options: JetStreamSourceOptions
  readonly #stream: string
  readonly #logger: Logger
  #consumerName: string
  #stopped = false
  #fetching: ConsumerMessages | undefined
  /** Highest stream sequence acknowledged, and yielded: messages at or below were handled already. */
  #ackedThrough = 0
  #yieldedThrough = 0

  private constructor(nc: NatsConnection, jsm: JetStreamManager, options: JetStreamSourceOptions, consumerName: string) {
    this.#nc = nc
    this.#jsm = jsm
    this.#js = jetstream(nc)
    this.#options = options
    this.#stream = options.stream ?? DEFAULT_STREAM
    this.#logger = options.logger ?? silentLogger
    this.#consumerName = consumerName
  }

  /**
   * Connects, and binds to the durable consumer (creating it, or recreating
   * it after its ack floor so unacknowledged messages come first) or
   * creates the replay's ephemeral consumer.
   *
   * @throws Error ("cannot connect to NATS at …", with `cause`) when the server cannot be reached; JetStream's error when the stream does not exist, or the durable filters other subjects
   */
  static async connect(options: JetStreamSourceOptions): Promise<JetStreamSource> {
    const servers = typeof options.servers === 'string' ? [options.servers] : [...options.servers]
    // Reconnects for ever once connected; the first connection must succeed, so a wrong URL fails at once.
    const nc = await connect({ servers, maxReconnectAttempts: -1, name: 'dccd sink-to-files' }).catch((error: unknown) => {
      throw new Error(`cannot connect to NATS at ${servers.join(', ')} (${errorMessage(error)})`, { cause: error })
    })
    try {
      const jsm = await jetstreamManager(nc)
      const stream = options.stream ?? DEFAULT_STREAM
      const replay = options.fromTime !== undefined
      const info = await prepareConsumer(jsm, {
        stream,
        durable: replay ? undefined : (options.durable ?? DEFAULT_DURABLE),
        filter: options.filter,
        fromTimeMs: options.fromTime === undefined ? undefined : Math.floor(options.fromTime / 1000),
        ackWaitMs: options.ackWaitMs ?? 60_000,
        // Room for two batches: one being written, the next being fetched.
        maxAckPending: 2 * (options.batchSize ?? 500),
      })
      const source = new JetStreamSource(nc, jsm, options, info.name)
      source.stats.pending = info.num_pending
      return source
    } catch (error) {
      await nc.close()
      throw error
    }
  }

  /** The consumer's name (the durable, or the replay's generated one). */
  get consumer(): string {
    return this.#consumerName
  }

  /**
   * Batches of events in stream order. Ends after {@link stop}, and once
   * caught up with `fromTime` or `untilCaughtUp` (or at `toTime`). Every
   * message of a batch must be acknowledged (or the run stopped) before the
   * next batch is asked for.
   */
  async *batches(): AsyncGenerator<SourceMessage[]> {
    const options = this.#options
    const untilCaughtUp = options.untilCaughtUp === true || options.fromTime !== undefined
    const toNanos = options.toTime === undefined ? undefined : BigInt(options.toTime) * 1000n
    if (untilCaughtUp && this.stats.pending === 0 && (await this.#numAckPending()) === 0) return
    let consumer: Consumer = await this.#js.consumers.get(this.#stream, this.#consumerName)
    let expectedDelivery: number | undefined
    while (!this.#stopped) {
      const batch: SourceMessage[] = []
      let done = false
      let reset = false
      const messages = await consumer.fetch({ max_messages: options.batchSize ?? 500, expires: Math.max(1000, options.fetchWaitMs ?? 1000) })
      this.#fetching = messages
      for await (const msg of messages) {
        this.stats.received++
        this.stats.pending = msg.info.pending
        const delivery = msg.info.deliverySequence
        if (expectedDelivery !== undefined && delivery !== expectedDelivery) {
          // A delivery never reached us (a reconnect mid-fetch): it would come back only after ack_wait,
          // behind newer messages. Start over right after what was handled, so order holds.
          this.#logger.warn(`${this.#stream}: delivery ${expectedDelivery} of consumer ${this.#consumerName} was lost; resuming after stream sequence ${this.#yieldedThrough}`)
          reset = true
          break
        }
        expectedDelivery = delivery + 1
        if (msg.seq <= this.#yieldedThrough) {
          // Redelivered while its first delivery is being written (ack_wait passed): that ack covers it.
          if (msg.seq <= this.#ackedThrough) msg.ack()
          continue
        }
        if (toNanos !== undefined && msg.timestampNanos >= toNanos) {
          done = true
          break
        }
        const item = this.#accept(msg)
        if (item !== undefined) batch.push(item)
        this.#yieldedThrough = msg.seq
        if (untilCaughtUp && msg.info.pending === 0) {
          done = true
          break
        }
      }
      this.#fetching = undefined
      if (done || reset) await messages.close()
      if (batch.length > 0) yield batch
      if (done) return
      if (reset) {
        await this.#restartAfter(this.#yieldedThrough)
        consumer = await this.#js.consumers.get(this.#stream, this.#consumerName)
        expectedDelivery = undefined
      } else if (untilCaughtUp && batch.length === 0 && this.stats.pending === 0 && (await this.#numAckPending()) === 0) {
        return
      }
    }
  }

  /** Decodes one message; quarantines and terminates it when it does not decode. */
  #accept(msg: JsMsg): SourceMessage | undefined {
    const decoded = decodeEvent(msg.subject, msg.data, this.#options.prefix ?? DEFAULT_SUBJECT_PREFIX)
    if (decoded.ok) {
      const seq = msg.seq
      return {
        event: decoded.event,
        seq,
        ack: () => {
          msg.ack()
          this.stats.acked++
          if (seq > this.#ackedThrough) this.#ackedThrough = seq
        },
      }
    }
    this.stats.malformed++
    const path = quarantineMessage(this.#options.quarantineDir, {
      stream: this.#stream,
      seq: msg.seq,
      subject: msg.subject,
      published: msg.timestamp,
      msgId: msg.headers?.get('Nats-Msg-Id') || undefined,
      reason: decoded.reason,
      data: msg.data,
    })
    this.#logger.warn(`${this.#stream} message ${msg.seq} on ${msg.subject} is not a dccd event (${decoded.reason}); saved to ${path} and terminated`)
    msg.term()
    return undefined
  }

  async #numAckPending(): Promise<number> {
    return (await this.#jsm.consumers.info(this.#stream, this.#consumerName)).num_ack_pending
  }

  /** Recreates the consumer to deliver from right after `seq`. */
  async #restartAfter(seq: number): Promise<void> {
    const info = await this.#jsm.consumers.info(this.#stream, this.#consumerName)
    const { config } = info
    await this.#jsm.consumers.delete(this.#stream, this.#consumerName)
    const { name: _generated, opt_start_time: _from, ...kept } = config
    // An ephemeral consumer's name is the server's to choose again.
    const next = await this.#jsm.consumers.add(this.#stream, {
      ...(config.durable_name === undefined ? kept : config),
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: seq + 1,
      opt_start_time: undefined,
    })
    this.#consumerName = next.name
  }

  /** Ends {@link batches} after the batch in hand (a fetch waiting for messages ends at once). */
  stop(): void {
    this.#stopped = true
    void this.#fetching?.close()
  }

  /** Stops and closes the connection; acknowledgements already given are flushed first. */
  async close(): Promise<void> {
    this.stop()
    if (this.#nc.isClosed()) return
    await this.#nc.drain().catch(() => this.#nc.close())
  }
}
