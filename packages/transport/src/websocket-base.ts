/**
 * The reconnecting WebSocket base every exchange feed extends. Subclasses
 * supply `parseMessage` and usually `onConnect`; the base owns sockets,
 * reconnects, heartbeats, pacing, rotation (and its handover), backpressure,
 * the feed's lifecycle signal and counters.
 *
 * Records reach the stream by one route: they are returned, never pushed.
 * The base queues what the subclass's parse functions and hooks return —
 * `parseMessage` for a frame, the `parse` function handed to `deliver()`
 * with an input produced off the socket (a REST answer), and the connection
 * hooks (`onStreamStart`, `onDisconnect`, `onRotationComplete`) for markers.
 */
import { errorMessage, FeedStoppedError, InvalidArgumentError, nowMicros } from '@dccd/core'
import type { Logger } from '@dccd/core'
import { BoundedQueue } from './bounded-queue.js'
import { SocketConnection } from './connection.js'
import type { Connection, ConnectionEvents, FrameContext, InputContext } from './connection.js'
import { setMaxListeners } from 'node:events'
import { StreamStateError } from './errors.js'
import { resolveWebSocketOptions } from './options.js'
import type { ResolvedWebSocketOptions, WebSocketOptions } from './options.js'
import { ReadClock } from './read-clock.js'
import { Slot } from './slot.js'
import type { SlotHost } from './slot.js'
import type { TransportStats } from './stats.js'

const DONE: IteratorResult<never> = Object.freeze({ done: true, value: undefined })

/**
 * Reconnecting WebSocket client yielding parsed records of type `T`.
 *
 * One socket loop runs per url ("slot"); frames from all slots go, in
 * arrival order, through `parseMessage` into one bounded queue. When the
 * queue holds `maxQueueSize` records every socket stops reading until the
 * consumer drained it to half; nothing is dropped. During a rotation the
 * replacement's frames are held until the old socket has closed, then parsed:
 * the old socket's last frame always comes before the replacement's first.
 *
 * @example
 * class EchoFeed extends WebSocketBase<string> {
 *   protected override async onConnect(c: Connection) { await c.send({ op: 'subscribe' }) }
 *   protected parseMessage(raw: string) { return [raw] }
 * }
 * for await (const record of new EchoFeed('wss://example.test/ws').stream()) console.log(record)
 */
export abstract class WebSocketBase<T> {
  /** Live counters (frames, records, parseErrors, reconnects, queue and socket state). */
  readonly stats: Readonly<TransportStats>
  /** The urls, one slot each. */
  readonly urls: readonly string[]
  protected readonly logger: Logger
  protected readonly options: ResolvedWebSocketOptions
  /**
   * The feed's lifecycle: aborted (with a `FeedStoppedError`) when the feed
   * stops, by `stop()`, `break`, the `signal` option or a failure. Pass it to
   * REST requests and anything else the feed starts.
   */
  protected readonly signal: AbortSignal
  readonly #lifecycle = new AbortController()
  private readonly counters: {
    frames: number
    parseErrors: number
    reconnects: number
    pausedCount: number
    staleTimeouts: number
    rotations: number
  }
  private readonly queue: BoundedQueue<unknown>
  private readonly slots: Slot<SocketConnection>[]
  private readonly live = new Set<SocketConnection>()
  private mode: 'idle' | 'records' | 'raw' = 'idle'
  private stopped = false
  private stopping: Promise<void> | undefined
  private nextConnectionId = 1
  private readonly inputContext: InputContext = { receivedAt: 0 }
  /** Frames' receive times: one per socket read (./read-clock.ts). */
  private readonly readClock = new ReadClock()

