/**
 * Loopback WebSocket server for the transport bench, run as a child process
 * so its sending does not compete with the client on one thread. Prints
 * `PORT <n>` when listening. Each connection's path says what to send:
 * `/?mode=flood&n=N`: N frames as fast as the client reads them;
 * `/?mode=paced&n=N&rate=R`: N frames at R frames/s.
 * Every frame is a captured exchange frame with `"sent"` (the monotonic
 * clock in ns, comparable across processes on one machine) put first.
 */
import { once } from 'node:events'
import { WebSocketServer, type WebSocket } from 'ws'
import { rawInFrames, loadCapture } from '../fixtures.js'
import { encodeFrame } from '../ws-frame.js'

const frames = [...rawInFrames(loadCapture('binance-spot-2021-10-12')), ...rawInFrames(loadCapture('kraken-v2-2021-04-17'))].filter((f) =>
  f.startsWith('{'),
)
const now = (): number => Number(process.hrtime.bigint())
const sleep = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0))
const stamp = (i: number): string => `{"sent":${now()},${frames[i % frames.length]!.slice(1)}`

const encoded = frames.map((f) => encodeFrame(`{"sent":0,${f.slice(1)}`))
const allFrames = Buffer.concat(encoded)

/**
 * Writes `n` pre-encoded frames straight to the TCP socket in large chunks,
 * waiting for `drain`: the client, not the server, sets the pace. (The
 * frames carry `"sent":0`; latency is measured in paced mode only.)
 */
async function flood(ws: WebSocket, n: number): Promise<void> {
  const socket = (ws as unknown as { _socket: import('node:net').Socket })._socket
  const write = async (chunk: Buffer): Promise<void> => {
    if (!socket.write(chunk)) await once(socket, 'drain')
  }
  for (let left = n; left > 0 && ws.readyState === ws.OPEN; ) {
    if (left >= encoded.length) {
      await write(allFrames)
      left -= encoded.length
    } else {
      await write(Buffer.concat(encoded.slice(0, left)))
      left = 0
    }
  }
}

/**
 * Sends frames on a timer (~1 ms granularity): every tick sends what is due,
 * so at 5,000/s frames leave in small bursts, as exchanges send them. A
 * timer rather than a spin keeps this process off the CPU the client needs.
 */
async function paced(ws: WebSocket, n: number, rate: number): Promise<void> {
  const start = now()
  const interval = 1e9 / rate
  for (let i = 0; i < n && ws.readyState === ws.OPEN; ) {
    while (i < n && now() >= start + i * interval) ws.send(stamp(i++))
    await sleep()
  }
}

const server = new WebSocketServer({ host: '127.0.0.1', port: 0 })
server.on('connection', (ws, request) => {
  const query = new URL(request.url ?? '/', 'ws://x').searchParams
  const n = Number(query.get('n') ?? 1000)
  ws.on('error', () => {})
  void (query.get('mode') === 'paced' ? paced(ws, n, Number(query.get('rate') ?? 5000)) : flood(ws, n))
})
server.on('listening', () => {
  const address = server.address()
  process.stdout.write(`PORT ${typeof address === 'object' && address !== null ? address.port : 0}\n`)
})
process.stdin.on('end', () => process.exit(0))
process.stdin.resume()
