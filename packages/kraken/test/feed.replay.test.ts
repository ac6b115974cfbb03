import type { MarketEvent, TradeEvent } from '@dccd/core'
import { describe, expect, it } from 'vitest'
import { readSession } from '../scripts/session.js'
import type { SessionLine } from '../scripts/session.js'
import { syntheticOverflowSession } from '../scripts/synthetic-overflow.js'
import { collect, consumerBooks, feedFor, isSentinel, referenceBooks, sentinelTrade, withFake } from './support/feed-harness.js'
import { CAPTURE, CAPTURE_DEPTH10, levelsOf, referenceLevels } from './support/replay-books.js'

const SYMBOLS = ['XMR/USD', 'WAVES/EUR', 'KSM/BTC', 'ETH/CHF', 'GRT/ETH']

/** Replays `session` (plus a sentinel) through a KrakenFeed and returns everything it yielded. */
async function replayThroughFeed(session: SessionLine[], symbols: string[], bookDepth: number): Promise<MarketEvent[]> {
  let events: MarketEvent[] = []
  await withFake(async (fx) => {
    fx.replay([...session, sentinelTrade(session, symbols[0]!)])
    events = await collect(feedFor(fx, { symbols, bookDepth }), (seen) => isSentinel(seen.at(-1)))
    expect(fx.connections).toHaveLength(1)
  })
  return events
}

function expectBooksMatchReference(events: MarketEvent[], session: SessionLine[], symbols: string[], depth: number): void {
  const consumer = consumerBooks(events)
  const reference = referenceBooks(session, depth)
  for (const symbol of symbols) {
    const expected = referenceLevels(reference.get(symbol)!)
    expect(expected.bids.length).toBeGreaterThan(0)
    expect(levelsOf(consumer.get(symbol)!)).toEqual(expected)
  }
}

describe('KrakenFeed replaying the real capture', () => {
  it('verifies every checksum and ends with the reference books', async () => {
    const session = readSession(CAPTURE)
    const events = await replayThroughFeed(session, SYMBOLS, 1000)
    expect(events[0]).toMatchObject({ type: 'status', status: 'connected', exchange: 'kraken' })
    expect(events.filter((event) => event.type === 'status' && event.status === 'resync')).toEqual([])
    expect(events.filter((event) => event.type === 'book')).toHaveLength(2099)
    for (const symbol of SYMBOLS) {
      expect(events.find((event) => event.type === 'book' && event.symbol === symbol)).toMatchObject({ isSnapshot: true })
    }
    expectBooksMatchReference(events, session, SYMBOLS, 1000)
  })

  it('yields the captured trades with their ids, sides and exact µs times', async () => {
    const events = await replayThroughFeed(readSession(CAPTURE), SYMBOLS, 1000)
    const trades = events.filter((event): event is TradeEvent => event.type === 'trade' && !isSentinel(event))
    expect(trades.map(({ id, side, price, amount, timestamp }) => ({ id, side, price, amount, timestamp }))).toEqual([
      { id: '1', side: 'sell', price: 354.11, amount: 0.89594024, timestamp: 1618678142557535 },
      { id: '2', side: 'buy', price: 354.55, amount: 1.25690315, timestamp: 1618678145715785 },
      { id: '3', side: 'sell', price: 354.04, amount: 0.28245396, timestamp: 1618678150826417 },
      { id: '4', side: 'sell', price: 353.81, amount: 1.71754604, timestamp: 1618678150827816 },
    ])
  })

  it('only subscribes to data after the instrument snapshot, sending snapshot explicitly', async () => {
    await withFake(async (fx) => {
      const session = readSession(CAPTURE)
      fx.replay([...session, sentinelTrade(session, 'XMR/USD')])
      await collect(feedFor(fx, { symbols: ['XMR/USD', 'ETH/CHF'], bookDepth: 1000 }), (seen) => isSentinel(seen.at(-1)))
      const sent = fx.connections[0]!.messages.map((text) => JSON.parse(text))
      expect(fx.connections[0]!.path).toBe('/v2')
      expect(sent.map((message) => message.params)).toEqual([
        { channel: 'instrument', snapshot: true },
        { channel: 'book', symbol: ['XMR/USD', 'ETH/CHF'], depth: 1000, snapshot: true },
        { channel: 'trade', symbol: ['XMR/USD', 'ETH/CHF'], snapshot: false },
      ])
    })
  })
})

describe('KrakenFeed truncating to the subscribed depth', () => {
  it('keeps the depth-10 stream derived from the capture in sync', async () => {
    const session = readSession(CAPTURE_DEPTH10)
    const events = await replayThroughFeed(session, SYMBOLS, 10)
    expect(events.filter((event) => event.type === 'status' && event.status === 'resync')).toEqual([])
    expectBooksMatchReference(events, session, SYMBOLS, 10)
  })

  it.each([25, 1000])('keeps a synthetic stream overflowing depth %i in sync', async (depth) => {
    const session = syntheticOverflowSession({ depth, updates: depth === 25 ? 1500 : 300, seed: 7 + depth })
    const events = await replayThroughFeed(session, ['SYN/USD'], depth)
    expect(events.filter((event) => event.type === 'status' && event.status === 'resync')).toEqual([])
    const removals = events.some((event) => event.type === 'book' && !event.isSnapshot && event.bids.concat(event.asks).some((l) => l.amount === 0))
    expect(removals).toBe(true)
    expectBooksMatchReference(events, session, ['SYN/USD'], depth)
    expect(consumerBooks(events).get('SYN/USD')!.bidCount).toBe(depth)
  })
})
