/**
 * One socket's lifecycle: open, heartbeat, paced sends, pause/resume, and a
 * close that is bounded in time (close frame, then `terminate()` after
 * `closeTimeoutMs` if the peer never answers).
 */
import { nowMicros } from '@dccd/core'
import WebSocket from 'ws'
import { Heartbeat } from './heartbeat.js'
import { SendPacer } from './send-pacer.js'

/** One socket, as hooks see it. */
export interface Connection {
  /** Unique per socket for the life of the feed (1, 2, 3, …). */
  readonly id: number
  /** Index into the feed's url list. */
  readonly slot: number
  readonly url: string
  /** When the socket opened, µs since the epoch (0 until then). */
  readonly openedAt: number
  /**
   * Sends a frame; objects are JSON-encoded. Paced by `sendRatePerSecond`.
   * Resolves once the frame was handed to the socket; if the socket closed
   * first the frame is dropped (its subscription state died with it) and the
   * promise still resolves, so an un-awaited send can never reject unhandled.
   */
  send(data: string | object): Promise<void>
  /** Sends a WebSocket ping frame (the default heartbeat); a no-op unless the socket is open. */
  ping(): void
}

/** Passed to `parseMessage` with every frame. The object is reused per socket: read it, don't keep it. */
export interface FrameContext {
  readonly connection: Connection
  /** When the frame arrived, µs since the epoch: the time its socket read was handled (the frames of one read share it). */
  receivedAt: number
}

/** Passed to the `parse` function of `deliver()` with its input. Reused: read it, don't keep it. */
export interface InputContext {
  /** When the input was delivered, µs since the epoch. */
  receivedAt: number
}

/** What a socket reports to its owner. */
export interface ConnectionEvents {
  onOpen(connection: SocketConnection): void
  onFrame(connection: SocketConnection, data: WebSocket.RawData, isBinary: boolean): void
  onClose(connection: SocketConnection, reason: string): void
  sendHeartbeat(connection: SocketConnection): void
  onStale(connection: SocketConnection): void
}

/** Timing settings of one socket. */
export interface SocketSettings {
  pingIntervalMs: number
  staleTimeoutMs: number
  closeTimeoutMs: number
  connectTimeoutMs: number
  sendRatePerSecond: number
}

/** The internal socket object behind {@link Connection}. */
export class SocketConnection implements Connection {
  openedAt = 0
  /** `Date.now()` at open, for age arithmetic (ms). */
  openedAtMs = 0
  readonly context: FrameContext
  readonly ws: WebSocket
  /** Frames received on this socket. */
  frames = 0
  /** True once we started closing it: its remaining frames are ignored. */
  closing = false
  closed = false
  /** Why it is closing, when we closed it (reported instead of the bare close code). */
  closeReason: string | undefined
  /**
   * Frames held, unparsed, with their receive times (µs): until `onConnect` settled, and for a
   * rotation replacement until the rotation completes (so the old socket's last frame is parsed
   * before the replacement's first); undefined once frames flow straight through.
   */
  held: { readonly raw: string; readonly receivedAt: number }[] | undefined = []
  /** A rotation replacement: it continues the slot's stream instead of starting one (cleared if it takes over after a loss). */
  rotation = false
  /** `onConnect` settled successfully. */
  ready = false
  private readonly heartbeat: Heartbeat
  private readonly pacer: SendPacer
  private closeTimer: ReturnType<typeof setTimeout> | undefined
  private lastError: Error | undefined
  private readonly closedWaiters: (() => void)[] = []

  constructor(
    readonly id: number,
    readonly slot: number,
    readonly url: string,
    private readonly settings: SocketSettings,
    private readonly events: ConnectionEvents,
  ) {
    this.context = { connection: this, receivedAt: 0 }
    this.pacer = new SendPacer(settings.sendRatePerSecond)
    this.heartbeat = new Heartbeat({
      intervalMs: settings.pingIntervalMs,
      timeoutMs: settings.staleTimeoutMs,
      send: () => this.events.sendHeartbeat(this),
      onStale: () => {
        this.events.onStale(this)
        this.terminate(`stale: nothing received within ${settings.staleTimeoutMs} ms of a heartbeat`)
      },
    })
    // No UTF-8 check of text frames (ws's default checks every one, 2–4 % of a frame's time end to end):
    // exchanges send JSON whose values are ASCII, TLS already guarantees the bytes arrived as sent, and
    // invalid bytes only become U+FFFD in a string, which the adapter's checks then reject as they
    // reject any malformed frame (counted, logged), where ws would close the connection instead.
    this.ws = new WebSocket(url, { handshakeTimeout: settings.connectTimeoutMs, skipUTF8Validation: true })
    this.ws.on('open', this.handleOpen)
    this.ws.on('message', this.handleMessage)
    this.ws.on('pong', this.handleActivity)
    this.ws.on('ping', this.handleActivity)
    this.ws.on('error', this.handleError)
    this.ws.on('close', this.handleClose)
  }