  /**
   * @param url one url per slot (one socket each, plus rotation overlaps)
   * @param options see {@link WebSocketOptions}; invalid values throw `InvalidArgumentError`
   */
  constructor(url: string | readonly string[], options: WebSocketOptions = {}) {
    this.urls = typeof url === 'string' ? [url] : [...url]
    if (this.urls.length === 0) throw new InvalidArgumentError('url', url, ['at least one ws:// or wss:// url'])
    for (const u of this.urls) checkUrl(u)
    this.options = resolveWebSocketOptions(options)
    this.logger = this.options.logger
    this.signal = this.#lifecycle.signal
    // Every request in flight listens on this one signal (hundreds of snapshots may be pending).
    setMaxListeners(0, this.signal)
    this.queue = new BoundedQueue<unknown>({
      highWaterMark: this.options.maxQueueSize,
      onPause: this.pauseSockets,
      onResume: this.resumeSockets,
      onTake: (record) => {
        if (this.mode === 'records') this.onRecordTaken(record as T)
      },
    })
    this.counters = {
      frames: 0,
      parseErrors: 0,
      reconnects: 0,
      pausedCount: 0,
      staleTimeouts: 0,
      rotations: 0,
    }
    const counters = this.counters
    const queue = this.queue
    this.stats = Object.defineProperties(counters, {
      records: { get: () => queue.delivered, enumerable: true },
      queued: { get: () => queue.length, enumerable: true },
      peakQueued: { get: () => queue.peak, enumerable: true },
      openConnections: { get: () => this.countOpen(), enumerable: true },
    }) as unknown as TransportStats
    const host: SlotHost<SocketConnection> = {
      options: this.options,
      logger: this.logger,
      random: Math.random,
      createConnection: (slot, rotation) => {
        const settings = this.options
        const connection = new SocketConnection(this.nextConnectionId++, slot.index, slot.url, settings, this.events)
        // Its frames wait until onConnect settled; a replacement's until the old socket is gone (see rotationComplete).
        connection.rotation = rotation
        this.live.add(connection)
        return connection
      },
      connectionReady: async (connection) => {
        try {
          await this.onConnect(connection)
        } catch (error) {
          // Nothing started on it: its held frames go with it, and no marker needs an end.
          connection.held = undefined
          throw error
        }
        connection.ready = true
        if (!connection.rotation) this.startStream(connection)
      },
      disconnected: (connection, reason) => {
        this.logger.warn('websocket disconnected', { url: connection.url, connection: connection.id, reason })
        connection.held = undefined
        this.callHook('onDisconnect', () => this.onDisconnect(connection, reason))
      },
      replacementFailed: (connection, reason) => {
        this.logger.warn('rotation replacement lost before it took over', { url: connection.url, connection: connection.id, reason })
        connection.held = undefined
        this.callHook('onReplacementFailed', () => this.onReplacementFailed(connection, reason))
      },
      rotated: (previous, next) => {
        this.counters.rotations++
        this.callHook('onRotated', () => this.onRotated(previous, next))
      },
      rotationComplete: (previous, next) => {
        // The old socket's last frame is parsed: the replacement's frames follow it, then the hook.
        this.release(next)
        this.callHook('onRotationComplete', () => this.onRotationComplete(previous, next))
      },
      reconnected: () => {
        this.counters.reconnects++
      },
      tookOver: (connection) => {
        // It carries on as the reconnect: its stream starts now if onConnect is done, else when it is.
        connection.rotation = false
        if (connection.ready) this.startStream(connection)
      },
    }
    this.slots = this.urls.map((u, index) => new Slot(index, u, host))
    this.options.signal?.addEventListener('abort', this.handleAbort, { once: true })
  }

  /** Once, before the first connect. Throwing (or rejecting) ends the stream with that error. */
  protected beforeConnect(): Promise<void> | void {}

  /** After every (re)connect and for every rotation replacement. Send subscriptions here. Throwing drops the socket and retries. */
  protected onConnect(_connection: Connection): Promise<void> | void {}

