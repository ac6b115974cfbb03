import { crc32 } from 'node:zlib'
import { OrderBook } from '@dccd/core'
import type { BookEvent, StatusEvent } from '@dccd/core'
import { describe, expect, it } from 'vitest'
import { BookSync } from '../src/book-sync.js'
import { BookSyncs } from './support/book-syncs.js'
import type { KrakenBookData } from '../src/wire.js'
import { readSession } from '../scripts/session.js'
import { ReferenceBook } from '../scripts/reference-book.js'
import type { WireLevel } from '../scripts/reference-book.js'
import { CAPTURE, levelsOf, referenceLevels } from './support/replay-books.js'

/** A receive time of today's order: exchange times must not lie a day past it. */
const NOW = 1_800_000_000_000_000

const capture = readSession(CAPTURE)

/** Checksum of a literal book through the independent reference implementation. */
function checksumOf(bids: WireLevel[], asks: WireLevel[], pp: number, qp: number): number {
  const book = new ReferenceBook()
  book.load(bids, asks)
  return book.checksum(pp, qp)
}

describe('BookSyncs', () => {
  it('emits resync for a corrupted level, then ignores updates until a new snapshot restores the book', () => {
    const sync = new BookSyncs(1000)
    const pairs = capture.find((line) => line.data.channel === 'instrument')!.data.data.pairs
    for (const pair of pairs) sync.setPrecision(pair.symbol, pair.price_precision, pair.qty_precision)
    const frames = capture.filter((line) => line.dir === 'in' && line.data.channel === 'book').map((line) => line.data)
    const firstUpdate = frames.findIndex((frame) => frame.type === 'update' && frame.data[0].symbol === 'XMR/USD')
    const corruptAt = frames.findIndex((frame, i) => i > firstUpdate + 50 && frame.data[0].symbol === 'XMR/USD')
    const events: (BookEvent | StatusEvent | undefined)[] = []
    const consumers = new Map<string, OrderBook>()
    const reference = new Map<string, ReferenceBook>()
    frames.forEach((frame, i) => {
      const entry = structuredClone(frame.data[0])
      let ref = reference.get(entry.symbol)
      if (ref === undefined) reference.set(entry.symbol, (ref = new ReferenceBook()))
      if (frame.type === 'snapshot') ref.load(entry.bids, entry.asks)
      else ref.apply(entry.bids, entry.asks)
      // One level arrives with a wrong quantity: the checksum must catch it.
      if (i === corruptAt) {
        const side = entry.bids.length > 0 ? entry.bids : entry.asks
        side[0] = { price: side[0].price, qty: side[0].qty + 1 }
      }
      const event = sync.apply(frame.type === 'snapshot', entry, NOW + i)
      events.push(event)
      if (event?.type === 'book') {
        let consumer = consumers.get(entry.symbol)
        if (consumer === undefined) consumers.set(entry.symbol, (consumer = new OrderBook()))
        consumer.apply(event)
      }
    })
    const resync = events[corruptAt] as StatusEvent
    expect(resync).toMatchObject({ type: 'status', status: 'resync', symbol: 'XMR/USD', channel: 'book' })
    expect(resync.reason).toContain(String(frames[corruptAt].data[0].checksum))
    expect(resync.reason).toMatch(/local book gives \d+/)
    // Only XMR/USD stops: its later updates are dropped, the others keep flowing and verifying.
    const later = events.slice(corruptAt + 1)
    expect(later.filter((event) => event?.type === 'status')).toEqual([])
    frames.slice(corruptAt + 1).forEach((frame, k) => {
      if (frame.data[0].symbol === 'XMR/USD') expect(later[k]).toBeUndefined()
      else expect(later[k]?.type).toBe('book')
    })
    expect(sync.isSynced('XMR/USD')).toBe(false)
    expect(sync.isSynced('ETH/CHF')).toBe(true)
    expect(sync.mismatchStreak('XMR/USD')).toBe(1)
    for (const symbol of ['WAVES/EUR', 'KSM/BTC', 'ETH/CHF', 'GRT/ETH']) {
      expect(levelsOf(consumers.get(symbol)!)).toEqual(referenceLevels(reference.get(symbol)!))
    }
    // The resubscription's snapshot: the true book with a checksum of its own.
    const truth = reference.get('XMR/USD')!
    const snapshot = sync.apply(
      true,
      { symbol: 'XMR/USD', bids: truth.top('bids'), asks: truth.top('asks'), checksum: truth.checksum(8, 8) },
      99,
    )
    expect(snapshot).toMatchObject({ type: 'book', isSnapshot: true, symbol: 'XMR/USD' })
    expect(levelsOf(sync.book('XMR/USD')!)).toEqual(referenceLevels(truth))
    expect(sync.isSynced('XMR/USD')).toBe(true)
  })

  it('verifies tiny quantities (0.00000001) and prices with trailing zeros', () => {
    const sync = new BookSyncs(10)
    sync.setPrecision('DOGE/USD', 7, 8)
    const bids = [{ price: 0.1, qty: 1e-8 }, { price: 0.0999, qty: 100 }]
    const asks = [{ price: 0.101, qty: 0.00000001 }, { price: 0.12, qty: 12345678.12345678 }]
    const checksum = checksumOf(bids, asks, 7, 8)
    // asks ascending then bids descending: 0.1010000→1010000, 0.00000001→1, 0.1200000→1200000, …
    expect(checksum).toBe(crc32('10100001' + '1200000' + '1234567812345678' + '10000001' + '999000' + '10000000000') >>> 0)
    const event = sync.apply(true, { symbol: 'DOGE/USD', bids, asks, checksum }, NOW + 5)
    expect(event).toMatchObject({ type: 'book', isSnapshot: true, bids: [{ price: 0.1, amount: 1e-8 }, { price: 0.0999, amount: 100 }] })
    const update = { symbol: 'DOGE/USD', bids: [{ price: 0.1, qty: 0 }], asks: [], checksum: 0, timestamp: '2024-01-02T03:04:05.000001Z' }
    update.checksum = checksumOf(bids.slice(1), asks, 7, 8)
    expect(sync.apply(false, update, NOW + 6)).toMatchObject({ type: 'book', isSnapshot: false, timestamp: 1704164645000001, localTimestamp: NOW + 6 })
  })

  it('applyUpdate (a scanned update) gives apply’s event, and refuses an implausible time before the book changes', () => {
    const bids = [{ price: 100, qty: 1 }]
    const asks = [{ price: 101, qty: 2 }]
    const synced = (): BookSync => {
      const sync = new BookSync('X/Y', 10, 0, 0)
      sync.apply(true, { symbol: 'X/Y', bids, asks, checksum: checksumOf(bids, asks, 0, 0) }, NOW)
      return sync
    }
    const checksum = checksumOf([{ price: 100, qty: 3 }], asks, 0, 0)
    const wire = { symbol: 'X/Y', bids: [{ price: 100, qty: 3 }], asks: [], checksum, timestamp: '2024-01-02T03:04:05.000001Z' }
    const scanned = { symbol: 'X/Y', bids: [{ price: 100, amount: 3 }], asks: [], checksum, timestamp: 1704164645000001 }
    expect(synced().applyUpdate(scanned, NOW + 1)).toEqual(synced().apply(false, wire, NOW + 1))
    const sync = synced()
    // A day and a second past the receive time: implausible, as the general path says of the same text.
    expect(() => sync.applyUpdate({ ...scanned, timestamp: NOW + 86_401_000_000 }, NOW)).toThrow(/Implausible Kraken timestamp/)
    expect(sync.book.bestBid()).toEqual({ price: 100, amount: 1 })
    expect(sync.synced).toBe(true)
  })

  it('formats with the precision from the latest instrument update', () => {
    const sync = new BookSyncs(10)
    sync.setPrecision('BTC/USD', 1, 8)
    const bids = [{ price: 50000.5, qty: 1 }]
    const asks = [{ price: 50001, qty: 2 }]
    expect(sync.apply(true, { symbol: 'BTC/USD', bids, asks, checksum: checksumOf(bids, asks, 1, 8) }, NOW + 1)?.type).toBe('book')
    sync.setPrecision('BTC/USD', 2, 8)
    const next = { symbol: 'BTC/USD', bids: [{ price: 50000.5, qty: 3 }], asks: [], checksum: 0 }
    next.checksum = checksumOf([{ price: 50000.5, qty: 3 }], asks, 2, 8)
    expect(sync.apply(false, next, NOW + 2)?.type).toBe('book')
  })

  it('cuts a snapshot thicker than the depth and emits the levels it keeps', () => {
    const sync = new BookSyncs(10)
    sync.setPrecision('X/Y', 0, 0)
    const bids = Array.from({ length: 12 }, (_, i) => ({ price: 100 - i, qty: 1 }))
    const asks = Array.from({ length: 3 }, (_, i) => ({ price: 101 + i, qty: 1 }))
    const event = sync.apply(true, { symbol: 'X/Y', bids, asks, checksum: checksumOf(bids, asks, 0, 0) }, NOW + 1) as BookEvent
    expect(event.bids.map((level) => level.price)).toEqual(bids.slice(0, 10).map((level) => level.price))
    expect(event.asks).toHaveLength(3)
    expect(sync.book('X/Y')!.bidCount).toBe(10)
  })

  it('reports pushed-out levels as removals, after the levels Kraken sent', () => {
    const sync = new BookSyncs(10)
    sync.setPrecision('X/Y', 0, 0)
    const bids = Array.from({ length: 10 }, (_, i) => ({ price: 100 - i, qty: 1 }))
    const asks = [{ price: 200, qty: 1 }]
    sync.apply(true, { symbol: 'X/Y', bids, asks, checksum: checksumOf(bids, asks, 0, 0) }, NOW + 1)
    const after = [{ price: 150, qty: 2 }, { price: 120, qty: 2 }, ...bids.slice(0, 8)]
    const event = sync.apply(
      false,
      { symbol: 'X/Y', bids: [{ price: 150, qty: 2 }, { price: 120, qty: 2 }], asks: [], checksum: checksumOf(after, asks, 0, 0) },
      2,
    ) as BookEvent
    expect(event.bids).toEqual([
      { price: 150, amount: 2 },
      { price: 120, amount: 2 },
      { price: 92, amount: 0 },
      { price: 91, amount: 0 },
    ])
    expect(event.asks).toEqual([])
  })

  // Found by feed.chaos.test.ts: the first level was applied before the second failed, so a rejected frame left an
  // extra level below the checksummed top 10, and the next update's truncation emitted the removal of a real one.
  it('rejects an update with a malformed level before it touches the book', () => {
    const sync = new BookSyncs(25)
    sync.setPrecision('X/Y', 0, 0)
    const bids = Array.from({ length: 25 }, (_, i) => ({ price: 1000 - 2 * i, qty: 1 }))
    const asks = [{ price: 2000, qty: 1 }]
    sync.apply(true, { symbol: 'X/Y', bids, asks, checksum: checksumOf(bids, asks, 0, 0) }, NOW + 1)
    for (const bad of [{ price: 'abc', qty: 1 }, { price: 961, qty: -1 }, { price: 961, qty: null }, { price: Infinity, qty: 1 }, null]) {
      // A valid-looking insert at the 21st level (below the checksummed top 10), then the malformed level.
      const entry = { symbol: 'X/Y', bids: [{ price: 961, qty: 5 }, bad], asks: [], checksum: 0 } as unknown as KrakenBookData
      expect(() => sync.apply(false, entry, NOW + 2), JSON.stringify(bad)).toThrow()
    }
    expect(() => sync.apply(false, { symbol: 'X/Y', bids: [], asks: {}, checksum: 0 } as unknown as KrakenBookData, NOW + 2)).toThrow()
    expect(levelsOf(sync.book('X/Y')!).bids).toEqual(bids.map(({ price, qty }) => ({ price, amount: qty })))
    // The next real update verifies and removes nothing it should not.
    const next = [{ price: 1000, qty: 3 }, ...bids.slice(1)]
    const event = sync.apply(false, { symbol: 'X/Y', bids: [{ price: 1000, qty: 3 }], asks: [], checksum: checksumOf(next, asks, 0, 0) }, NOW + 3)
    expect(event).toMatchObject({ type: 'book', bids: [{ price: 1000, amount: 3 }], asks: [] })
  })

  it('counts consecutive mismatches until an update verifies', () => {
    const sync = new BookSyncs(10)
    sync.setPrecision('X/Y', 0, 0)
    const bids = [{ price: 1, qty: 1 }]
    expect(sync.apply(true, { symbol: 'X/Y', bids, asks: [], checksum: 1 }, NOW + 1)?.type).toBe('status')
    expect(sync.apply(true, { symbol: 'X/Y', bids, asks: [], checksum: 1 }, NOW + 1)?.type).toBe('status')
    expect(sync.mismatchStreak('X/Y')).toBe(2)
    sync.apply(true, { symbol: 'X/Y', bids, asks: [], checksum: checksumOf(bids, [], 0, 0) }, NOW + 1)
    expect(sync.mismatchStreak('X/Y')).toBe(2)
    const next = [{ price: 1, qty: 2 }]
    sync.apply(false, { symbol: 'X/Y', bids: next, asks: [], checksum: checksumOf(next, [], 0, 0) }, NOW + 1)
    expect(sync.mismatchStreak('X/Y')).toBe(0)
  })

  it('drops every book on reset and waits for snapshots', () => {
    const sync = new BookSyncs(10)
    sync.setPrecision('X/Y', 0, 0)
    const bids = [{ price: 1, qty: 1 }]
    sync.apply(true, { symbol: 'X/Y', bids, asks: [], checksum: checksumOf(bids, [], 0, 0) }, NOW + 1)
    sync.reset()
    expect(sync.book('X/Y')!.bidCount).toBe(0)
    expect(sync.apply(false, { symbol: 'X/Y', bids, asks: [], checksum: checksumOf(bids, [], 0, 0) }, NOW + 1)).toBeUndefined()
  })

  it('accepts only the depths Kraken serves', () => {
    expect(() => new BookSync('X/Y', 5, 0, 0)).toThrow(expect.objectContaining({ code: 'DCCD_INVALID_ARGUMENT' }))
    expect(new BookSync('X/Y', 25, 0, 0).depth).toBe(25)
  })
})