  /** True while the socket is open and not being closed. */
  get isOpen(): boolean {
    return !this.closing && this.ws.readyState === WebSocket.OPEN
  }

  /** Age in ms since open (0 before). */
  ageMs(now = Date.now()): number {
    return this.openedAtMs === 0 ? 0 : now - this.openedAtMs
  }

  send(data: string | object): Promise<void> {
    const frame = typeof data === 'string' ? data : JSON.stringify(data)
    return this.pacer.submit(() => {
      if (this.isOpen) this.ws.send(frame)
    })
  }

  ping(): void {
    if (this.isOpen) this.ws.ping()
  }

  /** Stop reading (backpressure). Heartbeats pause too: pongs cannot be read while paused. */
  pause(): void {
    if (this.ws.readyState !== WebSocket.OPEN) return
    this.ws.pause()
    this.heartbeat.stop()
  }

  /** Read again after `pause()`; the heartbeat cycle starts over. */
  resume(): void {
    if (this.ws.readyState !== WebSocket.OPEN || this.closing) return
    this.ws.resume()
    this.heartbeat.stop()
    this.heartbeat.start()
  }

  /**
   * Closing handshake, bounded: if the peer has not answered within
   * `closeTimeoutMs`, the socket is destroyed. Resolves when it is closed.
   */
  close(reason: string, code = 1000): Promise<void> {
    if (this.closed) return Promise.resolve()
    const done = this.whenClosed()
    if (this.closing) return done
    this.closing = true
    this.closeReason ??= reason
    this.heartbeat.stop()
    this.pacer.close()
    if (this.ws.readyState === WebSocket.OPEN) {
      // Read again if backpressure paused us, or the peer's close frame would never be seen.
      this.ws.resume()
      this.ws.close(code)
      this.closeTimer = setTimeout(() => this.ws.terminate(), this.settings.closeTimeoutMs)
    } else {
      // Connecting (handshake pending) or already closing: nothing to negotiate.
      this.ws.terminate()
    }
    return done
  }

  /** Destroy the socket without a closing handshake (dead peer). */
  terminate(reason: string): void {
    if (this.closed) return
    this.closing = true
    this.closeReason ??= reason
    this.heartbeat.stop()
    this.pacer.close()
    this.ws.terminate()
  }

  /** Resolves once the socket emitted `close`. */
  whenClosed(): Promise<void> {
    if (this.closed) return Promise.resolve()
    return new Promise((resolve) => this.closedWaiters.push(resolve))
  }

  private readonly handleOpen = (): void => {
    this.openedAt = nowMicros()
    this.openedAtMs = Date.now()
    if (this.closing) return
    this.heartbeat.start()
    this.events.onOpen(this)
  }

  private readonly handleMessage = (data: WebSocket.RawData, isBinary: boolean): void => {
    this.heartbeat.touch()
    if (this.closing) return
    this.frames++
    this.events.onFrame(this, data, isBinary)
  }

  private readonly handleActivity = (): void => {
    this.heartbeat.touch()
  }

  private readonly handleError = (error: Error): void => {
    // ws always follows an error with 'close'; keep the error for the close reason.
    this.lastError ??= error
  }

  private readonly handleClose = (code: number, reason: Buffer): void => {
    this.closed = true
    this.closing = true
    this.heartbeat.stop()
    this.pacer.close()
    if (this.closeTimer !== undefined) clearTimeout(this.closeTimer)
    const text =
      this.closeReason ??
      (this.lastError !== undefined
        ? this.lastError.message
        : `closed by server (code ${code}${reason.length > 0 ? `: ${reason.toString()}` : ''})`)
    for (const resolve of this.closedWaiters.splice(0)) resolve()
    this.events.onClose(this, text)
  }
}
