import { FakeExchange } from '@dccd/testkit'
import type { FakeConnection } from '@dccd/testkit'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { eventually, FAST, JsonFeed } from './support/feeds.js'

let fx: FakeExchange
let feed: JsonFeed | undefined

beforeEach(async () => {
  fx = await FakeExchange.start()
})
afterEach(async () => {
  await feed?.stop()
  await fx.close()
})

/** Lets pending socket I/O run (macrotask turns, not a timed wait). */
async function ioTurns(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve))
}

const FRAME_BYTES = 2048
const FRAMES = 8000 // 16 MiB: far more than the kernel's socket buffers hold

function frame(i: number): string {
  const head = `{"i":${i},"pad":"`
  return `${head}${'x'.repeat(FRAME_BYTES - head.length - 2)}"}`
}

/** Sends every frame, waiting whenever the server's own buffer is full; resolves when all were written. */
async function blast(connection: FakeConnection): Promise<void> {
  for (let i = 0; i < FRAMES; i++) await connection.sendAndDrain(frame(i))
}

describe('WebSocketBase backpressure', () => {
  it('keeps the queue bounded and stops reading while the consumer stalls, then delivers every record', async () => {
    const maxQueueSize = 100
    feed = new JsonFeed(fx.wsUrl, { ...FAST, maxQueueSize, pingIntervalMs: 50, staleTimeoutMs: 50 })
    const records = feed.stream()
    const connection = await fx.waitForConnection(1)
    await connection.waitForMessage()
    let serverDone = false
    const sending = blast(connection).then(() => {
      serverDone = true
    })

    // The consumer reads nothing: the queue fills and the socket pauses.
    await eventually(() => feed!.stats.pausedCount === 1)
    const framesAtPause = feed.stats.frames
    await ioTurns(200)

    // Frames already read from the kernel in the same chunk still land (never dropped), so the
    // bound is maxQueueSize plus at most one 64 KiB socket read.
    const slack = Math.ceil(65536 / FRAME_BYTES) + 1
    expect(feed.stats.peakQueued).toBeLessThanOrEqual(maxQueueSize + slack)
    expect(feed.stats.queued).toBeGreaterThanOrEqual(maxQueueSize)
    // The client stopped reading: the server is stuck waiting for its buffer to drain.
    expect(serverDone).toBe(false)
    expect(feed.stats.frames - framesAtPause).toBeLessThanOrEqual(slack)
    expect(feed.stats.frames).toBeLessThan(FRAMES)
    // A paused reader does not count as a dead peer.
    expect(feed.stats.staleTimeouts).toBe(0)

    // The consumer resumes: every record arrives, in order, none dropped.
    for (let i = 0; i < FRAMES; i++) {
      const result = await records.next()
      expect(result.done).toBe(false)
      if (result.value.i !== i) expect(result.value.i).toBe(i)
    }
    await sending
    expect(serverDone).toBe(true)
    expect(feed.stats.records).toBe(FRAMES)
    expect(feed.stats.peakQueued).toBeLessThanOrEqual(maxQueueSize + slack)
    expect(feed.stats.pausedCount).toBeGreaterThanOrEqual(1)
    expect(feed.stats.reconnects).toBe(0)
  })
})
