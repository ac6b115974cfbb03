/**
 * The real 2022 OKX capture (test/fixtures/v5-2022-05-13.jsonl) through the feed on a fake OKX:
 * its books carry real checksums and no seqId, so the checksum is the continuity check, and
 * every one of the 197 must verify (no resync). The consumer's book, built from the emitted
 * events alone, must equal the book built from the capture's frames after every message.
 */
import type { BookEvent, MarketEvent } from '@dccd/core'
import { FakeExchange, loadSession } from '@dccd/testkit'
import { EventCollector, ReferenceBook } from '@dccd/testkit/helpers'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { exchange } from '../src/index.js'
import type { OkxBookData, OkxPush } from '../src/index.js'

const session = loadSession(new URL('./fixtures/v5-2022-05-13.jsonl', import.meta.url))
const bookFrames = session.flatMap((frame) => {
  const push = frame.data as OkxPush<OkxBookData> | null
  return frame.dir === 'in' && push?.arg?.channel === 'books' && Array.isArray(push.data) ? [push as OkxPush<OkxBookData> & { arg: { instId: string } }] : []
})
const tradeRows = session.filter((frame) => frame.dir === 'in' && (frame.data as OkxPush | null)?.arg?.channel === 'trades' && Array.isArray((frame.data as OkxPush).data)).length

let fx: FakeExchange | undefined
afterEach(async () => {
  await fx?.close()
  fx = undefined
})

describe('the 2022 OKX capture', () => {
  it('holds 197 books messages with checksums and no seqId, and 73 trades', () => {
    expect(bookFrames).toHaveLength(197)
    expect(bookFrames.every((push) => push.data[0]!.checksum !== 0 && push.data[0]!.seqId === undefined)).toBe(true)
    expect(tradeRows).toBe(73)
  })

  it('streams through the feed with every checksum verified, no resync, and books equal to the capture after every message', async () => {
    fx = await FakeExchange.start()
    // The capture's client sent three cumulative requests; the adapter sends one.
    fx.replay(session, { waitForClient: false })
    const feed = exchange.createFeed({ symbols: ['BTC-USDT', 'BTC-USD-220527'], channels: ['trades', 'book'], wsUrl: fx.wsUrl, restUrl: fx.restUrl })
    const collector = new EventCollector(feed)
    const books = (events: readonly MarketEvent[]): BookEvent[] => events.filter((e): e is BookEvent => e.type === 'book')
    try {
      await collector.until((events) => books(events).length === 197 && events.filter((e) => e.type === 'trade').length === 73, '197 books and 73 trades')
    } finally {
      await feed.stop()
    }
    const statuses = collector.events.filter((e) => e.type === 'status')
    expect(statuses.filter((e) => e.status === 'resync' || e.status === 'gap')).toEqual([])
    const consumer = new Map<string, ReferenceBook>()
    const truth = new Map<string, ReferenceBook>()
    const emitted = books(collector.events)
    bookFrames.forEach((push, i) => {
      const instId = push.arg.instId
      const row = push.data[0]!
      const reference = truth.get(instId) ?? new ReferenceBook()
      truth.set(instId, reference)
      reference.apply({
        isSnapshot: push.action === 'snapshot',
        bids: row.bids.map((level) => ({ price: Number(level[0]), amount: Number(level[1]) })),
        asks: row.asks.map((level) => ({ price: Number(level[0]), amount: Number(level[1]) })),
      })
      const event = emitted[i]!
      expect(event.symbol).toBe(instId)
      const book = consumer.get(instId) ?? new ReferenceBook()
      consumer.set(instId, book)
      book.apply(event)
      expect(reference.difference(book), `after message ${i + 1} (${instId})`).toBeUndefined()
    })
    expect(feed.stats.parseErrors).toBe(27) // the capture's tickers, which the feed did not subscribe to
  })

  it('keeps its books when a replay sends every frame to every socket (candles open a /business connection too)', async () => {
    fx = await FakeExchange.start()
    fx.replay(session, { waitForClient: false })
    const feed = exchange.createFeed({ symbols: ['BTC-USDT', 'BTC-USD-220527'], channels: ['trades', 'book', 'bars:1m'], wsUrl: fx.wsUrl, restUrl: fx.restUrl })
    const collector = new EventCollector(feed)
    try {
      await collector.until((events) => events.filter((e) => e.type === 'book').length === 197, '197 books')
      // The copies on the /business socket are refused there, never applied to a book: no event says when
      // they are all read, so the feed's counter is polled. Tickers twice (27 × 2) and 197 book copies.
      await vi.waitFor(() => expect(feed.stats.parseErrors).toBe(27 * 2 + 197), { timeout: 8000 })
    } finally {
      await feed.stop()
    }
    expect(collector.events.filter((e) => e.type === 'status' && (e.status === 'resync' || e.status === 'gap'))).toEqual([])
    expect(new Set(collector.events.filter((e) => e.type === 'trade').map((e) => (e.type === 'trade' ? e.id : ''))).size).toBe(73)
  })
})
