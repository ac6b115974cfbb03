// Live smoke test against Kraken's WebSocket v2: runs only with DCCD_LIVE=1 (excluded otherwise, see
// tooling/vitest). It checks what replays cannot: that today's endpoint, instrument precisions and
// frame shapes still give checksums that match Kraken's on every update.
import { OrderBook } from '@dccd/core'
import type { BookEvent, MarketEvent } from '@dccd/core'
import { describe, expect, it } from 'vitest'
import { exchange } from '../src/index.js'

describe('KrakenFeed live (DCCD_LIVE=1)', () => {
  it('streams BTC/USD and ETH/USD books verified by checksum, trades and a 1m bar', async () => {
    const feed = exchange.createFeed({ symbols: ['BTC/USD', 'ETH/USD'], channels: ['trades', 'book', 'bars:1m'], bookDepth: 25 })
    const events: MarketEvent[] = []
    const books = new Map<string, OrderBook>()
    let deltas = 0
    for await (const event of feed.stream()) {
      events.push(event)
      if (event.type === 'book') {
        let book = books.get(event.symbol)
        if (book === undefined) books.set(event.symbol, (book = new OrderBook()))
        book.apply(event as BookEvent)
        if (!event.isSnapshot) deltas++
      }
      if (deltas >= 50 && events.some((e) => e.type === 'trade') && events.some((e) => e.type === 'bar')) break
    }
    await feed.stop()
    // A resync would mean a checksum mismatch: a precision or formatting rule has drifted.
    expect(events.filter((e) => e.type === 'status' && e.status !== 'connected')).toEqual([])
    for (const [symbol, book] of books) {
      expect(book.bidCount, symbol).toBeLessThanOrEqual(25)
      expect(book.bestBid()!.price, symbol).toBeLessThan(book.bestAsk()!.price)
    }
    expect([...books.keys()].sort()).toEqual(['BTC/USD', 'ETH/USD'])
  }, 60_000)
})
