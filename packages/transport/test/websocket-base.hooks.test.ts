import { FakeExchange } from '@dccd/testkit'
import type { FakeConnection } from '@dccd/testkit'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { eventually, FAST, JsonFeed, tickAfterSubscribe } from './support/feeds.js'
import type { TestRecord } from './support/feeds.js'

let fx: FakeExchange
let feed: JsonFeed | undefined
const tickers: ReturnType<typeof setInterval>[] = []

const stream = (connection: FakeConnection): void => tickAfterSubscribe(connection, tickers)

function collect(target: JsonFeed): TestRecord[] {
  const seen: TestRecord[] = []
  const records = target.stream()
  void (async () => {
    for await (const record of records) seen.push(record)
  })()
  return seen
}

beforeEach(async () => {
  fx = await FakeExchange.start()
})
afterEach(async () => {
  for (const ticker of tickers.splice(0)) clearInterval(ticker)
  await feed?.stop()
  feed = undefined
  await fx.close()
})

describe('WebSocketBase rotate()', () => {
  it('replaces the socket at once, with an overlap and no disconnect', async () => {
    fx.onConnection(stream)
    feed = new JsonFeed(fx.wsUrl, { ...FAST, rotationOverlapMs: 50 })
    const seen = collect(feed)
    const first = await fx.waitForConnection(1)
    await eventually(() => seen.length >= 3)
    feed.forceRotate(0, 'server shutdown announced')
    const second = await fx.waitForConnection(2)
    await first.closed
    expect(second.isOpen).toBe(true)
    expect(first.closeCode).toBe(1000)
    expect(feed.rotated).toEqual([{ previous: 1, next: 2 }])
    await eventually(() => feed!.completed.length === 1)
    expect(feed.completed).toEqual([{ previous: 1, next: 2 }])
    expect(feed.disconnects).toHaveLength(0)
    expect(feed.stats.reconnects).toBe(0)
    const completion = seen.findIndex((r) => r.rotationComplete === 1)
    expect(seen.slice(completion).every((r) => r.connection === 2)).toBe(true)
  })
})

describe('WebSocketBase loss before promotion', () => {
  it('reports a socket that closes while onConnect is still sending as a disconnect, after onConnect', async () => {
    // Three subscriptions paced 100 ms apart; the server hangs up on the first.
    fx.onConnection((connection) => {
      if (connection.id === 1) void connection.waitForMessage().then(() => connection.close(1011, 'too many'), () => {})
      else stream(connection)
    })
    feed = new JsonFeed(fx.wsUrl, { ...FAST, sendRatePerSecond: 10 })
    feed.subscriptions = 3
    collect(feed)
    await fx.waitForConnection(2)
    await eventually(() => feed!.log.includes('connected 2'))
    expect(feed.log.slice(0, 3)).toEqual(['connect 1', 'connected 1', 'disconnect 1'])
    expect(feed.disconnects.map((d) => d.connection.id)).toEqual([1])
    expect(feed.disconnects[0]!.reason).toContain('1011')
  })

  it('reports a rotation replacement that dies before taking over as a failed replacement, not a disconnect', async () => {
    fx.onConnection((connection) => {
      if (connection.id === 2) void connection.waitForMessage().then(() => connection.terminate(), () => {})
      else stream(connection)
    })
    feed = new JsonFeed(fx.wsUrl, { ...FAST, sendRatePerSecond: 10, rotationOverlapMs: 50 })
    feed.subscriptions = 2
    const seen = collect(feed)
    await fx.waitForConnection(1)
    await eventually(() => seen.length >= 1)
    feed.forceRotate(0, 'test')
    await fx.waitForConnection(3)
    await eventually(() => feed!.completed.length === 1)
    expect(feed.replacementsFailed.map((r) => r.connection)).toEqual([2])
    expect(feed.disconnects).toHaveLength(0)
    expect(feed.completed).toEqual([{ previous: 1, next: 3 }])
    // The old socket kept streaming while the replacement failed.
    expect(seen.some((r) => r.connection === 1)).toBe(true)
    expect(seen.some((r) => r.connection === 2)).toBe(false)
  })
})
