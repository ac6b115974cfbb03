import { afterEach, describe, expect, it } from 'vitest'
import type { MarketEvent } from '@dccd/core'
import { FakeExchange } from '@dccd/testkit'
import { delivery, futures } from '../src/index.js'
import { futuresDepthFrame, futuresSnapshotBody } from './support/futures-frames.js'
import { Reader, count } from './support/reader.js'
import { bookOf, trace } from './support/book-trace.js'

let fx: FakeExchange | undefined
afterEach(async () => {
  await fx?.close()
  fx = undefined
})

const FAST = { initialBackoffMs: 20, maxBackoffMs: 100, jitter: 0, closeTimeoutMs: 200 }


const of = (events: readonly MarketEvent[], symbol: string): MarketEvent[] =>
  events.filter((e) => (e.type === 'status' ? e.symbol === undefined || e.symbol === symbol : 'symbol' in e && e.symbol === symbol))

describe('futures book sync over a socket (COIN-M)', () => {
  it('starts the pu chain from the event whose u equals lastUpdateId without emitting it again, and drops the events before', async () => {
    fx = await FakeExchange.start()
    fx.route('GET', '/dapi/v1/depth', () => ({ body: futuresSnapshotBody(205, [['10', '1']], [['20', '1']]) }))
    const feed = delivery.createFeed({ symbols: ['BTCUSD_PERP'], channels: ['book'], wsUrl: fx.wsUrl, restUrl: fx.restUrl, ...FAST })
    const reader = new Reader(feed)
    const conn = await fx.waitForConnection()
    // Ids are shared by every symbol: U is never the previous u + 1, pu chains the events.
    conn.send(futuresDepthFrame('BTCUSD_PERP', 150, 180, 120, [['9', '1']]))
    // Every change of 190..205 is in the snapshot at 205: it starts the chain, and is not emitted.
    conn.send(futuresDepthFrame('BTCUSD_PERP', 190, 205, 180, [['10', '1']]))
    conn.send(futuresDepthFrame('BTCUSD_PERP', 230, 240, 205, [['11', '2']]))
    conn.send(futuresDepthFrame('BTCUSD_PERP', 250, 260, 240, [['12', '3']]))
    const events = await reader.until((e) => count(e, (x) => x.type === 'book') === 3, 'snapshot and two deltas')
    await feed.stop()
    expect(trace(events)).toEqual(['connected', 'S', 'd', 'd'])
    expect(fx.restRequests.filter((r) => r.path === '/dapi/v1/depth')[0]!.query.get('limit')).toBe('1000')
    // The snapshot's time is its transaction time T; a delta's the event's T.
    expect(events[1]).toMatchObject({ exchange: 'binance-delivery', timestamp: (1_700_000_000_000 + 205) * 1000 })
    expect(events[2]).toMatchObject({ bids: [{ price: 11, amount: 2 }], timestamp: (1_700_000_000_000 + 240) * 1000 })
    expect([...bookOf(events).bids()]).toEqual([
      { price: 12, amount: 3 },
      { price: 11, amount: 2 },
      { price: 10, amount: 1 },
    ])
  })

  it('emits one resync for the symbol whose pu chain breaks, then a fresh snapshot and a correct book, and leaves the other symbol alone', async () => {
    fx = await FakeExchange.start()
    const btcSnapshots = [
      futuresSnapshotBody(100, [['10', '1']], [['20', '1']]),
      // The exchange's book after the event the client never got (140..150: 12 @ 3) and 170..180.
      futuresSnapshotBody(180, [['10', '1'], ['11', '1'], ['12', '3'], ['13', '4']], [['20', '1']]),
    ]
    fx.route('GET', '/dapi/v1/depth', (request) =>
      request.query.get('symbol') === 'ETHUSD_PERP' ? { body: futuresSnapshotBody(101, [['1', '1']], [['2', '1']]) } : { body: btcSnapshots.shift() ?? btcSnapshots.at(-1) },
    )
    const feed = delivery.createFeed({ symbols: ['BTCUSD_PERP', 'ETHUSD_PERP'], channels: ['book'], wsUrl: fx.wsUrl, restUrl: fx.restUrl, ...FAST })
    const reader = new Reader(feed)
    const conn = await fx.waitForConnection()
    conn.send(futuresDepthFrame('BTCUSD_PERP', 95, 110, 90, [['11', '1']]))
    conn.send(futuresDepthFrame('ETHUSD_PERP', 99, 111, 91, [['1', '2']]))
    await reader.until((e) => count(e, (x) => x.type === 'book') === 4, 'both books live')
    conn.send(futuresDepthFrame('BTCUSD_PERP', 120, 130, 110, [['11', '1']]))
    // 140..150 (pu 130) never arrives; the next event names pu 150.
    conn.send(futuresDepthFrame('BTCUSD_PERP', 170, 180, 150, [['13', '4']]))
    conn.send(futuresDepthFrame('ETHUSD_PERP', 160, 175, 111, [['1', '3']]))
    conn.send(futuresDepthFrame('BTCUSD_PERP', 190, 200, 180, [['14', '5']]))
    const events = await reader.until(
      (e) => count(e, (x) => x.type === 'book' && x.symbol === 'BTCUSD_PERP') === 5 && count(e, (x) => x.type === 'book' && x.symbol === 'ETHUSD_PERP') === 3,
      'the BTC resync and the ETH delta',
    )
    await feed.stop()
    // After the resync the buffered 170..180 ends at the new snapshot's lastUpdateId 180 (held in it: not
    // emitted again); 190..200 follows it.
    expect(trace(of(events, 'BTCUSD_PERP'))).toEqual(['connected', 'S', 'd', 'd', 'resync', 'S', 'd'])
    expect(trace(of(events, 'ETHUSD_PERP'))).toEqual(['connected', 'S', 'd', 'd'])
    const resyncs = events.filter((e) => e.type === 'status' && e.status === 'resync')
    expect(resyncs).toEqual([expect.objectContaining({ exchange: 'binance-delivery', symbol: 'BTCUSD_PERP', channel: 'book' })])
    expect((resyncs[0] as { reason: string }).reason).toContain('pu 130')
    expect([...bookOf(of(events, 'BTCUSD_PERP')).bids()]).toEqual([
      { price: 14, amount: 5 },
      { price: 13, amount: 4 },
      { price: 12, amount: 3 },
      { price: 11, amount: 1 },
      { price: 10, amount: 1 },
    ])
    expect([...bookOf(of(events, 'ETHUSD_PERP')).bids()]).toEqual([{ price: 1, amount: 3 }])
    expect(fx.connections).toHaveLength(1)
  })

  it('asks again for a snapshot older than the first buffered event (U > lastUpdateId), never emitting it', async () => {
    fx = await FakeExchange.start()
    const bodies = [futuresSnapshotBody(90, [['9', '9']]), futuresSnapshotBody(105, [['10', '1']])]
    fx.route('GET', '/dapi/v1/depth', () => ({ body: bodies.shift() ?? futuresSnapshotBody(105, [['10', '1']]) }))
    const feed = delivery.createFeed({ symbols: ['BTCUSD_PERP'], channels: ['book'], wsUrl: fx.wsUrl, restUrl: fx.restUrl, ...FAST })
    const reader = new Reader(feed)
    const conn = await fx.waitForConnection()
    conn.send(futuresDepthFrame('BTCUSD_PERP', 100, 110, 95, [['10', '1']]))
    conn.send(futuresDepthFrame('BTCUSD_PERP', 120, 130, 110, [['11', '1']]))
    const events = await reader.until((e) => count(e, (x) => x.type === 'book') === 3, 'snapshot and two deltas')
    await feed.stop()
    expect(trace(events)).toEqual(['connected', 'S', 'd', 'd'])
    expect(fx.restRequests.filter((r) => r.path === '/dapi/v1/depth')).toHaveLength(2)
    expect(events[1]).toMatchObject({ bids: [{ price: 10, amount: 1 }] })
  })
})

