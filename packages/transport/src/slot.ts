/**
 * One url's socket loop: connect, reconnect with backoff after a loss, and
 * rotate before `maxConnectionAgeMs` or on request (replacement first, old
 * socket closed after the overlap). Knows nothing about frames or records.
 *
 * Every socket whose `onConnect` succeeded ends in exactly one report: `disconnected`
 * (it was lost, whether or not it had become active), `replacementFailed` (a
 * rotation replacement died before taking over), `rotationComplete` (it was
 * retired by a rotation), or none on stop. At most one rotation is in progress
 * per slot: a new one starts only after the previous one completed.
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
  /** Open a socket (`rotation`: a replacement for the active one); its open/first-frame/close are reported back through `handle*`. */
  createConnection(slot: Slot<C>, rotation: boolean): C
  /** Run `onConnect`; rejecting means the socket is unusable. */
  connectionReady(connection: C): Promise<void>
  /**
   * A socket whose `onConnect` succeeded was lost (not on stop, not retired by a rotation):
   * the active one, or one that closed before it became active. Reported after its `onConnect` settled.
   */
  disconnected(connection: C, reason: string): void
  /** A rotation replacement closed before it took over (after its `onConnect` settled); the active socket carries on. */
  replacementFailed(connection: C, reason: string): void
  /** A rotation replacement took over; `previous` closes after the overlap. */
  rotated(previous: C, next: C): void
  /** The socket `next` replaced has closed: the rotation is over. */
  rotationComplete(previous: C, next: C): void
  /** A socket opened after an earlier one was lost. */
  reconnected(connection: C): void
  /**
   * The active socket was lost while a rotation replacement was being opened:
   * the replacement carries on as the reconnect (a fresh stream, no longer a rotation).
   */
  tookOver(connection: C): void
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
  /** The socket that replaced `retiring`. */
  private retiringFor: C | undefined
  /** Settles once the pending socket's `onConnect` settled: true if it succeeded (undefined until it opened). */
  private pendingReady: Promise<boolean> | undefined
  /** A rotation asked for while it could not start yet (reason). */
  private rotationWanted: string | undefined
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

  /**
   * Open a replacement now and hand over as an age-based rotation does. A
   * no-op while a replacement is already being opened or no socket is up; while
   * a (re)connect or the previous rotation is still under way, it starts once that is done.
   */
  rotate(reason: string): void {
    if (this.stopped) return
    if (this.pending !== undefined && this.pendingIsRotation) return
    if (this.pending === undefined && this.active === undefined) return
    this.rotationWanted = reason
    this.startWantedRotation()
  }

  /**
   * True when a rotation may replace `connection`: it is the slot's active socket, or the one
   * being opened as a (re)connect. Not a retiring socket or a rotation replacement still opening.
   */
  canRotate(connection: C): boolean {
    return connection === this.active || (connection === this.pending && !this.pendingIsRotation)
  }

  /** Cancel timers and close every socket of this slot; resolves when all are closed. */
  async stop(): Promise<void> {
    this.stopped = true
    this.rotationWanted = undefined
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
    this.pendingReady = this.host.connectionReady(connection).then(
      () => {
        this.promote(connection)
        return true
      },
      (error: unknown) => {
        this.host.logger.warn('onConnect failed; reconnecting', {
          url: this.url,
          connection: connection.id,
          error: error instanceof Error ? error.message : String(error),
        })
        connection.terminate(`onConnect failed: ${error instanceof Error ? error.message : String(error)}`)
        return false
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
      const next = this.retiringFor!
      this.retiring = this.retiringFor = undefined
      this.clear('retireTimer')
      this.host.rotationComplete(connection, next)
      this.startWantedRotation()
      return
    }
    if (connection === this.pending) {
      this.pending = undefined
      const replacement = this.pendingIsRotation && this.active !== undefined
      this.reportAfterReady(connection, reason, replacement)
      this.scheduleConnect(this.retryDelay(reason), replacement)
      return
    }
    if (connection !== this.active) return // already let go
    this.active = undefined
    this.rotationWanted = undefined // the reconnect brings a fresh socket anyway
    this.clear('rotateTimer')
    this.clear('expireTimer')
    if (this.retiring !== undefined) {
      // The replacement died during the overlap: the rotation did not complete, the slot reconnects.
      const old = this.retiring
      this.retiring = this.retiringFor = undefined
      this.clear('retireTimer')
      void old.close('rotation replacement lost')
    }
    if (connection.ageMs() >= this.host.options.stableAfterMs) this.backoff.reset()
    this.host.disconnected(connection, reason)
    if (this.pending !== undefined) {
      // A rotation replacement already on its way takes over as the reconnect.
      if (this.pendingIsRotation) {
        this.pendingIsRotation = false
        this.host.tookOver(this.pending)
      }
    } else if (this.connectTimer === undefined) {
      this.scheduleConnect(this.retryDelay(reason), false)
    }
  }

  /** Report a pending socket's loss once its `onConnect` settled (none if it never opened). */
  private reportAfterReady(connection: C, reason: string, replacement: boolean): void {
    const ready = this.pendingReady
    this.pendingReady = undefined
    if (ready === undefined) return
    // A throwing onConnect already told its feed the socket was unusable.
    void ready.then((ok) => {
      if (this.stopped || !ok) return
      if (replacement) this.host.replacementFailed(connection, reason)
      else this.host.disconnected(connection, reason)
    })
  }

  /** Start the rotation asked for, if nothing is in the way (a pending socket, an overlap still running). */
  private startWantedRotation(): void {
    const reason = this.rotationWanted
    if (reason === undefined || this.stopped) return
    if (this.pending !== undefined || this.retiring !== undefined || this.active === undefined) return
    this.rotationWanted = undefined
    this.host.logger.info('rotating websocket', { url: this.url, connection: this.active.id, reason })
    this.scheduleConnect(0, true)
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
    this.pendingReady = undefined
    try {
      this.pending = this.host.createConnection(this, rotation)
    } catch (error) {
      // Not expected (urls are validated up front), but a throw here must not kill the loop.
      this.pending = undefined
      this.scheduleConnect(this.retryDelay(error instanceof Error ? error.message : String(error)), rotation)
    }
  }

  private promote(connection: C): void {
    if (this.stopped || connection.closed || connection !== this.pending) return
    this.pending = undefined
    this.pendingReady = undefined
    const previous = this.active
    this.active = connection
    if (previous !== undefined && !previous.closed) {
      // Rotation (never two at once: see startWantedRotation). The old socket stays until the
      // replacement's first frame + overlap, or its hard deadline: its maximum age, or without
      // one two overlaps, so a silent replacement cannot keep two sockets open indefinitely.
      this.retiring = previous
      this.retiringFor = connection
      const maxAge = this.host.options.maxConnectionAgeMs
      const overlap = this.host.options.rotationOverlapMs
      const deadline = maxAge > 0 ? Math.max(0, maxAge - previous.ageMs()) : 2 * overlap
      this.retireAtMs = Date.now() + deadline
      this.armRetire(deadline)
      if (connection.frames > 0) this.armRetire(overlap)
      this.host.rotated(previous, connection)
    } else if (this.everOpened) {
      this.host.reconnected(connection)
    }
    this.everOpened = true
    this.armAge(connection)
    this.startWantedRotation()
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
      if (this.active === connection) this.rotate(`reached ${Math.round(rotateAt)} ms of maxConnectionAgeMs`)
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
      // Its close event completes the rotation (after its last frame was parsed).
      if (this.retiring !== undefined) void this.retiring.close('rotated')
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
