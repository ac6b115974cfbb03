/**
 * `JetStreamSink`: publishes normalized events into a JetStream stream,
 * exactly once within the stream's duplicate window, without ever dropping
 * one silently.
 *
 * - Each event is one message on `<prefix>.<exchange>.<type>.<symbol>`, its
 *   plain JSON as the payload and `Nats-Msg-Id` = {@link messageId}: a
 *   restarted or second recorder publishing the same event is stored once.
 * - `write()` is synchronous, like the recorder's. Events go out in order,
 *   at most `maxInFlight` unacknowledged; the acknowledged prefix (not any
 *   ack: one for a later event waits for the earlier ones) moves the
 *   checkpoints (acked-checkpoints.ts), saved every `syncIntervalMs`.
 * - Beyond `maxQueued` events waiting in memory, or as soon as NATS fails or
 *   disconnects, events go to the spool (spool.ts) in order; it is drained
 *   in order before live events, which keep going to its end meanwhile.
 *   A full spool is a `SpoolFullError` from `write()`.
 * - A failed publish is sent again, with every other unacknowledged one in
 *   order, once JetStream answers again (the same message id: stored once).
 */
import { errorMessage, silentLogger } from '@dccd/core'
import type { Logger, MarketEvent, ResumePoints } from '@dccd/core'
import { jetstream, jetstreamManager } from '@nats-io/jetstream'
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream'
import { connect } from '@nats-io/transport-node'
import type { NatsConnection } from '@nats-io/transport-node'
import { AckedCheckpoints } from './acked-checkpoints.js'
import type { SinkStream } from './acked-checkpoints.js'
import { messageId } from './message-id.js'
import { resolveSinkOptions } from './options.js'
import type { JetStreamSinkOptions, ResolvedSinkOptions } from './options.js'
import { Spool } from './spool.js'
import type { SpoolSegment } from './spool.js'
import { ensureStream } from './stream-setup.js'
import { subjectOf } from './subject.js'

/** Where the sink's events go right now. */
export type SinkState = 'connected' | 'spooling' | 'draining'

/** Counters of a {@link JetStreamSink}. */
export interface SinkStats {
  /** Publishes sent (a re-sent event counts again). */
  readonly published: number
  /** Publishes JetStream acknowledged. */
  readonly acked: number
  /** Acknowledgements that said "duplicate": the stream had the message id already. */
  readonly duplicates: number
  /** Trades and closed bars not sent because the acknowledged checkpoint covers them. */
  readonly skipped: number
  /** Publishes waiting for their acknowledgement. */
  readonly inFlight: number
  /** Events waiting in memory. */
  readonly queued: number
  /** Bytes in the spool. */
  readonly spooledBytes: number
  readonly state: SinkState
}

/** What {@link JetStreamSink.close} resolves. */
export interface SinkCloseResult {
  /** Events not acknowledged before the drain timeout, left in the spool for the next start. */
  readonly leftInSpool: number
}

interface Entry {
  readonly event: MarketEvent
  readonly json: string
  readonly segment: SpoolSegment | undefined
  state: 'inFlight' | 'acked' | 'failed'
}

/** See the module comment. */
export class JetStreamSink {
  readonly #options: ResolvedSinkOptions
  readonly #logger: Logger
  readonly #checkpoints: AckedCheckpoints
  readonly #spool: Spool
  /** Events not published yet, in order (empty whenever the spool is not). */
  #queue: Entry[] = []
  #queueHead = 0
  /** Published, in order, down to the first unacknowledged. */
  #window: Entry[] = []
  #windowHead = 0
  #inFlight = 0
  #failing = false
  #recovering = false
  #closing = false
  #closed = false
  #failure: unknown
  #idle: (() => void)[] = []
  readonly #timer: NodeJS.Timeout
  #published = 0
  #acked = 0
  #duplicates = 0
  #skipped = 0

