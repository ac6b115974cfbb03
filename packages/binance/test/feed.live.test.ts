// Live smoke test against Binance spot production: runs only with DCCD_LIVE=1 (excluded otherwise, see
// tooling/vitest). It checks what replays cannot: that today's endpoints, symbols and frame shapes still
// match what the adapter expects.
import { OrderBook } from '@dccd/core'
import type { BookEvent, MarketEvent } from '@dccd/core'
import { describe, expect, it } from 'vitest'
import { exchange } from '../src/index.js'

describe('BinanceFeed live (DCCD_LIVE=1)', () => {
  it('streams BTCUSDT trades, a 1m bar and a synced book whose deltas apply cleanly', async () => {
    const feed = exchange.createFeed({ symbols: ['BTCUSDT'], channels: ['trades', 'book', 'bars:1m'], bookDepth: 100 })
    const events: MarketEvent[] = []
    const book = new OrderBook()
    let deltas = 0
    for await (const event of feed.stream()) {
      events.push(event)
      if (event.type === 'book') {
        book.apply(event as BookEvent)
        if (!event.isSnapshot) deltas++
      }
      const trades = events.filter((e) => e.type === 'trade').length
      if (deltas >= 20 && trades >= 5 && events.some((e) => e.type === 'bar')) break
    }
    await feed.stop()
    expect(events.filter((e) => e.type === 'status' && e.status !== 'connected')).toEqual([])
    expect(events.find((e) => e.type === 'book')).toMatchObject({ isSnapshot: true })
    expect(book.bestBid()!.price).toBeLessThan(book.bestAsk()!.price)
    const trade = events.find((e) => e.type === 'trade')!
    expect(trade).toMatchObject({ exchange: 'binance', symbol: 'BTCUSDT', side: expect.stringMatching(/^(buy|sell)$/) })
    // Exchange time in µs, close to now.
    expect(Math.abs(trade.timestamp - Date.now() * 1000)).toBeLessThan(60_000_000)
  }, 60_000)
})