  /**
   * A slot's stream starts (again) on `connection`: its first connect, a
   * reconnect, or a rotation replacement that carries on after the old socket
   * was lost — not a rotation handover, which continues the stream. Called
   * once `onConnect` has succeeded and before any of the socket's frames is
   * parsed (frames that arrived meanwhile were held, with their receive times).
   * Return the records that mark it (a `connected` status). Not called for a
   * socket whose `onConnect` threw: nothing started, so nothing needs an end.
   */
  protected onStreamStart(_connection: Connection): Iterable<T> | void {}

  /**
   * Frame → records: an array, any sync iterable, or `undefined` for none.
   * Throwing counts a parse error (logged) and the stream goes on.
   */
  protected abstract parseMessage(raw: string, context: FrameContext): Iterable<T> | undefined


  /**
   * A socket closed unexpectedly (not on stop, not retired by a rotation) after
   * `onConnect` was called for it: the active socket, or one that died before it
   * became active (e.g. while `onConnect` was still sending subscriptions). Called
   * once per socket, after its `onConnect` settled; not when `onConnect` threw
   * (the throw is the report). A rotation replacement that dies before taking
   * over gets {@link onReplacementFailed} instead.
   */
  protected onDisconnect(_connection: Connection, _reason: string): Iterable<T> | void {}

  /**
   * A rotation replacement closed before it took over (after its `onConnect`
   * settled). The active socket carries on and the rotation is retried after
   * the backoff delay: nothing was lost, so this is not a disconnect.
   */
  protected onReplacementFailed(_connection: Connection, _reason: string): void {}

  /**
   * A frame from `connection` could not be parsed (`parseMessage` threw); it
   * was counted, logged and skipped. Adapters whose data carries sequence
   * numbers can treat it as a possible hole (the frame may have held data).
   */
  protected onParseError(_connection: Connection, _error: unknown): void {}

  /**
   * A rotation replacement (`next`) took over from `previous`, at the start of
   * the overlap: both deliver frames until `previous` closes ({@link onRotationComplete}).
   */
  protected onRotated(_previous: Connection, _next: Connection): void {}

  /**
   * The rotation from `previous` to `next` is over: `previous` has closed
   * (after the overlap, its age deadline, or by the server). Called after the
   * last frame of `previous` and then every frame `next` delivered meanwhile
   * went through `parseMessage`, so records returned here follow all of them.
   * Not called when `next` died during the overlap (that is an
   * {@link onDisconnect} of `next`; `previous` is closed with it).
   */
  protected onRotationComplete(_previous: Connection, _next: Connection): Iterable<T> | void {}

  /** The liveness probe, every `pingIntervalMs`. Default: a WebSocket ping frame (`connection.ping()`). */
  protected sendHeartbeat(connection: Connection): void {
    connection.ping()
  }

  /**
   * An input produced off the socket (a REST answer, recovered trades): `parse`
   * turns it into records, as `parseMessage` does for a frame, and they join
   * the stream after everything queued so far. Ignored after stop and in
   * `streamRaw()` mode. Throws what `parse` throws, to the caller.
   *
   * @example this.deliver(snapshotBody, (body, context) => this.#books.onSnapshot(symbol, body, context.receivedAt))
   */
  protected deliver<X>(input: X, parse: (input: X, context: InputContext) => Iterable<T> | undefined | void): void {
    if (this.stopped || this.mode !== 'records') return
    const context = this.inputContext
    context.receivedAt = nowMicros()
    this.enqueue(parse(input, context))
  }

  /** End the stream with `error` (after the records already queued); sockets close. */
  protected fail(error: Error): void {
    if (this.queue.closed) {
      this.logger.debug('fail() after the stream ended', { error: error.message })
      return
    }
    this.logger.error('feed failed', { error: error.message })
    this.queue.fail(error)
    void this.stop()
  }

  /** Reconnect one slot now: its socket closes (`onDisconnect` gets `reason`) and reopens after the backoff delay. */
  protected reconnect(slot: number, reason: string): void {
    this.slots[slot]?.reconnect(reason)
  }

