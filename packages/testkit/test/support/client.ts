/** A plain ws client that records what it receives, for testing the fake exchange. */
import { WebSocket } from 'ws'

export interface TestClient {
  ws: WebSocket
  received: string[]
  /** Resolves once `count` frames have arrived. */
  waitForFrames(count: number): Promise<string[]>
  /** Resolves with the close code. */
  closed: Promise<number>
}

export async function connect(url: string, options?: ConstructorParameters<typeof WebSocket>[2]): Promise<TestClient> {
  const ws = new WebSocket(url, options)
  const received: string[] = []
  const waiters: Array<{ count: number; resolve: () => void }> = []
  ws.on('message', (data) => {
    received.push(data.toString())
    for (const waiter of [...waiters]) {
      if (received.length >= waiter.count) {
        waiters.splice(waiters.indexOf(waiter), 1)
        waiter.resolve()
      }
    }
  })
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)))
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  ws.on('error', () => {})
  return {
    ws,
    received,
    closed,
    async waitForFrames(count) {
      if (received.length < count) await new Promise<void>((resolve) => waiters.push({ count, resolve }))
      return received
    },
  }
}
