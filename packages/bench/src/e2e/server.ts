/**
 * The end-to-end bench's exchange, run as a child process so its sending
 * does not compete with the client measured. Arguments: the exchange
 * (`E2eExchange`), the number of data frames per session and (Binance spot)
 * how many copies of the captured symbols to play (default 1). It builds the
 * looped session once (./binance-session.ts, ./binance-futures-session.ts,
 * ./kraken-session.ts, ./okx-session.ts), encodes every frame once, and then,
 * for each connection that subscribes as the exchange expects (./*-venue.ts),
 * writes all of them (or, on a venue split over connections, that
 * connection's part) straight to the TCP socket as fast as the client reads.
 * Prints `READY <json>` with its port and the session's `Expected` once
 * listening; exits when stdin closes.
 */
import { createServer } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { WebSocketServer, type WebSocket } from 'ws'
import { encodeFrame } from '../ws-frame.js'
import { binanceFuturesLoopSession } from './binance-futures-session.js'
import { binanceLoopSession } from './binance-session.js'
import { binanceVenue, FUTURES_REST } from './binance-venue.js'
import { krakenLoopSession } from './kraken-session.js'
import { krakenVenue } from './kraken-venue.js'
import { okxLoopSession } from './okx-session.js'
import { okxVenue } from './okx-venue.js'
import type { E2eExchange } from './session.js'
import type { Venue } from './venue.js'

/** Bytes per socket write: large enough that writing costs the server next to nothing, cut at frame boundaries. */
const CHUNK_BYTES = 1 << 20

const [exchange, frameArg, copiesArg] = process.argv.slice(2)
const frameCount = Number(frameArg ?? 300_000)
const copies = Number(copiesArg ?? 1)
const VENUES: Record<E2eExchange, () => Venue> = {
  binance: () => binanceVenue(binanceLoopSession(frameCount, copies)),
  'binance-futures': () => binanceVenue(binanceFuturesLoopSession(frameCount), FUTURES_REST),
  kraken: () => krakenVenue(krakenLoopSession(frameCount)),
  okx: () => okxVenue(okxLoopSession(frameCount)),
}
const venue = (VENUES[exchange as E2eExchange] ?? unknown)()
/** The wire bytes per part (`undefined`: the whole session, for a venue that is not split). */
const chunks = new Map<string | undefined, Buffer[]>(
  venue.session.parts === undefined
    ? [[undefined, encodeChunks(venue.session.frames)]]
    : Object.entries(venue.session.parts).map(([part, frames]) => [part, encodeChunks(frames)]),
)

/**
 * The frames as wire bytes in chunks of whole frames: the server's own
 * messages (acks, pongs) go out between two writes, so a write must never end
 * inside a frame.
 */
function encodeChunks(frames: readonly string[]): Buffer[] {
  const out: Buffer[] = []
  let pending: Buffer[] = []
  let bytes = 0
  for (const frame of frames) {
    const encoded = encodeFrame(frame)
    pending.push(encoded)
    bytes += encoded.length
    if (bytes >= CHUNK_BYTES) {
      out.push(Buffer.concat(pending))
      pending = []
      bytes = 0
    }
  }
  if (pending.length > 0) out.push(Buffer.concat(pending))
  return out
}

/** Writes every chunk of `part`, waiting for `drain`: the client, not the server, sets the pace. */
async function flood(ws: WebSocket, part: string | undefined): Promise<void> {
  const socket = (ws as unknown as { _socket: Socket })._socket
  for (const chunk of chunks.get(part)!) {
    if (ws.readyState !== ws.OPEN) return
    if (!socket.write(chunk)) await drainOrClose(socket)
  }
}

function drainOrClose(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      socket.off('drain', done)
      socket.off('close', done)
      resolve()
    }
    socket.on('drain', done)
    socket.on('close', done)
  })
}

function unknown(): never {
  throw new Error(`e2e server: unknown exchange ${exchange}; ${Object.keys(VENUES).join(', ')}`)
}

const wss = new WebSocketServer({ noServer: true })
const http = createServer((request, response) => {
  const body = venue.rest(new URL(request.url ?? '/', 'http://venue'))
  response.writeHead(body === undefined ? 404 : 200, { 'content-type': 'application/json' })
  response.end(body ?? JSON.stringify({ code: -1, msg: `no route for ${request.url}` }))
})
http.on('upgrade', (request, socket, head) => {
  wss.handleUpgrade(request, socket, head, (ws) => {
    ws.on('error', () => {})
    venue.connect(ws, request.url ?? '/', (part) => void flood(ws, part))
  })
})
http.listen(0, '127.0.0.1', () => {
  const { port } = http.address() as AddressInfo
  process.stdout.write(`READY ${JSON.stringify({ port, expected: venue.session.expected })}\n`)
})
process.stdin.on('end', () => process.exit(0))
process.stdin.resume()
