/**
 * A fake exchange on 127.0.0.1: one HTTP server answering REST routes and
 * WebSocket upgrades, with scripted frames, recorded-session replay and fault
 * injection. Every package's socket tests talk to it over loopback.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { WebSocketServer } from 'ws'
import { FakeConnection, type AppPingOptions } from './fake-connection.js'
import { Replay, type ReplayOptions } from './replay.js'
import {
  readRequest,
  RestRouter,
  type RestHandler,
  type RestRequest,
  type RouteOptions,
  type WeightLimitOptions,
} from './rest-router.js'
import type { SessionFrame } from './session.js'
import { Waiters } from './waiters.js'

/** Options of {@link FakeExchange.start}. */
export interface FakeExchangeOptions {
  /** Never answer a client's close frame, so its close timeout has to fire. Default false. */
  ignoreCloseFrames?: boolean
  /** Accept TCP but never answer upgrade requests (mid-handshake tests). Settable later. Default false. */
  handshakeHang?: boolean
  /** Port on 127.0.0.1. Default 0: a free port. */
  port?: number
  /** Answer the client's application-level pings on every connection. Default: none answered. */
  appPing?: AppPingOptions
}

/**
 * @example
 * const fx = await FakeExchange.start()
 * fx.onConnection((conn) => conn.send({ hello: 'world' }))
 * const ws = new WebSocket(fx.wsUrl)
 * // …
 * await fx.close()
 */
export class FakeExchange {
  /** Every connection ever accepted, in order. */
  readonly connections: FakeConnection[] = []
  /** Every REST request received, in order (upgrades are not REST requests). */
  readonly restRequests: RestRequest[] = []
  /** Upgrade requests received (accepted, refused or hung). */
  upgradeAttempts = 0
  /** Upgrade requests answered with 503 by {@link refuseConnections}, counted when the client has closed that socket. */
  refusedCount = 0
  /** While true, upgrade requests are never answered. */
  handshakeHang: boolean

  readonly #server: Server
  readonly #wss: WebSocketServer
  readonly #router = new RestRouter()
  readonly #handlers = new Set<(connection: FakeConnection) => void>()
  readonly #rawSockets = new Set<Socket>()
  readonly #waiters = new Waiters()
  readonly #ignoreCloseFrames: boolean
  readonly #appPing: AppPingOptions | undefined
  readonly #listenPort: number
  #refuse = 0
  #port = 0
  #closing: Promise<void> | undefined

