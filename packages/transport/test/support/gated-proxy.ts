/**
 * A TCP proxy on 127.0.0.1 in front of the fake exchange that can hold chosen
 * connections before they reach it: a held client has its TCP connection
 * accepted but its upgrade request forwarded only on `release(n)`, so a test
 * decides exactly when that socket's handshake completes.
 */
import { once } from 'node:events'
import { createConnection, createServer, type Server, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'
import { eventually } from './feeds.js'

export class GatedProxy {
  /** TCP connections accepted so far. */
  accepted = 0
  readonly #held = new Set<number>()
  readonly #waiting = new Map<number, () => void>()
  readonly #sockets = new Set<Socket>()

  private constructor(
    private readonly server: Server,
    /** `ws://127.0.0.1:PORT` of the proxy. */
    readonly url: string,
  ) {}

  static async start(targetUrl: string): Promise<GatedProxy> {
    const target = new URL(targetUrl)
    let self: GatedProxy | undefined
    const server = createServer((client) => self!.accept(client, target.hostname, Number(target.port)))
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    self = new GatedProxy(server, `ws://127.0.0.1:${(server.address() as AddressInfo).port}`)
    return self
  }

  /** The `n`-th connection (1-based) will wait for {@link release}. */
  hold(n: number): void {
    this.#held.add(n)
  }

  /** Forward the held `n`-th connection (now, or as soon as it arrives). */
  release(n: number): void {
    this.#held.delete(n)
    const go = this.#waiting.get(n)
    this.#waiting.delete(n)
    go?.()
  }

  /** Resolves once `n` connections were accepted. */
  waitForAccepted(n: number): Promise<void> {
    return eventually(() => this.accepted >= n)
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy()
    this.server.close()
    await once(this.server, 'close')
  }

  private accept(client: Socket, host: string, port: number): void {
    const n = ++this.accepted
    this.track(client)
    const forward = (): void => {
      if (client.destroyed) return
      const upstream = createConnection(port, host)
      this.track(upstream)
      client.pipe(upstream)
      upstream.pipe(client)
      client.once('close', () => upstream.destroy())
      upstream.once('close', () => client.destroy())
    }
    // Unread data waits in the client socket (nothing consumes it until it is piped).
    if (this.#held.has(n)) this.#waiting.set(n, forward)
    else forward()
  }

  private track(socket: Socket): void {
    socket.on('error', () => {})
    this.#sockets.add(socket)
    socket.once('close', () => this.#sockets.delete(socket))
  }
}