  /**
   * Replace `connection` now (e.g. the exchange announced it will close it):
   * a replacement opens at once and takes over as in an age-based rotation
   * (`onConnect`, `onRotated`, overlap, `onRotationComplete`), with no
   * disconnect. A no-op for a socket already on its way out (retiring, or
   * with a replacement being opened) and for a replacement still opening;
   * while `connection` is still connecting or a previous rotation's overlap
   * runs, it starts right after.
   */
  protected rotate(connection: Connection, reason: string): void {
    const slot = this.slots[connection.slot]
    if (slot !== undefined && slot.canRotate(connection as SocketConnection)) slot.rotate(reason)
  }

  /**
   * `record` was handed to the consumer of `stream()` (it left the queue). For
   * positions a consumer may save: what it has, not what is still queued.
   * Called on the hot path; keep it cheap.
   */
  protected onRecordTaken(_record: T): void {}

  /** Parsed records. Ends after `stop()`; `break` closes every socket. One consumer mode per instance. */
  stream(): AsyncIterableIterator<T> {
    return this.begin<T>('records')
  }

  /** Raw frames instead of records (`parseMessage` is not called). */
  streamRaw(): AsyncIterableIterator<string> {
    return this.begin<string>('raw')
  }

  /**
   * The same records as {@link stream}, in the same order, but each step
   * hands over everything queued as one array: one promise per batch instead
   * of one per record, for consumers that keep up with a busy feed. A
   * consumer that waits gets the records of everything the sockets delivered
   * in that turn (a whole socket read), not the first record alone. A batch
   * is never empty. One consumer mode per instance.
   *
   * @example
   * for await (const batch of feed.batches()) for (const event of batch) handle(event)
   */
  batches(): AsyncIterableIterator<T[]> {
    const records = this.begin<T>('records')
    const queue = this.queue as BoundedQueue<T>
    const iterator: AsyncIterableIterator<T[]> = {
      next: () => queue.nextBatch(),
      return: async (): Promise<IteratorResult<T[]>> => (await records.return!(), DONE),
      [Symbol.asyncIterator]: () => iterator,
    }
    return iterator
  }

  /**
   * Idempotent. The stream ends once the records already queued are read;
   * resolves when every socket is closed (within about `closeTimeoutMs`).
   */
  stop(): Promise<void> {
    if (this.stopping === undefined) {
      this.stopped = true
      this.#lifecycle.abort(new FeedStoppedError())
      this.queue.end()
      this.options.signal?.removeEventListener('abort', this.handleAbort)
      this.stopping = Promise.all(this.slots.map((slot) => slot.stop())).then(() => undefined)
    }
    return this.stopping
  }

  private begin<U>(mode: 'records' | 'raw'): AsyncIterableIterator<U> {
    if (this.mode !== 'idle') {
      throw new StreamStateError(`stream(), batches() or streamRaw() was already called on this feed (one consumer per instance)`)
    }
    this.mode = mode
    if (this.options.signal?.aborted === true) void this.stop()
    if (!this.stopped) void this.run()
    const queue = this.queue as BoundedQueue<U>
    const iterator: AsyncIterableIterator<U> = {
      next: () => queue.next(),
      return: async (): Promise<IteratorResult<U>> => {
        await this.stop()
        queue.clear()
        return DONE
      },
      [Symbol.asyncIterator]: () => iterator,
    }
    return iterator
  }

  private async run(): Promise<void> {
    try {
      await this.beforeConnect()
    } catch (error) {
      this.fail(error instanceof Error ? error : new Error(String(error)))
      return
    }
    if (this.stopped) return
    for (const slot of this.slots) slot.start()
  }