  private constructor(
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    options: ResolvedSinkOptions,
    private readonly onFailure: ((error: unknown) => void) | undefined,
  ) {
    this.#options = options
    this.#logger = options.logger ?? silentLogger
    this.#checkpoints = new AckedCheckpoints(options.checkpoints, options.stream)
    this.#spool = new Spool(options.spoolDir, options.maxSpoolBytes)
    if (!this.#spool.isEmpty) this.#logger.info(`spool ${options.spoolDir} holds ${this.#spool.bytes} bytes from an earlier run; sending them first`)
    this.#timer = setInterval(() => void this.#sync().catch((error: unknown) => this.#fail(error)), options.syncIntervalMs)
    void this.#watchConnection()
    this.#pump() // a leftover spool goes first
  }

  /**
   * Connects, makes sure the stream exists (created if missing) and starts the sink. A spool left by an earlier
   * run is sent before anything written now.
   *
   * @throws StreamConflictError when the stream exists without the sink's subjects; the connection error when no server answers
   * @example
   * const sink = await JetStreamSink.connect({ servers: 'nats://127.0.0.1:4222', spoolDir: './data/.spool', checkpoints: new FileCheckpointStore('./data/.checkpoints') })
   * for await (const event of feed.stream()) sink.write(event)
   * await sink.close()
   */
  static async connect(options: JetStreamSinkOptions & { onFailure?: (error: unknown) => void }): Promise<JetStreamSink> {
    const resolved = resolveSinkOptions(options)
    const servers = typeof resolved.servers === 'string' ? [resolved.servers] : [...resolved.servers]
    // Reconnect forever: the spool, not the client, bounds what an outage costs.
    const nc = await connect({ servers, name: 'dccd', maxReconnectAttempts: -1, reconnectTimeWait: 250, timeout: resolved.ackTimeoutMs })
    try {
      const jsm = await jetstreamManager(nc, { timeout: resolved.ackTimeoutMs })
      await ensureStream(jsm, resolved)
      return new JetStreamSink(nc, jetstream(nc, { timeout: resolved.ackTimeoutMs }), jsm, resolved, options.onFailure)
    } catch (error) {
      await nc.close().catch(() => {})
      throw error
    }
  }

  /** The stream's name. */
  get stream(): string {
    return this.#options.stream
  }

  /** The first failure of the sink's own work (a full spool, a checkpoint that could not be saved), if any. */
  get failure(): unknown {
    return this.#failure
  }

  get stats(): SinkStats {
    return {
      published: this.#published,
      acked: this.#acked,
      duplicates: this.#duplicates,
      skipped: this.#skipped,
      inFlight: this.#inFlight,
      queued: this.#queue.length - this.#queueHead,
      spooledBytes: this.#spool.bytes,
      state: this.#failing || this.#recovering ? 'spooling' : this.#spool.isEmpty ? 'connected' : 'draining',
    }
  }

  /**
   * Per exchange, where the acknowledged data of `streams` ends, for the feed's `resume` option (loads their
   * checkpoints, so trades and closed bars already in the stream are skipped). Call it before the first `write()`.
   *
   * @example const resume = await sink.resumePoints([{ exchange: 'binance', symbol: 'BTCUSDT', trades: true, barIntervals: [] }])
   */
  resumePoints(streams: readonly SinkStream[]): Promise<Record<string, ResumePoints>> {
    return this.#checkpoints.resumePoints(streams)
  }

  /**
   * Takes one event: queued in memory, or appended to the spool, in order. Never blocks.
   *
   * @throws SpoolFullError when the spool is at `maxSpoolBytes` (and any earlier failure of the sink's own work)
   */
  write(event: MarketEvent): void {
    if (this.#failure !== undefined) throw this.#failure
    if (this.#closing) throw new Error('JetStreamSink.write() after close()')
    if (this.#checkpoints.covers(event)) {
      this.#skipped++
      return
    }
    const json = JSON.stringify(event)
    if (this.#spool.isEmpty && !this.#failing && this.#queue.length - this.#queueHead < this.#options.maxQueued) {
      this.#queue.push({ event, json, segment: undefined, state: 'inFlight' })
      this.#pump()
      return
    }
    this.#guard(() => {
      this.#spillQueue()
      this.#spool.append(json)
    })
  }

  /**
   * Resolves once every event written so far (and the spool) is acknowledged; waits through outages.
   *
   * @example sink.write(trade); await sink.settled() // the stream has it
   */
  settled(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.#idle.push(resolve)
      this.#checkIdle()
    })
  }

  /**
   * Waits until every event written is acknowledged (at most `drainTimeoutMs`, default 10 s), then saves the
   * checkpoints, writes what is left to the spool for the next start and closes the connection.
   */
  async close(options: { drainTimeoutMs?: number } = {}): Promise<SinkCloseResult> {
    this.#closing = true
    let timeout: NodeJS.Timeout | undefined
    await Promise.race([
      this.settled(),
      new Promise<void>((resolve) => (timeout = setTimeout(resolve, options.drainTimeoutMs ?? 10_000))),
    ])
    clearTimeout(timeout)
    clearInterval(this.#timer)
    // Unacknowledged events not in a spool segment go to one read before the rest: the next start sends them first.
    const unsent: string[] = []
    for (let i = this.#windowHead; i < this.#window.length; i++) {
      const entry = this.#window[i]!
      if (entry.state !== 'acked' && entry.segment === undefined) unsent.push(entry.json)
    }
    for (let i = this.#queueHead; i < this.#queue.length; i++) unsent.push(this.#queue[i]!.json)
    const left = unsent.length + this.#window.slice(this.#windowHead).filter((entry) => entry.state !== 'acked' && entry.segment !== undefined).length
    this.#closed = true // nothing more is published
    this.#spool.prepend(unsent)
    this.#spool.close()
    try {
      await this.#checkpoints.save()
    } finally {
      await this.nc.close().catch(() => {})
    }
    if (left > 0) this.#logger.warn(`${left} event(s) not acknowledged by JetStream; they stay in ${this.#options.spoolDir} for the next start`)
    return { leftInSpool: left }
  }

  /** Publishes from the queue, or from the spool when the queue is empty, up to `maxInFlight`. */
  #pump(): void {
    while (!this.#failing && !this.#recovering && !this.#closed && this.#inFlight < this.#options.maxInFlight) {
      let entry: Entry | undefined
      if (this.#queueHead < this.#queue.length) {
        entry = this.#queue[this.#queueHead]!
        this.#queue[this.#queueHead++] = undefined as never
        if (this.#queueHead === this.#queue.length) ((this.#queue = []), (this.#queueHead = 0))
      } else {
        const spooled = this.#spool.next()
        if (spooled === undefined) break
        entry = { event: JSON.parse(spooled.line) as MarketEvent, json: spooled.line, segment: spooled.segment, state: 'inFlight' }
      }
      this.#window.push(entry)
      this.#publish(entry)
    }
  }

  #publish(entry: Entry): void {
    entry.state = 'inFlight'
    this.#inFlight++
    this.#published++
    const { event, json } = entry
    this.js.publish(subjectOf(event, this.#options.subjectPrefix), json, { msgID: messageId(event), timeout: this.#options.ackTimeoutMs }).then(
      (ack) => {
        entry.state = 'acked'
        this.#inFlight--
        this.#acked++
        if (ack.duplicate) this.#duplicates++
        this.#settle()
      },
      (error: unknown) => {
        entry.state = 'failed'
        this.#inFlight--
        this.#enterFailing(error)
        this.#settle()
      },
    )
  }

  /** Moves the checkpoints over the acknowledged prefix, releases spool lines, refills the window. */
  #settle(): void {
    while (this.#windowHead < this.#window.length && this.#window[this.#windowHead]!.state === 'acked') {
      const entry = this.#window[this.#windowHead]!
      this.#window[this.#windowHead++] = undefined as never
      this.#checkpoints.acknowledged(entry.event)
      if (entry.segment !== undefined) this.#guard(() => this.#spool.release(entry.segment!), false)
    }
    if (this.#windowHead === this.#window.length) ((this.#window = []), (this.#windowHead = 0))
    else if (this.#windowHead > 4096) ((this.#window = this.#window.slice(this.#windowHead)), (this.#windowHead = 0))
    if (this.#failing && this.#inFlight === 0 && !this.#closed) void this.#recover()
    this.#pump()
    this.#checkIdle()
  }

  /** NATS failed or disconnected: stop publishing; what waits in memory goes to the spool. */
  #enterFailing(reason: unknown): void {
    if (this.#failing || this.#closed) return
    this.#failing = true
    this.#logger.warn(`JetStream unavailable (${errorMessage(reason)}); spooling to ${this.#options.spoolDir}`)
    this.#guard(() => this.#spillQueue(), false)
    if (this.#inFlight === 0) void this.#recover()
  }

  /** Waits until JetStream answers, then sends every unacknowledged event again in order. */
  async #recover(): Promise<void> {
    if (this.#recovering) return
    this.#recovering = true
    try {
      for (let attempt = 0; !this.#closed; attempt++) {
        try {
          await this.jsm.getAccountInfo()
          break
        } catch {
          // Unanswered probes already waited ackTimeoutMs; fast refusals (no JetStream yet after a restart) back off.
          await new Promise((resolve) => setTimeout(resolve, Math.min(2000, 100 * 2 ** attempt)))
        }
      }
    } finally {
      this.#recovering = false
    }
    if (this.#closed) return
    this.#failing = false
    this.#logger.info('JetStream available again; sending what was not acknowledged, then the spool')
    for (let i = this.#windowHead; i < this.#window.length; i++) {
      const entry = this.#window[i]!
      if (entry.state === 'failed') this.#publish(entry)
    }
    this.#pump()
  }

  async #watchConnection(): Promise<void> {
    for await (const status of this.nc.status()) {
      if (status.type === 'disconnect') this.#enterFailing(new Error('disconnected from NATS'))
    }
  }

  /** Moves the in-memory queue to the spool's end (order: the queue is older than anything written after it). */
  #spillQueue(): void {
    while (this.#queueHead < this.#queue.length) {
      this.#spool.append(this.#queue[this.#queueHead]!.json)
      this.#queue[this.#queueHead++] = undefined as never
    }
    this.#queue = []
    this.#queueHead = 0
  }

  async #sync(): Promise<void> {
    this.#guard(() => this.#spool.sync(), false)
    await this.#checkpoints.save()
  }

  #checkIdle(): void {
    if (this.#idle.length === 0 || this.#inFlight > 0 || this.#windowHead < this.#window.length || this.#queueHead < this.#queue.length || !this.#spool.isEmpty) return
    for (const resolve of this.#idle.splice(0)) resolve()
  }

  /** Runs spool work; a failure is the sink's failure (reported once) and is rethrown. */
  #guard(work: () => void, rethrow = true): void {
    try {
      work()
    } catch (error) {
      this.#fail(error)
      if (rethrow) throw error
    }
  }

  #fail(error: unknown): void {
    if (this.#failure !== undefined) return
    this.#failure = error
    this.onFailure?.(error)
  }
}
