import { describe, expect, it } from 'vitest'
import type { BookEvent, MarketEvent, StatusEvent } from '@dccd/core'
import { BookSync } from '../src/book-sync.js'
import { FUTURES_DEPTH_CONTINUITY } from '../src/depth-continuity.js'
import type { BinanceDepthUpdate, DepthIdsHolder } from '../src/parse.js'

const T = 1_700_000_000_000_000

function update(first: number, final: number, price = final): BinanceDepthUpdate {
  return {
    type: 'depthUpdate',
    symbol: 'BTCUSDT',
    firstUpdateId: first,
    finalUpdateId: final,
    event: {
      type: 'book',
      exchange: 'binance',
      symbol: 'BTCUSDT',
      isSnapshot: false,
      bids: [{ price, amount: 1 }],
      asks: [],
      timestamp: T,
      localTimestamp: T,
    },
  }
}

function snapshot(lastUpdateId: number) {
  return { lastUpdateId, bids: [['100.5', '2'] as [string, string]], asks: [['101', '3'] as [string, string]] }
}

function setup() {
  const requests: string[] = []
  const sync = new BookSync('BTCUSDT', { requestSnapshot: (symbol) => requests.push(symbol) })
  const out: MarketEvent[] = []
  return { sync, requests, out }
}

/** Update-id ranges of the deltas emitted, and 'S<id>' for snapshots, 'R' for resyncs. */
function trace(events: MarketEvent[]): string[] {
  return events.map((e) =>
    e.type === 'status' ? 'R' : (e as BookEvent).isSnapshot ? 'S' : `d${(e as BookEvent).bids[0]!.price}`,
  )
}

