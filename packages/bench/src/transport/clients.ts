/**
 * The two clients the transport bench compares: our `WebSocketBase`
 * (records through `stream()`) and a bare `ws` client whose `message`
 * handler does the same `JSON.parse` (the floor).
 */
import { WebSocketBase } from '@dccd/transport'
import WebSocket from 'ws'

/** One client run: how fast records came and how late each was. */
export interface ClientRun {
  /** Records per second between the first and the last record. */
  readonly recordsPerSecond: number
  /** Per record: receive-side time minus the server's send time, µs. */
  readonly latenciesUs: Float64Array
}

interface Stamped {
  readonly sent: number
}

const now = (): number => Number(process.hrtime.bigint())

/** The smallest possible feed: every frame is one record, parsed with `JSON.parse`. */
class JsonFeed extends WebSocketBase<Stamped> {
  protected parseMessage(raw: string): Stamped[] {
    return [JSON.parse(raw) as Stamped]
  }
}

/** Reads `n` records through `WebSocketBase.stream()`. */
export async function runOurs(url: string, n: number): Promise<ClientRun> {
  // Liveness timers far out: the bench measures the data path, not heartbeats.
  const feed = new JsonFeed(url, { pingIntervalMs: 600_000, staleTimeoutMs: 600_000 })
  const latencies = new Float64Array(n)
  let count = 0
  let first = 0
  for await (const record of feed.stream()) {
    const t = now()
    if (count === 0) first = t
    latencies[count] = (t - record.sent) / 1000
    if (++count === n) {
      const elapsed = t - first
      await feed.stop()
      return { recordsPerSecond: ((n - 1) * 1e9) / elapsed, latenciesUs: latencies }
    }
  }
  throw new Error(`stream ended after ${count} of ${n} records`)
}

/** Reads `n` frames with a bare `ws` client doing `JSON.parse` per message. */
export function runBare(url: string, n: number): Promise<ClientRun> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url)
    const latencies = new Float64Array(n)
    let count = 0
    let first = 0
    ws.on('error', reject)
    ws.on('message', (data) => {
      const record = JSON.parse(data.toString()) as Stamped
      const t = now()
      if (count === 0) first = t
      latencies[count] = (t - record.sent) / 1000
      if (++count === n) {
        ws.close()
        resolve({ recordsPerSecond: ((n - 1) * 1e9) / (t - first), latenciesUs: latencies })
      }
    })
  })
}
