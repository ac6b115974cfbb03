import { FakeExchange } from '@dccd/testkit'
import type { FakeConnection } from '@dccd/testkit'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { eventually, FAST, JsonFeed, tickAfterSubscribe } from './support/feeds.js'
import type { TestRecord } from './support/feeds.js'

let fx: FakeExchange
let feed: JsonFeed | undefined
const tickers: ReturnType<typeof setInterval>[] = []

beforeEach(async () => {
  fx = await FakeExchange.start()
  // Every connection streams a numbered frame every 5 ms after the client subscribed.
  fx.onConnection((connection: FakeConnection) => tickAfterSubscribe(connection, tickers))
})
afterEach(async () => {
  for (const ticker of tickers.splice(0)) clearInterval(ticker)
  await feed?.stop()
  await fx.close()
})

describe('WebSocketBase rotation', () => {
  it('opens and subscribes the replacement before closing the old socket, and parses its overlap frames after the old one\'s last', async () => {
    feed = new JsonFeed(fx.wsUrl, { ...FAST, maxConnectionAgeMs: 400, rotationOverlapMs: 80 })
    const seen: TestRecord[] = []
    const records = feed.stream()
    void (async () => {
      for await (const record of records) seen.push(record)
    })()
    const first = await fx.waitForConnection(1)
    const second = await fx.waitForConnection(2)
    await first.closed
    // The replacement had been subscribed (onConnect done) before the old socket went.
    expect(second.messages[0]).toBe('{"op":"subscribe","n":1}')
    expect(second.isOpen).toBe(true)
    expect(first.closeCode).toBe(1000)
    expect(feed.rotated).toEqual([{ previous: 1, next: 2 }])
    expect(feed.stats.rotations).toBe(1)

    // Handover: every frame of the old socket comes before the first of the replacement, whose
    // frames of the overlap were held (none lost) and parsed once the old socket had closed.
    await eventually(() => feed!.completed.length === 1)
    expect(feed.completed).toEqual([{ previous: 1, next: 2 }])
    const firstFromNew = seen.findIndex((r) => r.connection === 2)
    expect(firstFromNew).toBeGreaterThan(0)
    expect(seen.slice(firstFromNew).some((r) => r.connection === 1)).toBe(false)
    const completion = seen.findIndex((r) => r.rotationComplete === 1)
    expect(completion).toBeGreaterThan(firstFromNew) // the overlap's frames were held, then released before the hook
    const fromNew = seen.filter((r) => r.connection === 2 && r.seq !== undefined).map((r) => r.seq)
    expect(fromNew).toEqual(fromNew.map((_, i) => i))
    // A rotation is neither a disconnect nor a reconnect.
    expect(feed.disconnects).toHaveLength(0)
    expect(feed.stats.reconnects).toBe(0)
  })
})

describe('WebSocketBase send pacing', () => {
  it('spaces subscription messages by 1000 / sendRatePerSecond ms', async () => {
    feed = new JsonFeed(fx.wsUrl, { ...FAST, sendRatePerSecond: 20 })
    feed.subscriptions = 4
    feed.stream()
    const connection = await fx.waitForConnection(1)
    await connection.waitForMessageCount(4)
    expect(connection.messages.map((m) => (JSON.parse(m) as { n: number }).n)).toEqual([1, 2, 3, 4])
    // Measured where the sends happen, not where they arrive: arrival times carry the loopback's
    // and the server's scheduling jitter. 50 ms apart by design; a timer may fire ~1 ms early.
    const sentAt = feed.subscribeSentAt
    expect(sentAt).toHaveLength(4)
    for (let i = 1; i < sentAt.length; i++) expect(sentAt[i]! - sentAt[i - 1]!).toBeGreaterThanOrEqual(48)
  })
})