  private readonly events: ConnectionEvents = {
    onOpen: (connection) => {
      if (this.queue.paused) connection.pause()
      this.slots[connection.slot]!.handleOpen(connection)
    },
    onFrame: (connection, data) => {
      if (this.stopped) return
      this.counters.frames++
      if (connection.frames === 1) this.slots[connection.slot]!.handleFirstFrame(connection)
      const raw = data.toString()
      if (connection.held !== undefined) {
        connection.held.push({ raw, receivedAt: this.readClock.now() })
        return
      }
      this.frame(connection, raw, this.readClock.now())
    },
    onClose: (connection, reason) => {
      this.live.delete(connection)
      this.slots[connection.slot]!.handleClose(connection, reason)
    },
    sendHeartbeat: (connection) => this.sendHeartbeat(connection),
    onStale: (connection) => {
      this.counters.staleTimeouts++
      this.logger.warn('websocket stale; terminating', {
        url: connection.url,
        connection: connection.id,
        staleTimeoutMs: this.options.staleTimeoutMs,
      })
    },
  }

  /** One frame of `connection` (its turn has come): to the queue raw, or parsed. */
  private frame(connection: SocketConnection, raw: string, receivedAt: number): void {
    if (this.mode === 'raw') {
      this.queue.push(raw)
      return
    }
    const context = connection.context
    context.receivedAt = receivedAt
    try {
      this.enqueue(this.parseMessage(raw, context))
    } catch (error) {
      this.parseError(error, raw, connection)
    }
  }

  /** The one place records enter the queue. */
  private enqueue(records: Iterable<T> | undefined | void): void {
    if (records === undefined || records === null) return
    if (this.mode !== 'records') return
    if (Array.isArray(records)) {
      for (let i = 0; i < records.length; i++) this.queue.push(records[i])
    } else {
      for (const record of records) this.queue.push(record)
    }
  }

  /** The slot's stream starts on `connection`: its markers, then the frames it already delivered. */
  private startStream(connection: SocketConnection): void {
    if (connection.held === undefined) return // started already (or dropped)
    this.callHook('onStreamStart', () => this.onStreamStart(connection))
    this.release(connection)
  }

  /** Parses the frames `connection` delivered while held, with their receive times; later frames flow straight through. */
  private release(connection: SocketConnection): void {
    const held = connection.held
    connection.held = undefined
    if (held === undefined || this.stopped) return
    for (const { raw, receivedAt } of held) this.frame(connection, raw, receivedAt)
  }

  private parseError(error: unknown, raw: string, connection: SocketConnection): void {
    this.callHook('onParseError', () => this.onParseError(connection, error))
    const count = ++this.counters.parseErrors
    // Log the first few and then a sample, so a format change cannot flood the logger.
    if (count <= 10 || count % 1000 === 0) {
      this.logger.warn('frame could not be parsed; skipped', {
        url: connection.url,
        connection: connection.id,
        parseErrors: count,
        error: error instanceof Error ? error.message : String(error),
        frame: raw.length > 200 ? `${raw.slice(0, 200)}…` : raw,
      })
    }
  }

  private countOpen(): number {
    let open = 0
    for (const connection of this.live) if (connection.isOpen) open++
    return open
  }

  /** Runs a hook, queues the records it returns; a throw is logged, never fatal. */
  private callHook(name: string, hook: () => Iterable<T> | void): void {
    try {
      this.enqueue(hook())
    } catch (error) {
      this.logger.error(`${name} threw`, { error: errorMessage(error) })
    }
  }

  private readonly pauseSockets = (): void => {
    this.counters.pausedCount++
    this.logger.debug('queue full; pausing sockets', { queued: this.queue.length })
    for (const connection of this.live) connection.pause()
  }

  private readonly resumeSockets = (): void => {
    this.logger.debug('queue drained; resuming sockets', { queued: this.queue.length })
    for (const connection of this.live) connection.resume()
  }

  private readonly handleAbort = (): void => {
    void this.stop()
  }
}

function checkUrl(url: string): void {
  let protocol: string
  try {
    protocol = new URL(url).protocol
  } catch {
    throw new InvalidArgumentError('url', url, ['a ws:// or wss:// url'])
  }
  if (protocol !== 'ws:' && protocol !== 'wss:') throw new InvalidArgumentError('url', url, ['a ws:// or wss:// url'])
}