  private constructor(options: FakeExchangeOptions) {
    this.#ignoreCloseFrames = options.ignoreCloseFrames ?? false
    this.#appPing = options.appPing
    this.#listenPort = options.port ?? 0
    this.handshakeHang = options.handshakeHang ?? false
    // autoPong off: FakeConnection answers pings itself so stall() can stop answering.
    this.#wss = new WebSocketServer({ noServer: true, autoPong: false })
    this.#server = createServer((req, res) => {
      void readRequest(req).then((request) => {
        this.restRequests.push(request)
        this.#waiters.notify()
        return this.#router.handle(request, res)
      })
    })
    this.#server.on('connection', (socket) => {
      this.#rawSockets.add(socket)
      socket.once('close', () => this.#rawSockets.delete(socket))
    })
    this.#server.on('upgrade', (req, socket, head) => this.#upgrade(req, socket as Socket, head))
  }

  /** Starts the servers on 127.0.0.1, on `options.port` or a free port. */
  static async start(options: FakeExchangeOptions = {}): Promise<FakeExchange> {
    const fx = new FakeExchange(options)
    await new Promise<void>((resolve, reject) => {
      fx.#server.once('error', reject)
      fx.#server.listen(fx.#listenPort, '127.0.0.1', () => resolve())
    })
    fx.#port = (fx.#server.address() as AddressInfo).port
    return fx
  }

  /** `ws://127.0.0.1:PORT` (no trailing slash). */
  get wsUrl(): string {
    return `ws://127.0.0.1:${this.#port}`
  }

  /** `http://127.0.0.1:PORT` (no trailing slash). */
  get restUrl(): string {
    return `http://127.0.0.1:${this.#port}`
  }

  /** Connections whose socket has not closed yet. */
  get openConnections(): number {
    let open = 0
    for (const connection of this.connections) if (connection.isOpen) open++
    return open
  }

  /** Calls `handler` for every connection accepted from now on. Returns an unsubscribe function. */
  onConnection(handler: (connection: FakeConnection) => void): () => void {
    this.#handlers.add(handler)
    return () => this.#handlers.delete(handler)
  }

  /** Replays `session` to each new (matching) connection. See {@link ReplayOptions}. */
  replay(session: readonly SessionFrame[], options: ReplayOptions = {}): Replay {
    const replay = new Replay(session, options)
    this.onConnection((connection) => replay.attach(connection))
    return replay
  }

  /**
   * Answers `method` + `path` (a string: exact, without query; a RegExp: tested on the path).
   * Later routes win over earlier ones; a handler returning `undefined` passes the request on.
   */
  route(method: string, path: string | RegExp, handler: RestHandler, options?: RouteOptions): void {
    this.#router.add(method, path, handler, options)
  }

  /**
   * Serves the session's `rest` lines to GET requests with the same path and query
   * parameters (host ignored). Several lines for one request are served in order, the last repeating.
   */
  restFromSession(session: readonly SessionFrame[]): void {
    this.#router.addSession(session)
  }

  /** Limits REST weight per window: HTTP 429 with `Retry-After` past it; the used weight rides on every response. */
  weightLimit(options: WeightLimitOptions): void {
    this.#router.setWeightLimit(options)
  }

  /** The next `n` upgrade attempts get HTTP 503 (`Infinity`: until called again with 0). */
  refuseConnections(n: number): void {
    this.#refuse = n
  }

  /** Resolves when the `n`-th (1-based) connection has been accepted. Default 1. */
  async waitForConnection(n = 1): Promise<FakeConnection> {
    await this.#waiters.until(() => this.connections.length >= n)
    return this.connections[n - 1]!
  }

  /**
   * Resolves once `predicate()` holds; re-checked after every connection, close, refusal, REST
   * request and client message (application pings included).
   */
  waitUntil(predicate: () => boolean): Promise<void> {
    return this.#waiters.until(predicate)
  }

  /** Terminates every connection and stops both servers. Idempotent; never waits on clients. */
  close(): Promise<void> {
    this.#closing ??= new Promise<void>((resolve) => {
      for (const connection of this.connections) connection.terminate()
      for (const socket of this.#rawSockets) socket.destroy()
      this.#wss.close()
      this.#server.closeAllConnections()
      this.#server.close(() => resolve())
      this.#waiters.clear()
    })
    return this.#closing
  }

  #upgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    this.upgradeAttempts++
    socket.on('error', () => {})
    if (this.#refuse > 0) {
      this.#refuse--
      // Counted once the client has hung up, i.e. after it handled the 503, so a test
      // waiting on refusedCount knows the client is now in its backoff.
      socket.once('close', () => {
        this.refusedCount++
        this.#waiters.notify()
      })
      socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')
      return
    }
    if (this.handshakeHang || this.#closing !== undefined) {
      this.#waiters.notify()
      return // the socket stays tracked in #rawSockets; close() destroys it
    }
    this.#wss.handleUpgrade(req, socket, head, (ws) => {
      const connection = new FakeConnection(
        this.connections.length + 1,
        req.url ?? '/',
        req.headers,
        ws,
        { ignoreCloseFrames: this.#ignoreCloseFrames, appPing: this.#appPing, onMessage: () => this.#waiters.notify() },
      )
      this.connections.push(connection)
      void connection.closed.then(() => this.#waiters.notify())
      for (const handler of this.#handlers) handler(connection)
      this.#waiters.notify()
    })
  }
}
