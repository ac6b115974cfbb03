/**
 * One url's socket loop: connect, reconnect with backoff after a loss, and
 * rotate before `maxConnectionAgeMs` (replacement first, old socket closed
 * after the overlap). Knows nothing about frames or records.
 */
import type { Logger } from '@dccd/core'
import { Backoff } from './backoff.js'
import type { ResolvedWebSocketOptions } from './options.js'

/** The parts of a socket the slot needs (a `SocketConnection`, or a fake in tests). */
export interface ManagedConnection {
  readonly id: number
  readonly closed: boolean
  readonly frames: number
  ageMs(now?: number): number
  close(reason: string): Promise<void>
  terminate(reason: string): void
}

/** What a slot asks of its owner. */
export interface SlotHost<C extends ManagedConnection> {
  readonly options: ResolvedWebSocketOptions
  readonly logger: Logger
  readonly random: () => number
  /** Open a socket; its open/first-frame/close are reported back through `handle*`. */
  createConnection(slot: Slot<C>): C
  /** Run `onConnect`; rejecting means the socket is unusable. */
  connectionReady(connection: C): Promise<void>
  /** The active socket was lost (not on stop, not on rotation). */
  disconnected(connection: C, reason: string): void
  /** A rotation replacement took over. */
  rotated(previous: C, next: C): void
  /** A socket opened after an earlier one was lost. */
  reconnected(connection: C): void
}

type Timer = ReturnType<typeof setTimeout>

/** Reconnect and rotation state machine for one url. */
export class Slot<C extends ManagedConnection> {
  /** The socket whose subscriptions are current. */
  active: C | undefined
  /** A socket being opened (first connect, reconnect or rotation replacement). */
  pending: C | undefined
  /** The old socket during a rotation overlap. */
  retiring: C | undefined
  readonly backoff: Backoff
  private pendingIsRotation = false
  private everOpened = false
  private stopped = false
  private connectTimer: Timer | undefined
  private rotateTimer: Timer | undefined
  private expireTimer: Timer | undefined
  private retireTimer: Timer | undefined
  private retireAtMs = 0

  constructor(
    readonly index: number,
    readonly url: string,
    private readonly host: SlotHost<C>,
  ) {
    const o = host.options
    this.backoff = new Backoff({
      initialMs: o.initialBackoffMs,
      factor: o.backoffFactor,
      maxMs: o.maxBackoffMs,
      jitter: o.jitter,
      random: host.random,
    })
  }

  /** First connect (after a random spread of up to `connectSpreadMs`). */
  start(): void {
    this.scheduleConnect(this.spread(), false)
  }

  /** Close the active socket now; the slot reconnects as after any loss (`onDisconnect` gets `reason`). */
  reconnect(reason: string): void {
    if (this.stopped) return
    if (this.active !== undefined) void this.active.close(reason)
  }

  /** Cancel timers and close every socket of this slot; resolves when all are closed. */
  async stop(): Promise<void> {
    this.stopped = true
    for (const timer of [this.connectTimer, this.rotateTimer, this.expireTimer, this.retireTimer]) {
      if (timer !== undefined) clearTimeout(timer)
    }
    const sockets = [this.pending, this.active, this.retiring].filter((c): c is C => c !== undefined)
    this.pending = this.active = this.retiring = undefined
    await Promise.all(sockets.map((c) => c.close('stopped')))
  }

  /** The socket opened (handshake done). */
  handleOpen(connection: C): void {
    if (this.stopped || connection !== this.pending) {
      void connection.close('not needed')
      return
    }
    this.host.connectionReady(connection).then(
      () => this.promote(connection),
      (error: unknown) => {
        this.host.logger.warn('onConnect failed; reconnecting', {
          url: this.url,
          connection: connection.id,
          error: error instanceof Error ? error.message : String(error),
        })
        connection.terminate(`onConnect failed: ${error instanceof Error ? error.message : String(error)}`)
      },
    )
  }

  /** The socket delivered its first frame (starts the rotation overlap clock). */
  handleFirstFrame(connection: C): void {
    if (connection === this.active && this.retiring !== undefined) this.armRetire(this.host.options.rotationOverlapMs)
  }

