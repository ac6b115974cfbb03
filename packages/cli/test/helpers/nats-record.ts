/**
 * `dccd record --sink` end-to-end tests share this: one real nats-server per file, a `dccd record` of an endless fakex
 * trade stream into a fresh stream of it, and reads of what the stream holds.
 */
import { afterAll, beforeAll, expect } from 'vitest'
import { NatsServer } from '../../../nats/test/support/nats-server.js'
import { messageCount, streamContents } from '../../../nats/test/support/stream-contents.js'
import { writeScript } from './fakex.js'
import { until } from './until.js'

/** Starts a nats-server for the file's tests (stopped after them); `server()` is it. */
export function sharedNatsServer(): { server: () => NatsServer } {
  let server: NatsServer | undefined
  beforeAll(async () => {
    server = await NatsServer.start()
  })
  afterAll(async () => {
    await server?.close()
  })
  return { server: () => server! }
}

let streams = 0
/** `dccd record` of an endless fakex trade stream into a fresh stream of the server at `url`. */
export function recordArgs(url: string, cwd: string, out = 'data'): { args: string[]; stream: string } {
  const stream = `E${++streams}`
  const ws = writeScript(cwd, { liveTrades: { symbol: 'BTC/USD', everyMs: 2, batch: 4 } })
  const args = ['record', 'fakex', 'BTC/USD', '--channels', 'trades', '--out', out, '--ws-url', ws, '--sink', url, '--stream', stream, '--subject-prefix', stream.toLowerCase()]
  return { args, stream }
}

/** Trade ids in the stream, in stream order. */
export async function storedTradeIds(url: string, stream: string): Promise<number[]> {
  return (await streamContents(url, stream)).filter((m) => m.event.type === 'trade').map((m) => Number((m.event as { id: string }).id))
}

/** Resolves once the stream holds `count` messages. */
export async function untilStored(url: string, stream: string, count: number, what: string): Promise<void> {
  let n = -1
  let asking = false
  const ask = (): void => {
    if (asking) return
    asking = true
    void messageCount(url, stream).then((stored) => ((n = stored), (asking = false)))
  }
  await until(() => (ask(), n >= count), what, 15_000)
}

/** Every id from 1 to the last, once each. */
export function expectEachOnce(ids: number[]): void {
  expect(ids.length).toBeGreaterThan(100)
  expect([...ids].sort((a, b) => a - b)).toEqual(ids.map((_, i) => i + 1))
}
