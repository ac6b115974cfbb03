import { FakeExchange } from '@dccd/testkit'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Connection } from '../src/index.js'
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

describe('WebSocketBase stale detection', () => {
  it('terminates a stalled connection and reconnects within pingIntervalMs + staleTimeoutMs', async () => {
    const pingIntervalMs = 60
    const staleTimeoutMs = 60
    feed = new JsonFeed(fx.wsUrl, { ...FAST, pingIntervalMs, staleTimeoutMs })
    const records = feed.stream()
    const first = await fx.waitForConnection(1)
    await first.waitForMessage()
    const stalledAt = Date.now()
    first.stall() // socket stays open; no frames, no pongs

    const second = await fx.waitForConnection(2)
    const detectedAfter = Date.now() - stalledAt
    // Bound: one interval + one timeout + the (≤ 10 ms) reconnect delay, with generous slack for a busy machine.
    expect(detectedAfter).toBeLessThan(pingIntervalMs + staleTimeoutMs + 10 + 500)
    await first.closed
    expect(first.closeCode).toBe(1006) // terminated, no closing handshake with a dead peer
    expect(feed.stats.staleTimeouts).toBe(1)
    expect(feed.disconnects[0]!.reason).toMatch(/^stale/)

    await second.waitForMessage()
    second.send({ n: 2 })
    expect((await records.next()).value).toEqual({ n: 2, connection: 2 })
  })

  it('does not reconnect a quiet connection whose server answers pings', async () => {
    // A window a pong meets even on a loaded machine, and heartbeats four times as often.
    feed = new JsonFeed(fx.wsUrl, { ...FAST, pingIntervalMs: 50, staleTimeoutMs: 200 })
    feed.stream()
    const connection = await fx.waitForConnection(1)
    await connection.waitForMessage()
    // The market is silent: no frame at all. Sixteen answered heartbeats span four stale windows.
    await eventually(() => feed!.heartbeats >= 16)
    expect(feed.stats.staleTimeouts).toBe(0)
    expect(feed.stats.reconnects).toBe(0)
    expect(fx.connections).toHaveLength(1)
    expect(connection.isOpen).toBe(true)
  })

  it('uses an overridden application heartbeat: answered it keeps the socket, unanswered it reconnects', async () => {
    class AppPingFeed extends JsonFeed {
      protected override sendHeartbeat(connection: Connection): void {
        this.heartbeats++
        void connection.send({ method: 'ping' })
      }
    }
    feed = new AppPingFeed(fx.wsUrl, { ...FAST, pingIntervalMs: 50, staleTimeoutMs: 200 })
    const records = feed.stream()
    const connection = await fx.waitForConnection(1)
    // No protocol pings are sent, so only these application pongs prove liveness.
    for (let answered = 0; answered < 16; answered++) {
      await connection.waitForMessageCount(answered + 2) // +1: the subscribe message
      connection.send({ method: 'pong' })
    }
    expect((await records.next()).value).toEqual({ method: 'pong', connection: 1 })
    expect(feed.stats.staleTimeouts).toBe(0)
    expect(fx.connections).toHaveLength(1)

    // Stop answering: the next heartbeat goes unanswered and the socket is replaced.
    await fx.waitForConnection(2)
    expect(feed.stats.staleTimeouts).toBe(1)
  })
})
