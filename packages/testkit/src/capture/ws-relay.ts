/**
 * The WebSocket half of the capture proxy: one upstream socket per client
 * socket, every message recorded (`in` / `out`, with the connection's number)
 * and forwarded as it was, text or binary; a close on either side closes the other.
 */
import type { IncomingMessage } from 'node:http'
import type { Socket } from 'node:net'
import { WebSocket, type RawData, type WebSocketServer } from 'ws'
import type { CaptureLog } from './capture-log.js'
import { encodeBinary, encodeText } from './frame-encoding.js'
import { forwardedHeaders, upstreamUrl } from './upstream-url.js'

/** @internal The sockets of one relayed connection (closed together). */
export interface RelayedSockets {
  upstream: WebSocket
  client?: WebSocket
}

/**
 * Opens the upstream socket for an upgrade request, then accepts the client; an upstream that
 * refuses (HTTP status) or fails is answered with that status (502 when it sent none).
 */
export function relayUpgrade(
  req: IncomingMessage,
  socket: Socket,
  head: Buffer,
  options: { wss: WebSocketServer; base: string; log: CaptureLog; sockets: Set<RelayedSockets> },
): void {
  const { wss, log, sockets } = options
  const url = upstreamUrl(options.base, req.url ?? '/')
  const upstream = new WebSocket(url, { headers: forwardedHeaders(req.headers) })
  const pair: RelayedSockets = { upstream }
  sockets.add(pair)
  socket.on('error', () => {})
  const refuse = (status: number, text: string): void => {
    sockets.delete(pair)
    if (!socket.destroyed) socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
  }
  upstream.once('unexpected-response', (_request, response) => {
    refuse(response.statusCode ?? 502, response.statusMessage ?? 'Bad Gateway')
    upstream.terminate()
  })
  upstream.on('error', () => {
    if (pair.client === undefined) refuse(502, 'Bad Gateway')
  })
  // Messages that arrive before the client's handshake completes wait here, in order.
  const early: [RawData, boolean][] = []
  let conn = 0
  upstream.on('message', (data, isBinary) => {
    log.message('in', conn, isBinary ? encodeBinary(toBuffer(data)) : encodeText(data.toString()))
    if (pair.client === undefined) early.push([data, isBinary])
    else if (pair.client.readyState === WebSocket.OPEN) pair.client.send(data, { binary: isBinary })
  })
  upstream.once('open', () => {
    if (socket.destroyed) return void upstream.close()
    conn = log.opened(url)
    wss.handleUpgrade(req, socket, head, (client) => {
      pair.client = client
      client.on('error', () => {})
      for (const [data, isBinary] of early.splice(0)) client.send(data, { binary: isBinary })
      client.on('message', (data, isBinary) => {
        log.message('out', conn, isBinary ? encodeBinary(toBuffer(data)) : encodeText(data.toString()))
        if (upstream.readyState === WebSocket.OPEN) upstream.send(data, { binary: isBinary })
      })
      client.once('close', (code, reason) => {
        closeLike(upstream, code, reason)
        sockets.delete(pair)
      })
      upstream.once('close', (code, reason) => closeLike(client, code, reason))
      if (upstream.readyState !== WebSocket.OPEN) closeLike(client, 1006, Buffer.alloc(0))
    })
  })
}

/** Ends `ws` the way its peer ended: the same code where one can be sent, else a dropped socket (1006). */
export function closeLike(ws: WebSocket, code: number, reason: Buffer): void {
  if (ws.readyState === WebSocket.CLOSED || ws.readyState === WebSocket.CLOSING) return
  if (ws.readyState === WebSocket.CONNECTING) return void ws.terminate()
  // 1005 (no code), 1006 (abnormal) and 1015 (TLS) are never sent on the wire.
  if (code === 1005) ws.close()
  else if (code === 1006 || code === 1015 || code < 1000 || code >= 5000) ws.terminate()
  else ws.close(code, reason)
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data)
}
