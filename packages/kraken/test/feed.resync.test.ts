import type { MarketEvent, StatusEvent } from '@dccd/core'
import { describe, expect, it } from 'vitest'
import { ReferenceBook } from '../scripts/reference-book.js'
import { readSession } from '../scripts/session.js'
import type { SessionLine } from '../scripts/session.js'
import { collect, consumerBooks, feedFor, isSentinel, referenceBooks, sentinelTrade, withFake } from './support/feed-harness.js'
import { CAPTURE, levelsOf, referenceLevels } from './support/replay-books.js'

const SYMBOLS = ['XMR/USD', 'WAVES/EUR', 'KSM/BTC', 'ETH/CHF', 'GRT/ETH']
const isBookOf = (symbol: string) => (line: SessionLine) => line.dir === 'in' && line.data?.channel === 'book' && line.data.data[0].symbol === symbol

/**
 * The capture with one XMR/USD level corrupted, followed (after a few more frames) by what
 * Kraken answers to an unsubscribe + subscribe of that book: acks and a fresh snapshot.
 */
function corruptedSession(): { session: SessionLine[]; truth: SessionLine[]; corruptChecksum: number } {
  const truth = readSession(CAPTURE)
  const xmrUpdates = truth.flatMap((line, i) => (isBookOf('XMR/USD')(line) && line.data.type === 'update' ? [i] : []))
  const corruptAt = xmrUpdates[60]!
  // Forty more frames (XMR/USD updates among them) are in flight before Kraken takes the unsubscribe.
  const resumeAt = corruptAt + 41
  const inFlight = truth.slice(corruptAt + 1, resumeAt)
  if (!inFlight.some(isBookOf('XMR/USD')) || !inFlight.some((line) => line.data?.channel === 'book' && !isBookOf('XMR/USD')(line))) {
    throw new Error('the frames in flight should mix XMR/USD and other books')
  }
  const session = truth.slice(0, resumeAt).map((line) => structuredClone(line))
  const entry = session[corruptAt]!.data.data[0]
  const side = entry.bids.length > 0 ? entry.bids : entry.asks
  side[0].qty = side[0].qty + 1
  const book = referenceBooks(truth.slice(0, resumeAt), 1000).get('XMR/USD')!
  const t = truth[resumeAt - 1]!.t
  session.push(
    { t, dir: 'out', data: { method: 'unsubscribe', params: { channel: 'book', symbol: ['XMR/USD'], depth: 1000 } } },
    { t, dir: 'out', data: { method: 'subscribe', params: { channel: 'book', symbol: ['XMR/USD'], depth: 1000, snapshot: true } } },
    { t, dir: 'in', data: { method: 'unsubscribe', result: { channel: 'book', depth: 1000, symbol: 'XMR/USD' }, success: true } },
    { t, dir: 'in', data: { method: 'subscribe', result: { channel: 'book', depth: 1000, snapshot: true, symbol: 'XMR/USD' }, success: true } },
    { t, dir: 'in', data: { channel: 'book', type: 'snapshot', data: [snapshotOf('XMR/USD', book)] } },
    ...truth.slice(resumeAt),
  )
  return { session, truth, corruptChecksum: entry.checksum }
}

function snapshotOf(symbol: string, book: ReferenceBook): object {
  return { symbol, bids: book.top('bids'), asks: book.top('asks'), checksum: book.checksum(8, 8) }
}

describe('KrakenFeed on a checksum mismatch', () => {
  it('emits resync for that symbol only, resubscribes its book and rebuilds it from the new snapshot', async () => {
    const { session, truth, corruptChecksum } = corruptedSession()
    let events: MarketEvent[] = []
    await withFake(async (fx) => {
      fx.replay([...session, sentinelTrade(session, 'XMR/USD')])
      events = await collect(feedFor(fx, { symbols: SYMBOLS, bookDepth: 1000 }), (seen) => isSentinel(seen.at(-1)))
      const sent = fx.connections[0]!.messages.map((text) => JSON.parse(text))
      expect(sent.slice(3)).toEqual([
        { method: 'unsubscribe', params: { channel: 'book', symbol: ['XMR/USD'], depth: 1000 }, req_id: expect.any(Number) },
        { method: 'subscribe', params: { channel: 'book', symbol: ['XMR/USD'], depth: 1000, snapshot: true }, req_id: expect.any(Number) },
      ])
      expect(fx.connections).toHaveLength(1)
    })
    const statuses = events.filter((event): event is StatusEvent => event.type === 'status' && event.status !== 'connected')
    expect(statuses).toHaveLength(1)
    expect(statuses[0]).toMatchObject({ status: 'resync', symbol: 'XMR/USD', channel: 'book' })
    expect(statuses[0]!.reason).toContain(`Kraken sent ${corruptChecksum}`)
    const resyncAt = events.indexOf(statuses[0]!)
    const snapshotAt = events.findIndex((event, i) => i > resyncAt && event.type === 'book' && event.symbol === 'XMR/USD')
    expect(events[snapshotAt]).toMatchObject({ type: 'book', isSnapshot: true })
    // Other books kept flowing while XMR/USD waited for its snapshot.
    const between = events.slice(resyncAt + 1, snapshotAt)
    expect(between.some((event) => event.type === 'book' && event.symbol !== 'XMR/USD')).toBe(true)
    // Every book, XMR/USD included, ends equal to the uncorrupted truth.
    const reference = referenceBooks(truth, 1000)
    const consumer = consumerBooks(events)
    for (const symbol of SYMBOLS) expect(levelsOf(consumer.get(symbol)!)).toEqual(referenceLevels(reference.get(symbol)!))
  })

  it('gives up with ChecksumMismatchError when snapshots keep disagreeing (wrong precision)', async () => {
    const truth = readSession(CAPTURE)
    // Claim XMR/USD prices have 2 decimals: every XMR/USD checksum then disagrees.
    const session = truth.map((line) =>
      line.data?.channel === 'instrument'
        ? { ...line, data: { ...line.data, data: { ...line.data.data, pairs: line.data.data.pairs.map((p: { symbol: string }) => (p.symbol === 'XMR/USD' ? { ...p, price_precision: 2 } : p)) } } }
        : line,
    )
    const snapshot = truth.find((line) => isBookOf('XMR/USD')(line) && line.data.type === 'snapshot')!
    const again = (n: number): SessionLine[] => [
      { t: 0, dir: 'out', data: { n: 2 * n + 4 } },
      { t: 0, dir: 'out', data: { n: 2 * n + 5 } },
      snapshot,
    ]
    await withFake(async (fx) => {
      fx.replay([...session.slice(0, session.indexOf(snapshot) + 1), ...again(0), ...again(1)])
      const feed = feedFor(fx, { symbols: ['XMR/USD'], bookDepth: 1000 })
      const error = await collect(feed, () => false).catch((e: unknown) => e)
      expect(error).toMatchObject({ code: 'DCCD_CHECKSUM_MISMATCH', symbol: 'XMR/USD' })
      expect(fx.connections[0]!.messages.filter((text) => text.includes('"unsubscribe"'))).toHaveLength(2)
    })
  })
})
