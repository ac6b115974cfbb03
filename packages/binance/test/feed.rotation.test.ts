import { afterEach, describe, expect, it, vi } from 'vitest'
import { OrderBook } from '@dccd/core'
import type { BookEvent, MarketEvent, TradeEvent } from '@dccd/core'
import { FakeExchange } from '@dccd/testkit'
import { exchange } from '../src/index.js'
import { DEFAULT_CONNECTION_AGE_MS } from '../src/capabilities.js'
import { FakeMarket } from './support/market.js'
import { Reader, summary } from './support/reader.js'

let fx: FakeExchange | undefined
let market: FakeMarket | undefined
afterEach(async () => {
  vi.useRealTimers()
  market?.stop()
  await fx?.close()
  fx = market = undefined
})

/** A BTCUSDT market ticking every 10 ms; odd connections lag 30 ms behind even ones. */
async function startMarket(): Promise<{ fx: FakeExchange; market: FakeMarket }> {
  fx = await FakeExchange.start()
  market = new FakeMarket(fx, 'BTCUSDT', 10, (id) => (id % 2 === 1 ? 30 : 0))
  return { fx, market }
}

/** A trades + book feed on the fake exchange, with rotation settings from `options`. */
function rotatingFeed(fx: FakeExchange, options: Record<string, unknown>) {
  return exchange.createFeed({ symbols: ['BTCUSDT'], channels: ['trades', 'book'], wsUrl: fx.wsUrl, restUrl: fx.restUrl, ...options })
}

/** The last trade read has at least id `id`. */
const tradesAfter = (id: number) => (events: MarketEvent[]) => {
  const last = events.findLast((x) => x.type === 'trade') as TradeEvent | undefined
  return last !== undefined && Number(last.id) >= id
}

describe('BinanceFeed connection rotation', () => {
  // Odd connections lag 30 ms behind even ones, so one rotation hands over to a socket
  // that is ahead of the old one, and the next to a socket that is behind.
  it('rotates before the maximum age with neither a duplicate nor a gap, in trades and in the book', async () => {
    const { fx, market } = await startMarket()
    let tradeAtThirdConnection = Infinity
    fx.onConnection((c) => {
      if (c.id === 3) tradeAtThirdConnection = market.tradeId
    })
    const feed = rotatingFeed(fx, { maxConnectionAgeMs: 1000, rotationOverlapMs: 100 })
    const reader = new Reader(feed, 15_000)
    // Well past the second rotation's handover (overlap 100 ms = 10 ticks after the replacement's first frame).
    const events = await reader.until((e) => tradesAfter(tradeAtThirdConnection + 60)(e), 'two rotations')
    await feed.stop()
    expect(fx.connections.length).toBeGreaterThanOrEqual(3)
    expectSeamless(events, market)
  })

  // The real schedule: Binance's 24 h limit, the default age (23 h 45 min) and the default overlap.
  // Only setTimeout and Date are faked (the market ticks on a real setInterval, sockets are real);
  // the fake clock also follows real time, so the handshake and the overlap run as they would.
  it('rotates at the default age, 10 s before it, on a clock that jumps a day', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], shouldAdvanceTime: true })
    const { fx, market } = await startMarket()
    // A day jumped in one step carries no pong: heartbeats would call the socket stale.
    const feed = rotatingFeed(fx, { pingIntervalMs: 0 })
    const reader = new Reader(feed, 15_000)
    await reader.until(tradesAfter(20), 'the first trades')

    // Just short of the rotation point (default age - 2 × the 5 s overlap): still one socket.
    vi.advanceTimersByTime(DEFAULT_CONNECTION_AGE_MS - 10_000 - 1_000)
    await reader.until(tradesAfter(market.tradeId + 20), 'trades before the rotation point')
    expect(fx.connections).toHaveLength(1)

    // Past it: the replacement opens, subscribes and takes over while the old socket still streams.
    vi.advanceTimersByTime(1_000)
    await reader.until(() => fx.connections.length === 2, 'the replacement socket')
    await reader.until(tradesAfter(market.tradeId + 20), 'trades during the overlap')
    expect(fx.connections[0]!.isOpen).toBe(true)

    // The overlap ends (5 s on the fake clock): the old socket closes, the new one carries on alone.
    vi.advanceTimersByTime(5_000)
    await reader.until(() => !fx.connections[0]!.isOpen, 'the old socket to close')
    await reader.until(tradesAfter(market.tradeId + 30), 'trades after the handover')
    expect(fx.connections).toHaveLength(2)
    await feed.stop()
    expectSeamless(reader.events, market)
  })
})

/** Neither a duplicate nor a gap: one `connected`, consecutive trade ids, one snapshot and chained deltas. */
function expectSeamless(events: readonly MarketEvent[], market: FakeMarket): void {
  // Only the first connect is marked: a rotation is invisible to consumers.
  const statuses = events.filter((e) => e.type === 'status')
  expect(statuses, summary(events)).toEqual([expect.objectContaining({ status: 'connected' })])

  // Trades: every id exactly once, in order.
  const ids = events.filter((e): e is TradeEvent => e.type === 'trade').map((e) => Number(e.id))
  expect(ids).toEqual(Array.from({ length: ids.length }, (_, i) => ids[0]! + i))

  // Book: one snapshot, then deltas that chain: the book equals the market's at snapshot id + deltas.
  const bookEvents = events.filter((e): e is BookEvent => e.type === 'book')
  expect(bookEvents.filter((e) => e.isSnapshot)).toHaveLength(1)
  expect(bookEvents[0]!.isSnapshot).toBe(true)
  expect(market.snapshotsServed).toHaveLength(1)
  const book = new OrderBook()
  for (const event of bookEvents) book.apply(event)
  const bookId = market.snapshotsServed[0]! + bookEvents.length - 1
  expect([...book.bids()].map((l) => [l.price, l.amount])).toEqual(market.bookAt(bookId))
  // Each delta carries one update whose amount is its id: consecutive ids prove no gap, no duplicate.
  const deltaIds = bookEvents.slice(1).map((e) => e.bids[0]!.amount)
  expect(deltaIds).toEqual(Array.from({ length: deltaIds.length }, (_, i) => market.snapshotsServed[0]! + 1 + i))
}
