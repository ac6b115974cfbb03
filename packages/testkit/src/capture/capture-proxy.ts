/**
 * A recording proxy on 127.0.0.1: point any adapter's `wsUrl` / `restUrl` at
 * it and it forwards every socket and request to the real exchange, writing
 * the traffic both ways in the replay format. Adapter code is never touched.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { WebSocketServer } from 'ws'
import { metaLine, type CaptureMeta } from './capture-file.js'
import { CaptureLog, captureTime, type CaptureStats } from './capture-log.js'
import { relayRequest } from './rest-relay.js'
import { relayUpgrade, type RelayedSockets } from './ws-relay.js'

/** Options of {@link CaptureProxy.start}. */
export interface CaptureProxyOptions {
  /** The real WebSocket base URL (`wss://stream.binance.com:9443`); a socket to `/x?y` opens `<wsUrl>/x?y`. */
  wsUrl: string
  /** The real REST base URL (`https://api.binance.com`); a request to `/x?y` goes to `<restUrl>/x?y`. */
  restUrl: string
  /** Receives each session line, newline included, in the order the proxy saw the traffic. */
  write: (line: string) => void
  /** Written first as the capture's `meta` line (the proxy adds `format`, `wsUrl` and `restUrl`). Default: no meta line. */
  meta?: Omit<CaptureMeta, 'format' | 'wsUrl' | 'restUrl'>
  /** Port on 127.0.0.1. Default 0: a free port. */
  port?: number
}

/**
 * @example
 * const out = createWriteStream('session.jsonl')
 * const proxy = await CaptureProxy.start({
 *   wsUrl: 'wss://stream.binance.com:9443',
 *   restUrl: 'https://api.binance.com',
 *   write: (line) => out.write(line),
 * })
 * const feed = exchange.createFeed({ symbols: ['BTCUSDT'], channels: ['trades'], wsUrl: proxy.wsUrl, restUrl: proxy.restUrl })
 * // … read feed.stream() for a while, then:
 * await feed.stop()
 * await proxy.close()
 * out.end()
 */
export class CaptureProxy {
  readonly #server: Server
  readonly #wss = new WebSocketServer({ noServer: true })
  readonly #log: CaptureLog
  readonly #sockets = new Set<RelayedSockets>()
  readonly #rawSockets = new Set<Socket>()
  readonly #requests = new Set<Promise<void>>()
  readonly #abort = new AbortController()
  #port = 0
  #closing: Promise<void> | undefined

  private constructor(private readonly options: CaptureProxyOptions) {
    this.#log = new CaptureLog(options.write)
    this.#server = createServer((req, res) => {
      const relay = relayRequest(req, res, { base: options.restUrl, log: this.#log, signal: this.#abort.signal })
      this.#requests.add(relay)
      void relay.finally(() => this.#requests.delete(relay))
    })
    this.#server.on('connection', (socket) => {
      this.#rawSockets.add(socket)
      socket.once('close', () => this.#rawSockets.delete(socket))
    })
    this.#server.on('upgrade', (req, socket, head) => {
      if (this.#closing !== undefined) return void (socket as Socket).destroy()
      relayUpgrade(req, socket as Socket, head, { wss: this.#wss, base: options.wsUrl, log: this.#log, sockets: this.#sockets })
    })
  }

  /**
   * Checks both upstream URLs, writes the `meta` line (when given) and listens on 127.0.0.1.
   *
   * @throws Error naming a base URL that is not absolute `ws:`/`wss:` (`wsUrl`) or `http:`/`https:` (`restUrl`)
   */
  static async start(options: CaptureProxyOptions): Promise<CaptureProxy> {
    checkBase(options.wsUrl, 'wsUrl', ['ws:', 'wss:'])
    checkBase(options.restUrl, 'restUrl', ['http:', 'https:'])
    const proxy = new CaptureProxy(options)
    if (options.meta !== undefined) {
      proxy.#log.line(metaLine({ format: 1, ...options.meta, wsUrl: options.wsUrl, restUrl: options.restUrl }, captureTime()))
    }
    await new Promise<void>((resolve, reject) => {
      proxy.#server.once('error', reject)
      proxy.#server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
    })
    proxy.#port = (proxy.#server.address() as AddressInfo).port
    return proxy
  }

  /** `ws://127.0.0.1:PORT`: the `wsUrl` to give the adapter. */
  get wsUrl(): string {
    return `ws://127.0.0.1:${this.#port}`
  }

  /** `http://127.0.0.1:PORT`: the `restUrl` to give the adapter. */
  get restUrl(): string {
    return `http://127.0.0.1:${this.#port}`
  }

  /** What has been written so far (live counters). */
  get stats(): Readonly<CaptureStats> {
    return this.#log.stats
  }

  /**
   * Stops listening, closes every socket both ways (code 1001 to the client) and aborts REST
   * requests still in flight. Nothing is written after it resolves. Idempotent.
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#abort.abort()
      for (const { client, upstream } of this.#sockets) {
        client?.close(1001, 'capture ended')
        upstream.terminate()
      }
      await Promise.allSettled([...this.#requests])
      for (const client of this.#wss.clients) client.terminate()
      for (const socket of this.#rawSockets) socket.destroy()
      this.#wss.close()
      await new Promise<void>((resolve) => this.#server.close(() => resolve()))
    })()
    return this.#closing
  }
}

function checkBase(value: string, name: string, protocols: readonly string[]): void {
  let url: URL | undefined
  try {
    url = new URL(value)
  } catch {
    url = undefined
  }
  if (url === undefined || !protocols.includes(url.protocol) || url.search !== '') {
    throw new Error(`CaptureProxy ${name} ${JSON.stringify(value)} is not a ${protocols.join(' or ')} base URL without a query`)
  }
}
