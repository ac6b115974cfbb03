/**
 * One accepted WebSocket connection of the fake exchange: what the client
 * sent, and the knobs a test turns to script or break it.
 */
import type { IncomingHttpHeaders } from 'node:http'
import { WebSocket } from 'ws'
import { Waiters } from './waiters.js'

/** Frames buffered past this many bytes make {@link FakeConnection.sendAndDrain} wait (server memory stays bounded). */
const HIGH_WATER_BYTES = 1 << 20

/**
 * An application-level heartbeat the fake exchange answers by itself, as a real venue
 * does (Kraken: `{"method":"ping","req_id":1}` → `{"method":"pong","req_id":1,…}`), so a
 * feed whose liveness rests on it does not go stale while a replay is quiet.
 *
 * @example
 * const fx = await FakeExchange.start({
 *   appPing: {
 *     match: (message) => message.includes('"method":"ping"'),
 *     answer: (message) => ({ method: 'pong', req_id: JSON.parse(message).req_id }),
 *   },
 * })
 */
export interface AppPingOptions {
  /** True for a client message that is such a ping. */
  match(message: string): boolean
  /** The answer: a string is sent as-is, anything else JSON-encoded. */
  answer(message: string): string | object
}

/** A server-side connection. Created by {@link FakeExchange}; tests receive it in `onConnection`. */
export class FakeConnection {
  /** 1-based, in accept order. */
  readonly id: number
  /** Path and query of the upgrade request (`/stream?streams=btcusdt@trade`). */
  readonly path: string
  /** Headers of the upgrade request. */
  readonly headers: IncomingHttpHeaders
  /** Text of every frame the client sent, in order. */
  readonly messages: string[] = []
  /** Resolves once the socket is closed (any reason). Never rejects. */
  readonly closed: Promise<void>
  /** Close code the socket closed with (1006 when terminated), once closed. */
  closeCode: number | undefined
  /** Frames sent to the client so far. */
  sentCount = 0
  /** Application pings received (see `appPing`); answered unless stalled, and not recorded in {@link messages}. */
  appPings = 0

  readonly #ws: WebSocket
  readonly #waiters = new Waiters()
  #open = true
  #stalled = false
  #closeFrameIgnored = false

  /** @internal */
  constructor(
    id: number,
    path: string,
    headers: IncomingHttpHeaders,
    ws: WebSocket,
    options: { ignoreCloseFrames: boolean; appPing?: AppPingOptions; onMessage?: () => void },
  ) {
    const { ignoreCloseFrames, appPing } = options
    this.id = id
    this.path = path
    this.headers = headers
    this.#ws = ws
    ws.on('message', (data, isBinary) => {
      const text = isBinary ? Buffer.from(data as Buffer).toString('base64') : data.toString()
      // Kept out of `messages`: a replay counts messages against its `out` lines, and pings are not requests.
      if (appPing?.match(text) === true) {
        this.appPings++
        this.send(appPing.answer(text))
      } else {
        this.messages.push(text)
      }
      this.#waiters.notify()
      options.onMessage?.()
    })
    // The server is created with autoPong off, so a stalled connection can stop answering.
    ws.on('ping', (payload) => {
      if (!this.#stalled && ws.readyState === WebSocket.OPEN) ws.pong(payload)
    })
    ws.on('error', () => {})
    if (ignoreCloseFrames) {
      // ws answers a client's close frame by calling close() on the socket; a no-op close
      // leaves the client waiting for an answer that never comes (close-timeout tests).
      ws.close = () => {
        this.#closeFrameIgnored = true
        this.#waiters.notify()
      }
    }
    this.closed = new Promise((resolve) => {
      ws.once('close', (code) => {
        this.#open = false
        this.closeCode = code
        this.#waiters.notify()
        resolve()
      })
    })
  }

  /** True until the socket has closed. */
  get isOpen(): boolean {
    return this.#open
  }

  /** With `ignoreCloseFrames`: resolves once the client's close frame arrived (and went unanswered). */
  waitForIgnoredCloseFrame(): Promise<void> {
    return this.#waiters.until(() => this.#closeFrameIgnored)
  }

  /** True after {@link stall}. */
  get isStalled(): boolean {
    return this.#stalled
  }

  /**
   * Sends one frame: a string as-is (so malformed text is possible), anything else JSON-encoded.
   * Dropped silently when the connection is closed or stalled.
   */
  send(frame: string | object): void {
    if (!this.#canSend()) return
    this.sentCount++
    this.#ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame))
  }

  /**
   * Like {@link send}, but resolves only once the frame is written when a lot is already buffered.
   * A Buffer goes out as a binary frame.
   */
  sendAndDrain(frame: string | Buffer): Promise<void> {
    if (!this.#canSend()) return Promise.resolve()
    this.sentCount++
    if (this.#ws.bufferedAmount < HIGH_WATER_BYTES) {
      this.#ws.send(frame)
      return Promise.resolve()
    }
    return new Promise((resolve) => this.#ws.send(frame, () => resolve()))
  }

  /** Starts a closing handshake (code default 1000). */
  close(code = 1000, reason = ''): void {
    WebSocket.prototype.close.call(this.#ws, code, reason)
  }

  /** Destroys the TCP socket without a closing handshake (the client sees 1006). */
  terminate(): void {
    this.#ws.terminate()
  }

  /** Stops sending frames and answering pings; the socket stays open (a hung peer). */
  stall(): void {
    this.#stalled = true
  }

  /**
   * Resolves with the first client message matching `predicate` (any message when omitted),
   * including messages received before the call. Rejects if the socket closes first.
   */
  waitForMessage(predicate: (message: string) => boolean = () => true): Promise<string> {
    let found: string | undefined
    const check = (): boolean => {
      found = this.messages.find(predicate)
      if (found !== undefined) return true
      if (!this.#open) throw new Error(`Connection ${this.id} closed before a matching message arrived`)
      return false
    }
    return this.#waiters.until(check).then(() => found!)
  }

  /**
   * Calls `handle` with every client message in arrival order, those received
   * before the call included, until the socket closes or `handle` returns
   * `false`. A scripted server's request loop.
   */
  forEachMessage(handle: (message: string, index: number) => boolean | void): void {
    void (async () => {
      for (let n = 1; ; n++) {
        try {
          await this.waitForMessageCount(n)
        } catch {
          return // closed
        }
        if (handle(this.messages[n - 1]!, n - 1) === false) return
      }
    })()
  }

  /** Resolves once the client has sent at least `count` messages; rejects if the socket closes first. */
  waitForMessageCount(count: number): Promise<void> {
    return this.#waiters.until(() => {
      if (this.messages.length >= count) return true
      if (!this.#open) throw new Error(`Connection ${this.id} closed after ${this.messages.length} of ${count} messages`)
      return false
    })
  }

  #canSend(): boolean {
    return this.#open && !this.#stalled && this.#ws.readyState === WebSocket.OPEN
  }
}