describe('BookSync', () => {
  it('buffers until the snapshot, then emits it and only the events after lastUpdateId', () => {
    const { sync, requests, out } = setup()
    sync.onUpdate(update(10, 12), out)
    sync.onUpdate(update(13, 14), out)
    sync.onUpdate(update(15, 17), out)
    expect(requests).toEqual(['BTCUSDT'])
    expect(out).toEqual([])
    sync.onSnapshot(snapshot(14), T, out)
    expect(trace(out)).toEqual(['S', 'd17'])
    expect(out[0]).toMatchObject({
      type: 'book',
      symbol: 'BTCUSDT',
      isSnapshot: true,
      bids: [{ price: 100.5, amount: 2 }],
      asks: [{ price: 101, amount: 3 }],
    })
    expect(sync.state).toBe('live')
    expect(sync.bookId).toBe(17)
  })

  it('accepts a first event that starts right after lastUpdateId (U == lastUpdateId + 1)', () => {
    const { sync, out } = setup()
    sync.onUpdate(update(15, 17), out)
    sync.onSnapshot(snapshot(14), T, out)
    expect(trace(out)).toEqual(['S', 'd17'])
  })

  it('applies a first event that straddles lastUpdateId + 1', () => {
    const { sync, out } = setup()
    sync.onUpdate(update(10, 20), out)
    sync.onSnapshot(snapshot(14), T, out)
    expect(trace(out)).toEqual(['S', 'd20'])
  })

  it('refetches a snapshot that is older than the first buffered event and emits nothing from it', () => {
    const { sync, requests, out } = setup()
    sync.onUpdate(update(20, 22), out)
    sync.onSnapshot(snapshot(18), T, out)
    expect(out).toEqual([])
    expect(requests).toHaveLength(2)
    expect(sync.stats.refetches).toBe(1)
    sync.onUpdate(update(23, 23), out)
    sync.onSnapshot(snapshot(22), T, out)
    expect(trace(out)).toEqual(['S', 'd23'])
  })

  it('waits for the stream when the snapshot is newer than everything buffered', () => {
    const { sync, out } = setup()
    sync.onUpdate(update(1, 2), out)
    sync.onSnapshot(snapshot(5), T, out)
    expect(trace(out)).toEqual(['S'])
    sync.onUpdate(update(3, 5), out)
    sync.onUpdate(update(6, 6), out)
    expect(trace(out)).toEqual(['S', 'd6'])
  })

  it('emits resync with the reason on a gap, never the unproven delta, and resyncs keeping the stream', () => {
    const { sync, requests, out } = setup()
    sync.onUpdate(update(1, 1), out)
    sync.onSnapshot(snapshot(0), T, out)
    sync.onUpdate(update(2, 3), out)
    out.length = 0
    sync.onUpdate(update(5, 6), out) // 4 is missing
    expect(out).toHaveLength(1)
    const status = out[0] as StatusEvent
    expect(status).toMatchObject({ type: 'status', status: 'resync', symbol: 'BTCUSDT', channel: 'book' })
    expect(status.reason).toContain('4')
    expect(requests).toHaveLength(2)
    // Stream keeps flowing while the new snapshot is fetched; nothing is emitted or lost.
    sync.onUpdate(update(7, 7), out)
    sync.onUpdate(update(8, 9), out)
    expect(out).toHaveLength(1)
    sync.onSnapshot(snapshot(7), T, out)
    expect(trace(out)).toEqual(['R', 'S', 'd9'])
    expect(sync.stats.resyncs).toBe(1)
  })

  it('keeps a hole inside the buffer from reaching the book', () => {
    const { sync, out } = setup()
    sync.onUpdate(update(1, 2), out)
    sync.onUpdate(update(5, 6), out) // 3..4 missing while buffering: restart from here
    sync.onSnapshot(snapshot(2), T, out) // proves 1..2 only: too old for the new buffer
    expect(out).toEqual([])
    expect(sync.stats.refetches).toBe(1)
    sync.onSnapshot(snapshot(5), T, out)
    expect(trace(out)).toEqual(['S', 'd6'])
  })

  it('drops duplicated and already-covered events and applies an overlapping one', () => {
    const { sync, out } = setup()
    sync.onUpdate(update(1, 1), out)
    sync.onUpdate(update(1, 1), out)
    sync.onSnapshot(snapshot(0), T, out)
    sync.onUpdate(update(2, 4), out)
    sync.onUpdate(update(2, 4), out) // the same event from a second connection
    sync.onUpdate(update(3, 6), out) // overlaps: 5..6 are new
    expect(trace(out)).toEqual(['S', 'd1', 'd4', 'd6'])
    expect(sync.bookId).toBe(6)
  })

  it('invalidates a live book with a resync marker and restarts from the next event', () => {
    const { sync, requests, out } = setup()
    sync.onUpdate(update(1, 1), out)
    sync.onSnapshot(snapshot(0), T, out)
    out.length = 0
    sync.invalidate('connection lost', T, out)
    expect(out).toEqual([
      expect.objectContaining({ type: 'status', status: 'resync', symbol: 'BTCUSDT', reason: 'connection lost' }),
    ])
    expect(sync.state).toBe('idle')
    sync.onUpdate(update(50, 51), out)
    expect(requests).toHaveLength(2)
    sync.onSnapshot(snapshot(50), T, out)
    expect(trace(out)).toEqual(['R', 'S', 'd51'])
  })

  it('judges a snapshot still in flight at invalidation against the new stream', () => {
    const { sync, requests, out } = setup()
    sync.onUpdate(update(1, 1), out)
    sync.invalidate('connection lost', T, out)
    expect(out).toEqual([]) // never live: nothing to invalidate for consumers
    sync.onUpdate(update(40, 41), out)
    expect(requests).toHaveLength(1) // the request in flight serves the new stream
    sync.onSnapshot(snapshot(5), T, out) // too old for 40..41
    expect(requests).toHaveLength(2)
    expect(out).toEqual([])
  })

  it('discards a snapshot that arrives when no stream is buffered', () => {
    const { sync, out } = setup()
    sync.onUpdate(update(1, 1), out)
    sync.invalidate('connection lost', T, out)
    sync.onSnapshot(snapshot(1), T, out)
    expect(out).toEqual([])
    expect(sync.fetching).toBe(false)
  })

  it('asks again after a failed snapshot request', () => {
    const { sync, requests, out } = setup()
    sync.onUpdate(update(1, 1), out)
    sync.onSnapshotFailed()
    expect(requests).toHaveLength(2)
    expect(sync.fetching).toBe(true)
  })

  it('bounds the buffer by dropping the oldest events', () => {
    const requests: string[] = []
    const sync = new BookSync('BTCUSDT', { requestSnapshot: (s) => requests.push(s), maxBuffered: 3 })
    const out: MarketEvent[] = []
    for (let id = 1; id <= 5; id++) sync.onUpdate(update(id, id), out)
    expect(sync.buffered).toBe(3)
    sync.onSnapshot(snapshot(1), T, out) // 2 is gone: too old now
    expect(out).toEqual([])
    sync.onSnapshot(snapshot(2), T, out)
    expect(trace(out)).toEqual(['S', 'd3', 'd4', 'd5'])
  })

  it('keeps exactly the newest maxBuffered events however long the snapshot takes (the buffer is cut many times over)', () => {
    const sync = new BookSync('BTCUSDT', { requestSnapshot: () => {}, maxBuffered: 4 })
    const out: MarketEvent[] = []
    for (let id = 1; id <= 23; id++) {
      sync.onUpdate(update(id, id), out)
      expect(sync.buffered).toBe(Math.min(id, 4))
    }
    sync.onSnapshot(snapshot(18), T, out) // 20..23 are kept: a snapshot must reach 19
    expect(out).toEqual([])
    sync.onSnapshot(snapshot(21), T, out)
    expect(trace(out)).toEqual(['S', 'd22', 'd23'])
    sync.onUpdate(update(24, 24), out)
    expect(trace(out)).toEqual(['S', 'd22', 'd23', 'd24'])
  })

  it('reads the ids given to onDepth during the call only: one holder reused for every event, the pu chain kept through the buffer', () => {
    const requests: string[] = []
    const sync = new BookSync('BTCUSDT', { requestSnapshot: (s) => requests.push(s), continuity: FUTURES_DEPTH_CONTINUITY })
    const out: MarketEvent[] = []
    const holder: DepthIdsHolder = { firstUpdateId: 0, finalUpdateId: 0, previousUpdateId: undefined }
    const feed = (first: number, final: number, previous: number): void => {
      holder.firstUpdateId = first
      holder.finalUpdateId = final
      holder.previousUpdateId = previous
      sync.onDepth(holder, update(first, final).event, out)
    }
    feed(100, 110, 90)
    feed(111, 120, 110)
    feed(121, 130, 120)
    feed(131, 140, 125) // pu breaks the chain inside the buffer: only this one and later are kept
    feed(141, 150, 140)
    expect(sync.buffered).toBe(2)
    sync.onSnapshot(snapshot(145), T, out)
    feed(151, 160, 150)
    feed(161, 170, 155) // a gap while live
    expect(trace(out)).toEqual(['S', 'd150', 'd160', 'R'])
    expect((out[3] as StatusEvent).reason).toContain('pu 155')
    expect(requests).toEqual(['BTCUSDT', 'BTCUSDT'])
  })
})
