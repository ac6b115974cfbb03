/**
 * Hostile input on a healthy socket: data the feed never asked for, and times no market sends,
 * are parse errors (counted, skipped, the stream goes on), never events.
 */
import type { MarketEvent } from '@dccd/core'
import { describe, expect, it } from 'vitest'
import { collect, feedFor, withFake } from './support/feed-harness.js'
import { ackFor, btcBook, scriptKraken } from './support/scripted-kraken.js'
import { tradeFrame } from './support/trade-history.js'

const candle = (symbol: string, interval: number) => ({
  channel: 'ohlc',
  type: 'update',
  data: [{ symbol, open: 1, high: 1, low: 1, close: 1, trades: 1, volume: 1, vwap: 1, interval_begin: '2024-05-06T07:08:00.000000000Z', interval }],
})

/** The frame with its first entry's `field` set to `value`. */
function withField(frame: object, field: string, value: unknown): object {
  const copy = structuredClone(frame) as { data: Record<string, unknown>[] }
  copy.data[0]![field] = value
  return copy
}

const sawTrade = (id: number) => (events: readonly MarketEvent[]) => events.some((e) => e.type === 'trade' && e.id === String(id))

describe('KrakenFeed on data it did not ask for', () => {
  it('counts trades, books and bars of unsubscribed symbols or channels as parse errors and emits none of them', async () => {
    await withFake(async (fx) => {
      scriptKraken(fx, (connection, request) => {
        connection.send(ackFor(request, 'BTC/USD'))
        if (request.params?.channel !== 'trade') return
        connection.send(withField(tradeFrame('update', 1, 1), 'symbol', 'ETH/USD')) // listed, never subscribed
        connection.send(withField(tradeFrame('update', 1, 1), 'symbol', `${'X'.repeat(300)}/USD`)) // no folder could hold it
        connection.send(btcBook('snapshot', 100, 101)) // book was not subscribed
        connection.send(candle('BTC/USD', 5)) // bars:5m was not subscribed
        connection.send(candle('BTC/USD', 1)) // bars:1m was
        connection.send(tradeFrame('update', 7, 7))
      })
      const feed = feedFor(fx, { symbols: ['BTC/USD'], channels: ['trades', 'bars:1m'] })
      const events = await collect(feed, sawTrade(7))
      expect(events.filter((e) => e.type !== 'status').map((e) => [e.type, e.symbol])).toEqual([
        ['bar', 'BTC/USD'],
        ['trade', 'BTC/USD'],
      ])
      expect(feed.stats.parseErrors).toBe(4)
    })
  })

  it('counts trades and book updates with implausible times as parse errors, leaving the book unchanged', async () => {
    await withFake(async (fx) => {
      scriptKraken(fx, (connection, request) => {
        connection.send(ackFor(request, 'BTC/USD'))
        if (request.params?.channel === 'book') {
          connection.send(btcBook('snapshot', 100, 101))
          // Right levels and checksum, impossible time: taken after the book changed, the local
          // book would run ahead of the consumer's with nothing to show it.
          connection.send(withField(btcBook('update', 99, 101, 100), 'timestamp', '2099-01-01T00:00:00.000000Z'))
          connection.send(withField(btcBook('update', 99, 101, 100), 'timestamp', '1999-01-01T00:00:00.000000Z'))
          connection.send(btcBook('update', 98, 101, 100))
        }
        if (request.params?.channel !== 'trade') return
        connection.send(withField(tradeFrame('update', 1, 1), 'timestamp', '2099-01-01T00:00:00.000000Z'))
        connection.send(withField(tradeFrame('update', 1, 1), 'timestamp', '1970-01-01T00:00:00.000000Z'))
        connection.send(tradeFrame('update', 2, 2))
      })
      const feed = feedFor(fx, { symbols: ['BTC/USD'], channels: ['trades', 'book'] })
      const events = await collect(feed, (seen) => sawTrade(2)(seen) && seen.filter((e) => e.type === 'book').length >= 2)
      const books = events.filter((e) => e.type === 'book')
      // Snapshot (bid 100), then the valid update (bid 100 removed, 98 added): the bad ones changed nothing.
      expect(books.map((e) => (e.type === 'book' ? [e.isSnapshot, e.bids] : []))).toEqual([
        [true, [{ price: 100, amount: 1 }]],
        [false, [{ price: 100, amount: 0 }, { price: 98, amount: 1 }]],
      ])
      expect(events.some((e) => e.type === 'status' && e.status === 'resync')).toBe(false)
      expect(events.filter((e) => e.type === 'trade').map((e) => (e.type === 'trade' ? e.id : ''))).toEqual(['2'])
      expect(feed.stats.parseErrors).toBe(4)
    })
  })
})
