import { FakeExchange } from '@dccd/testkit'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { eventually, FAST, JsonFeed, memoryLogger } from './support/feeds.js'

let fx: FakeExchange
let feed: JsonFeed | undefined

beforeEach(async () => {
  fx = await FakeExchange.start()
})
afterEach(async () => {
  await feed?.stop()
  await fx.close()
})

describe('WebSocketBase reconnects', () => {
  it('reconnects and resubscribes after the server closes the socket', async () => {
    feed = new JsonFeed(fx.wsUrl, FAST)
    const records = feed.stream()
    const first = await fx.waitForConnection(1)
    await first.waitForMessage()
    first.send({ n: 1 })
    expect((await records.next()).value).toEqual({ n: 1, connection: 1 })

    first.close(1001, 'going away')
    const second = await fx.waitForConnection(2)
    expect(JSON.parse(await second.waitForMessage())).toEqual({ op: 'subscribe', n: 1 })
    second.send({ n: 2 })
    expect((await records.next()).value).toEqual({ n: 2, connection: 2 })

    expect(feed.stats.reconnects).toBe(1)
    expect(feed.connects.map((c) => c.id)).toEqual([1, 2])
    expect(feed.disconnects).toHaveLength(1)
    expect(feed.disconnects[0]!.connection.id).toBe(1)
    expect(feed.disconnects[0]!.reason).toContain('1001')
  })

  it('reconnects after the server kills the socket without a close frame', async () => {
    feed = new JsonFeed(fx.wsUrl, FAST)
    const records = feed.stream()
    const first = await fx.waitForConnection(1)
    await first.waitForMessage()
    first.terminate()
    const second = await fx.waitForConnection(2)
    await second.waitForMessage()
    second.send({ n: 2 })
    expect((await records.next()).value).toEqual({ n: 2, connection: 2 })
    expect(feed.stats.reconnects).toBe(1)
    expect(feed.disconnects[0]!.reason).toContain('1006')
  })

  it('keeps retrying refused connections with growing, jittered, capped delays', async () => {
    const logger = memoryLogger()
    fx.refuseConnections(6)
    feed = new JsonFeed(fx.wsUrl, { ...FAST, initialBackoffMs: 8, backoffFactor: 2, maxBackoffMs: 32, jitter: 0.5, logger })
    const records = feed.stream()
    const connection = await fx.waitForConnection(1)
    await connection.waitForMessage()
    connection.send({ n: 1 })
    expect((await records.next()).value).toEqual({ n: 1, connection: 7 })

    const delays = logger.entries
      .filter((e) => e.message === 'websocket reconnect scheduled')
      .map((e) => e.context!.delayMs as number)
    expect(fx.refusedCount).toBe(6)
    expect(delays).toHaveLength(6)
    const bases = [8, 16, 32, 32, 32, 32]
    delays.forEach((delay, i) => {
      expect(delay).toBeGreaterThanOrEqual(Math.floor(bases[i]! * 0.5))
      expect(delay).toBeLessThanOrEqual(Math.ceil(bases[i]!))
    })
    // Failed attempts never opened, so the consumer saw no disconnect and no reconnect yet.
    expect(feed.disconnects).toHaveLength(0)
    expect(feed.stats.reconnects).toBe(0)
  })

  it('gives up a handshake that hangs past connectTimeoutMs and tries again', async () => {
    fx.handshakeHang = true
    feed = new JsonFeed(fx.wsUrl, { ...FAST, connectTimeoutMs: 50 })
    const records = feed.stream()
    await fx.waitUntil(() => fx.upgradeAttempts >= 2)
    fx.handshakeHang = false
    const connection = await fx.waitForConnection(1)
    await connection.waitForMessage()
    connection.send({ n: 1 })
    expect((await records.next()).value).toMatchObject({ n: 1 })
    expect(fx.upgradeAttempts).toBeGreaterThanOrEqual(3)
  })

  it('reconnect(slot) drops the socket and opens a new one', async () => {
    feed = new JsonFeed(fx.wsUrl, FAST)
    feed.stream()
    const first = await fx.waitForConnection(1)
    await first.waitForMessage()
    feed.forceReconnect(0, 'book out of sync')
    await first.closed
    expect(first.closeCode).toBe(1000)
    const second = await fx.waitForConnection(2)
    await second.waitForMessage()
    expect(feed.disconnects.map((d) => d.reason)).toEqual(['book out of sync'])
    await eventually(() => feed!.stats.reconnects === 1)
  })

  it('opens one socket per url and merges their frames', async () => {
    feed = new JsonFeed([`${fx.wsUrl}/a`, `${fx.wsUrl}/b`], FAST)
    const records = feed.stream()
    await fx.waitForConnection(2)
    const paths = fx.connections.map((c) => c.path).sort()
    expect(paths).toEqual(['/a', '/b'])
    for (const c of fx.connections) {
      await c.waitForMessage()
      c.send({ path: c.path })
    }
    const got = [(await records.next()).value, (await records.next()).value]
    expect(got.map((r) => r.path).sort()).toEqual(['/a', '/b'])
    expect(feed.connects.map((c) => c.slot).sort()).toEqual([0, 1])
    expect(feed.stats.openConnections).toBe(2)
  })
})
