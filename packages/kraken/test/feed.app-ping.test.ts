// Kraken's liveness rests on its text heartbeat ({"method":"ping"} → {"method":"pong"}): against a fake
// exchange that answers it (FakeExchange's appPing), a feed stays on one socket after the replay goes quiet.
import type { MarketEvent } from '@dccd/core'
import { FakeExchange, loadSession } from '@dccd/testkit'
import { EventCollector } from '@dccd/testkit/helpers'
import { afterEach, describe, expect, it } from 'vitest'
import { serveAssetPairs } from './support/asset-pairs.js'
import { feedFor } from './support/feed-harness.js'

const SYMBOLS = ['XMR/USD', 'WAVES/EUR', 'KSM/BTC', 'ETH/CHF', 'GRT/ETH']
const session = loadSession(new URL('./fixtures/v2-2021-04-17.jsonl', import.meta.url))

const krakenPong = {
  match: (message: string) => (JSON.parse(message) as { method?: string }).method === 'ping',
  answer: (message: string) => {
    const now = new Date().toISOString()
    return { method: 'pong', req_id: (JSON.parse(message) as { req_id: number }).req_id, time_in: now, time_out: now }
  },
}

let fx: FakeExchange | undefined
afterEach(async () => {
  await fx?.close()
  fx = undefined
})

async function quietFeed(appPing: typeof krakenPong | undefined) {
  fx = await FakeExchange.start({ appPing })
  fx.replay(session)
  serveAssetPairs(fx, SYMBOLS)
  const feed = feedFor(fx, { symbols: SYMBOLS, bookDepth: 1000, pingIntervalMs: 40, staleTimeoutMs: 120 })
  const collector = new EventCollector(feed, { timeoutMs: 8000 })
  // The whole capture has been read: from here on only heartbeats cross the socket.
  await collector.until((events) => events.filter((e) => e.type === 'trade').length === 4, 'the last trade of the capture')
  return { fx, feed, collector }
}

const disconnects = (events: readonly MarketEvent[]): number => events.filter((e) => e.type === 'status' && e.status === 'disconnected').length

describe('KrakenFeed heartbeat against the fake exchange', () => {
  it('stays on its socket while the fake exchange answers its pings', async () => {
    const { fx, feed, collector } = await quietFeed(krakenPong)
    const connection = fx.connections[0]!
    const pings = connection.appPings
    // Five more ping intervals, each longer than it takes to call the socket stale without an answer.
    await fx.waitUntil(() => connection.appPings >= pings + 5)
    await feed.stop()
    expect(fx.connections).toHaveLength(1)
    expect(disconnects(collector.events)).toBe(0)
    expect(connection.messages.some((message) => message.includes('"ping"'))).toBe(false)
  })

  it('goes stale and reconnects when nobody answers (the case appPing exists for)', async () => {
    const { fx, feed, collector } = await quietFeed(undefined)
    await collector.until((events) => disconnects(events) === 1, "status 'disconnected' after the unanswered pings")
    await feed.stop()
    expect(fx.connections[0]!.messages.some((message) => message.includes('"ping"'))).toBe(true)
  })
})