describe('futures book sync across routed connections (USDⓈ-M)', () => {
  it('resyncs the books when the /public connection drops, not when the /market one does, and names the channels in the markers', async () => {
    fx = await FakeExchange.start()
    let snapshot = 100
    fx.route('GET', '/fapi/v1/depth', () => ({ body: futuresSnapshotBody(snapshot, [['10', '1']]) }))
    const feed = futures.createFeed({ symbols: ['BTCUSDT'], channels: ['book', 'trades'], wsUrl: fx.wsUrl, restUrl: fx.restUrl, ...FAST })
    const reader = new Reader(feed)
    await fx.waitForConnection(2)
    const path = (route: string) => fx!.connections.filter((c) => c.isOpen && c.path.startsWith(route)).at(-1)!
    path('/public').send(futuresDepthFrame('BTCUSDT', 95, 100, 90, [['10', '1']]))
    await reader.until((e) => count(e, (x) => x.type === 'book') === 1, 'the book live')
    path('/market').terminate()
    await fx.waitForConnection(3)
    await reader.until((e) => count(e, (x) => x.type === 'status' && x.status === 'connected') === 3, 'the /market connection back')
    path('/public').send(futuresDepthFrame('BTCUSDT', 101, 102, 100, [['11', '1']]))
    await reader.until((e) => count(e, (x) => x.type === 'book') === 2, 'a delta after the /market drop, no resync')
    snapshot = 300
    path('/public').terminate()
    await fx.waitForConnection(4)
    path('/public').send(futuresDepthFrame('BTCUSDT', 290, 300, 280, [['30', '3']]))
    const events = await reader.until((e) => count(e, (x) => x.type === 'book' && x.isSnapshot) === 2, 'the book resynced from a fresh snapshot')
    await feed.stop()
    const markers = events
      .filter((e) => e.type === 'status')
      .map((e) => (e.type === 'status' ? [e.status, e.symbol, e.channel].filter(Boolean).join(' ') : ''))
    expect(markers).toEqual([
      // Both paths come up (in either order), then the /market drop and return, then the /public one.
      ...(markers[0] === 'connected BTCUSDT book' ? ['connected BTCUSDT book', 'connected BTCUSDT trades'] : ['connected BTCUSDT trades', 'connected BTCUSDT book']),
      'disconnected BTCUSDT trades',
      'connected BTCUSDT trades',
      'disconnected BTCUSDT book',
      'resync BTCUSDT book',
      'connected BTCUSDT book',
    ])
    // 95..100 ends at the first snapshot (not emitted), 101..102 follows while /market is away, then the fresh snapshot.
    expect(trace(events.filter((e) => e.type === 'book'))).toEqual(['S', 'd', 'S'])
  })
})