  /** The socket closed, for whatever reason. */
  handleClose(connection: C, reason: string): void {
    if (this.stopped) return
    if (connection === this.retiring) {
      this.retiring = undefined
      this.clear('retireTimer')
      return
    }
    if (connection === this.pending) {
      this.pending = undefined
      this.scheduleConnect(this.retryDelay(reason), this.pendingIsRotation && this.active !== undefined)
      return
    }
    if (connection !== this.active) return // already let go (retired or superseded)
    this.active = undefined
    this.clear('rotateTimer')
    this.clear('expireTimer')
    if (connection.ageMs() >= this.host.options.stableAfterMs) this.backoff.reset()
    this.host.disconnected(connection, reason)
    // A rotation replacement already on its way takes over as the reconnect.
    if (this.pending === undefined && this.connectTimer === undefined) {
      this.scheduleConnect(this.retryDelay(reason), false)
    }
  }

  private retryDelay(reason: string): number {
    const delay = this.backoff.next() + this.spread()
    this.host.logger.warn('websocket reconnect scheduled', {
      url: this.url,
      slot: this.index,
      attempt: this.backoff.attempt,
      delayMs: Math.round(delay),
      reason,
    })
    return delay
  }

  private scheduleConnect(delayMs: number, rotation: boolean): void {
    this.clear('connectTimer')
    if (delayMs <= 0) {
      this.connect(rotation)
      return
    }
    this.connectTimer = setTimeout(() => {
      this.connectTimer = undefined
      this.connect(rotation)
    }, delayMs)
  }

  private connect(rotation: boolean): void {
    if (this.stopped) return
    this.pendingIsRotation = rotation
    try {
      this.pending = this.host.createConnection(this)
    } catch (error) {
      // Not expected (urls are validated up front), but a throw here must not kill the loop.
      this.pending = undefined
      this.scheduleConnect(this.retryDelay(error instanceof Error ? error.message : String(error)), rotation)
    }
  }

  private promote(connection: C): void {
    if (this.stopped || connection.closed || connection !== this.pending) return
    this.pending = undefined
    const previous = this.active
    this.active = connection
    if (previous !== undefined && !previous.closed) {
      // Rotation: the old socket stays until the replacement's first frame + overlap, or its hard deadline.
      if (this.retiring !== undefined) void this.retiring.close('superseded')
      this.retiring = previous
      const maxAge = this.host.options.maxConnectionAgeMs
      this.retireAtMs = Date.now() + Math.max(0, maxAge - previous.ageMs())
      this.armRetire(Math.max(0, maxAge - previous.ageMs()))
      if (connection.frames > 0) this.armRetire(this.host.options.rotationOverlapMs)
      this.host.rotated(previous, connection)
    } else if (this.everOpened) {
      this.host.reconnected(connection)
    }
    this.everOpened = true
    this.armAge(connection)
  }

  private armAge(connection: C): void {
    this.clear('rotateTimer')
    this.clear('expireTimer')
    const maxAge = this.host.options.maxConnectionAgeMs
    if (maxAge <= 0) return
    // Start early enough for a handshake plus the overlap before the exchange's cut-off.
    const rotateAt = Math.max(maxAge / 2, maxAge - 2 * this.host.options.rotationOverlapMs)
    this.rotateTimer = setTimeout(() => {
      this.rotateTimer = undefined
      if (this.stopped || this.pending !== undefined || this.active !== connection) return
      this.host.logger.info('rotating websocket', { url: this.url, connection: connection.id })
      this.scheduleConnect(0, true)
    }, rotateAt - connection.ageMs())
    this.expireTimer = setTimeout(() => {
      this.expireTimer = undefined
      // The replacement never took over: the old socket must go anyway (the exchange would cut it).
      if (this.active === connection) void connection.close(`reached maxConnectionAgeMs (${maxAge} ms)`)
    }, maxAge - connection.ageMs())
  }

  private armRetire(delayMs: number): void {
    const deadline = Math.max(0, this.retireAtMs - Date.now())
    this.clear('retireTimer')
    this.retireTimer = setTimeout(() => {
      this.retireTimer = undefined
      const old = this.retiring
      this.retiring = undefined
      if (old !== undefined) void old.close('rotated')
    }, Math.min(delayMs, deadline))
  }

  private spread(): number {
    const spread = this.host.options.connectSpreadMs
    return spread > 0 ? this.host.random() * spread : 0
  }

  private clear(name: 'connectTimer' | 'rotateTimer' | 'expireTimer' | 'retireTimer'): void {
    const timer = this[name]
    if (timer !== undefined) clearTimeout(timer)
    this[name] = undefined
  }
}
