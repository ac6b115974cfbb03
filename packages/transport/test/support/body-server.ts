/**
 * A plain `node:http` server on 127.0.0.1 for the REST body tests: each
 * handler writes its own status, headers and body (streamed, never-ending,
 * lying about Content-Length…), and every response counts the body bytes it
 * managed to hand to the socket before the client went away.
 */
import { once } from 'node:events'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** One response as the server saw it. */
export interface ServedResponse {
  readonly path: string
  /** Body bytes written so far. */
  written: number
  /** Resolves when the connection under this response closed (the client cancelled, or it ended). */
  readonly closed: Promise<void>
  /** Whether the whole body was sent before the connection closed. */
  finished(): boolean
}

/** Writes one response; `served.written` is kept by {@link write}. */
export type BodyHandler = (request: IncomingMessage, response: ServerResponse, served: ServedResponse) => void

/** Writes `chunk`, counting it in `served.written`; returns false once the response is gone. */
export function write(response: ServerResponse, served: ServedResponse, chunk: string | Buffer): boolean {
  if (response.destroyed || response.writableEnded) return false
  response.write(chunk)
  served.written += Buffer.byteLength(chunk)
  return true
}

/**
 * Streams `chunk` every `everyMs` until the client closes the connection: a
 * body that never ends, arriving slowly enough that the client reads each
 * chunk as it comes (so `written` is what the client was sent, not what sat
 * in socket buffers).
 */
export function streamForever(response: ServerResponse, served: ServedResponse, chunk: Buffer, everyMs = 2): void {
  write(response, served, chunk)
  const timer = setInterval(() => {
    if (!write(response, served, chunk)) clearInterval(timer)
  }, everyMs)
  response.once('close', () => clearInterval(timer))
}

/** The server; `close()` drops any connection still open. */
export class BodyServer {
  readonly responses: ServedResponse[] = []

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(handler: BodyHandler): Promise<BodyServer> {
    let self: BodyServer | undefined
    const server = createServer((request, response) => {
      let finished = false
      response.once('finish', () => (finished = true))
      const served: ServedResponse = {
        path: request.url ?? '',
        written: 0,
        closed: once(response, 'close').then(() => undefined),
        finished: () => finished,
      }
      self!.responses.push(served)
      handler(request, response, served)
    })
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    self = new BodyServer(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`)
    return self
  }

  async close(): Promise<void> {
    this.server.closeAllConnections()
    this.server.close()
    await once(this.server, 'close')
  }
}
