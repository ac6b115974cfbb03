import { FakeExchange } from '@dccd/testkit'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { eventually, FAST, JsonFeed } from './support/feeds.js'

let fx: FakeExchange | undefined
let feed: JsonFeed | undefined

afterEach(async () => {
  vi.useRealTimers()
  await feed?.stop()
  await fx?.close()
  fx = feed = undefined
})

/** Drains `feed.stream()` in the background; resolves with the time it ended. */
function drain(f: JsonFeed): Promise<number> {
  return (async () => {
    for await (const _ of f.stream()) {
      // discard
    }
    return Date.now()
  })()
}

describe('WebSocketBase stop()', () => {
  it('ends a streaming feed within 1 s and closes the socket cleanly', async () => {
    fx = await FakeExchange.start()
    feed = new JsonFeed(fx.wsUrl, { ...FAST, closeTimeoutMs: 1000 })
    const ended = drain(feed)
    const connection = await fx.waitForConnection(1)
    await connection.waitForMessage()
    connection.send({ n: 1 })
    await eventually(() => feed!.stats.records === 1)

    const started = Date.now()
    await feed.stop()
    expect((await ended) - started).toBeLessThan(1000)
    await connection.closed
    expect(connection.closeCode).toBe(1000)
    expect(feed.stats.openConnections).toBe(0)
    expect(feed.disconnects).toHaveLength(0)
  })

  it('ends the stream within 1 s while waiting out a reconnect delay', async () => {
    fx = await FakeExchange.start()
    fx.refuseConnections(Number.POSITIVE_INFINITY)
    feed = new JsonFeed(fx.wsUrl, { ...FAST, initialBackoffMs: 60_000, maxBackoffMs: 60_000 })
    const ended = drain(feed)
    await fx.waitUntil(() => fx!.refusedCount >= 1)
    await eventually(() => (feed as unknown as { slots: { connectTimer?: unknown }[] }).slots[0]!.connectTimer !== undefined)

    const started = Date.now()
    await feed.stop()
    expect((await ended) - started).toBeLessThan(1000)
    expect(fx.upgradeAttempts).toBe(1)
  })

  it('ends the stream within 1 s mid-handshake (server never answers the upgrade)', async () => {
    fx = await FakeExchange.start({ handshakeHang: true })
    feed = new JsonFeed(fx.wsUrl, FAST)
    const ended = drain(feed)
    await fx.waitUntil(() => fx!.upgradeAttempts >= 1)

    const started = Date.now()
    await feed.stop()
    expect((await ended) - started).toBeLessThan(1000)
    expect(fx.connections).toHaveLength(0)
  })

  it('terminates after closeTimeoutMs when the server never answers the close frame', async () => {
    fx = await FakeExchange.start({ ignoreCloseFrames: true })
    feed = new JsonFeed(fx.wsUrl, { ...FAST, closeTimeoutMs: 200 })
    const ended = drain(feed)
    const connection = await fx.waitForConnection(1)
    await connection.waitForMessage()

    const started = Date.now()
    await feed.stop()
    const stopped = Date.now() - started
    expect(stopped).toBeLessThan(1000)
    expect((await ended) - started).toBeLessThan(1000)
    // The server got our close frame and never answered it; the socket is gone anyway.
    await connection.waitForIgnoredCloseFrame()
    await connection.closed
    expect(feed.stats.openConnections).toBe(0)
  })

  it('is idempotent and returns the same promise', async () => {
    fx = await FakeExchange.start()
    feed = new JsonFeed(fx.wsUrl, FAST)
    const records = feed.stream()
    await fx.waitForConnection(1)
    const a = feed.stop()
    const b = feed.stop()
    expect(a).toBe(b)
    await a
    await expect(feed.stop()).resolves.toBeUndefined()
    expect(await records.next()).toEqual({ done: true, value: undefined })
  })

  it('aborting the signal ends the stream like stop()', async () => {
    fx = await FakeExchange.start()
    const controller = new AbortController()
    feed = new JsonFeed(fx.wsUrl, { ...FAST, signal: controller.signal })
    const ended = drain(feed)
    const connection = await fx.waitForConnection(1)
    await connection.waitForMessage()
    const started = Date.now()
    controller.abort()
    expect((await ended) - started).toBeLessThan(1000)
    await connection.closed
    expect(connection.closeCode).toBe(1000)
  })

  it('an already aborted signal ends the stream without connecting', async () => {
    fx = await FakeExchange.start()
    feed = new JsonFeed(fx.wsUrl, { ...FAST, signal: AbortSignal.abort() })
    expect(await feed.stream().next()).toEqual({ done: true, value: undefined })
    expect(fx.upgradeAttempts).toBe(0)
  })

  it('stop() before stream() makes the stream end at once without connecting', async () => {
    fx = await FakeExchange.start()
    feed = new JsonFeed(fx.wsUrl, FAST)
    await feed.stop()
    expect(await feed.stream().next()).toEqual({ done: true, value: undefined })
    expect(fx.upgradeAttempts).toBe(0)
  })

  it('break in for-await closes the socket and leaves no timer behind', async () => {
    fx = await FakeExchange.start()
    // Only timeouts and the monotonic clock are faked: socket I/O stays real, and getTimerCount() sees every timer we
    // (and ws) set. The send pacer checks performance.now() against its timers, so the two must move together.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'performance'] })
    feed = new JsonFeed(fx.wsUrl, { ...FAST, pingIntervalMs: 5000, sendRatePerSecond: 5 })
    feed.subscriptions = 2
    const server = fx.waitForConnection(1).then(async (c) => {
      await c.waitForMessage()
      c.send({ n: 1 })
      return c
    })
    const records = feed.stream()
    const first = records.next()
    // The second subscribe is paced (200 ms of fake time); frames wait for onConnect to finish.
    await vi.waitFor(() => expect(fx!.connections[0]?.messages.length).toBe(1))
    await vi.advanceTimersByTimeAsync(250)
    for await (const record of { [Symbol.asyncIterator]: () => ({ next: () => first, return: records.return!.bind(records) }) }) {
      expect(record.n).toBe(1)
      expect(vi.getTimerCount()).toBeGreaterThan(0) // the heartbeat is pending
      break
    }
    const connection = await server
    await connection.closed
    expect(connection.closeCode).toBe(1000)
    expect(vi.getTimerCount()).toBe(0)
    expect(feed.stats.openConnections).toBe(0)
  })
})
