/**
 * The OKX feed against a simulated OKX (test/support/simulated-okx.ts): several instruments on one
 * connection, book breaks of one instrument, resets, disconnects with trade recovery, a dead server,
 * candles on /business, derivative and liquidation channels, and bad input.
 */
import { InvalidArgumentError } from '@dccd/core'
import { afterEach, describe, expect, it } from 'vitest'
import { exchange } from '../src/index.js'
import { startHarness } from './support/okx-feed-harness.js'
import type { Harness } from './support/okx-feed-harness.js'
import { SimulatedOkx } from './support/simulated-okx.js'

const INSTRUMENTS = ['BTC-USDT', 'BTC-USDT-SWAP', 'BTC-USD-250627']
let harness: Harness | undefined

afterEach(async () => {
  await harness?.close()
  harness = undefined
})

/** Every fill id from the first to the last one a trade stood for, once each. */
function expectEveryFillOnce(h: Harness, instId: string): void {
  const covered = h.coveredFills(instId)
  expect(covered.length).toBeGreaterThan(0)
  expect(new Set(covered).size, 'no fill twice').toBe(covered.length)
  const truth = h.sim.trades(instId).map((fill) => fill.tradeId).filter((id) => id >= covered[0]! && id <= covered.at(-1)!)
  expect(covered).toEqual(truth)
}

describe('OkxFeed on a simulated OKX', () => {
  it('keeps the books of a spot pair, a swap and a future equal to OKX after every step, and streams each trade row once', async () => {
    const h = (harness = await startHarness({ symbols: INSTRUMENTS, channels: ['book', 'trades'] }, { instruments: INSTRUMENTS }))
    await h.booksMatch(INSTRUMENTS)
    for (let step = 0; step < 5; step++) {
      h.sim.advance(1000)
      await h.booksMatch(INSTRUMENTS)
    }
    await h.collector.until(() => INSTRUMENTS.every((id) => h.trades(id).length === h.sim.pushedTrades(id).length), 'every trade row')
    for (const id of INSTRUMENTS) {
      expect(h.trades(id).map((t) => [t.id, t.amount])).toEqual(h.sim.pushedTrades(id).map((row) => [row.tradeId, Number(row.sz)]))
    }
    expect(h.sim.connections).toHaveLength(1)
    expect(h.statuses('resync')).toEqual([])
    expect(h.statuses('gap')).toEqual([])
  })

  it('verifies every checksum when OKX sends them (such books skip the JSON.parse-free scan: they need the wire strings)', async () => {
    const h = (harness = await startHarness({ symbols: INSTRUMENTS, channels: ['book'] }, { instruments: INSTRUMENTS, checksums: true }))
    await h.booksMatch(INSTRUMENTS)
    for (let step = 0; step < 3; step++) {
      h.sim.advance(1000)
      await h.booksMatch(INSTRUMENTS)
    }
    expect(h.statuses('resync')).toEqual([])
  })

  it('answers a broken prevSeqId chain with exactly one resync of that instrument, resubscribing its book only, while the others stream on', async () => {
    const h = (harness = await startHarness({ symbols: INSTRUMENTS, channels: ['book'] }, { instruments: INSTRUMENTS }))
    await h.booksMatch(INSTRUMENTS)
    h.sim.breakChain('BTC-USDT-SWAP')
    h.sim.advance(100)
    await h.collector.until(() => h.statuses('resync').length === 1, 'the resync')
    h.sim.advance(2000)
    await h.booksMatch(INSTRUMENTS)
    expect(h.statuses('resync')).toHaveLength(1)
    expect(h.statuses('resync')[0]).toMatchObject({ symbol: 'BTC-USDT-SWAP', channel: 'book', reason: expect.stringMatching(/^gap: expected prevSeqId \d+, got \d+$/) })
    expect(h.sim.unsubscribeCount('books')).toBe(1)
    expect(h.sim.unsubscribeCount('books', 'BTC-USDT-SWAP')).toBe(1)
    expect(h.sim.subscribeCount('books', 'BTC-USDT-SWAP')).toBe(2)
    expect(h.sim.subscribeCount('books', 'BTC-USDT')).toBe(1)
    // The resync is followed by a snapshot of that instrument before any of its deltas.
    const after = h.events.slice(h.events.indexOf(h.statuses('resync')[0]!)).filter((e) => e.type === 'book' && e.symbol === 'BTC-USDT-SWAP')
    expect(after[0]).toMatchObject({ isSnapshot: true })
  })

  it('treats a seqId reset (after OKX maintenance) as a break of that instrument only', async () => {
    const h = (harness = await startHarness({ symbols: INSTRUMENTS, channels: ['book'] }, { instruments: INSTRUMENTS }))
    await h.booksMatch(INSTRUMENTS)
    h.sim.resetSeqId('BTC-USDT')
    h.sim.advance(1000)
    await h.booksMatch(INSTRUMENTS)
    expect(h.statuses('resync').map((e) => [e.symbol, e.reason?.slice(0, 22)])).toEqual([['BTC-USDT', 'seqId went backwards (']])
  })

  it('after a disconnect, resyncs every book and recovers the trades missed meanwhile from history-trades: every fill exactly once, no gap', async () => {
    const h = (harness = await startHarness({ symbols: ['BTC-USDT', 'BTC-USDT-SWAP'], channels: ['book', 'trades'] }, { instruments: ['BTC-USDT', 'BTC-USDT-SWAP'], tradesPerSecond: 5 }))
    await h.booksMatch(['BTC-USDT', 'BTC-USDT-SWAP'])
    h.sim.advance(2000)
    await h.collector.until(() => h.trades('BTC-USDT').length === h.sim.pushedTrades('BTC-USDT').length, 'the first trades')
    h.sim.disconnect()
    await h.collector.until((events) => events.some((e) => e.type === 'status' && e.status === 'disconnected'), 'the disconnect')
    // Trading goes on while the feed is away; nothing reaches it.
    h.sim.advance(5000)
    await h.sim.until(() => h.sim.connections.length === 2 && h.sim.connections[1]!.subscriptions.size === 4)
    h.sim.advance(2000)
    for (const id of ['BTC-USDT', 'BTC-USDT-SWAP']) {
      const last = Number(h.sim.pushedTrades(id).at(-1)!.tradeId)
      await h.collector.until(() => h.trades(id).some((t) => Number(t.id) === last), `${id} caught up`)
      expectEveryFillOnce(h, id)
    }
    expect(h.statuses('gap')).toEqual([])
    expect(h.statuses('resync').map((e) => e.symbol).sort()).toEqual(['BTC-USDT', 'BTC-USDT-SWAP'])
    expect(h.sim.rest.count('/api/v5/market/history-trades')).toBeGreaterThan(0)
    await h.booksMatch(['BTC-USDT', 'BTC-USDT-SWAP'])
  })

  it('recovers the fills of a trade row dropped on a healthy socket from history-trades, and makes no request while rows follow on', async () => {
    const h = (harness = await startHarness({ symbols: ['BTC-USDT'], channels: ['trades'] }, { instruments: ['BTC-USDT'], tradesPerSecond: 5 }))
    await h.sim.subscribed([{ channel: 'trades', instId: 'BTC-USDT' }])
    h.sim.advance(2000)
    await h.collector.until(() => h.trades('BTC-USDT').length === h.sim.pushedTrades('BTC-USDT').length, 'the first trades')
    expect(h.sim.rest.count('/api/v5/market/history-trades')).toBe(0)
    h.sim.dropNext((frame) => (frame as { arg?: { channel?: string } }).arg?.channel === 'trades')
    h.sim.advance(3000)
    expect(h.sim.dropped).toHaveLength(1)
    const last = h.sim.pushedTrades('BTC-USDT').at(-1)!.tradeId
    await h.collector.until(() => h.trades('BTC-USDT').some((t) => t.id === last), 'the last trade')
    expectEveryFillOnce(h, 'BTC-USDT')
    expect(h.statuses('gap')).toEqual([])
    expect(h.sim.rest.count('/api/v5/market/history-trades')).toBeGreaterThan(0)
  })

  it('reports one gap naming the ids and OKX history reach when the missed trades are no longer served', async () => {
    const h = (harness = await startHarness({ symbols: ['BTC-USDT'], channels: ['trades'] }, { instruments: ['BTC-USDT'], tradesPerSecond: 5 }))
    await h.sim.subscribed([{ channel: 'trades', instId: 'BTC-USDT' }])
    h.sim.advance(2000)
    await h.collector.until(() => h.trades('BTC-USDT').length === h.sim.pushedTrades('BTC-USDT').length, 'the first trades')
    const lastBefore = Number(h.trades('BTC-USDT').at(-1)!.id)
    h.sim.disconnect()
    h.sim.advance(5000)
    h.sim.purgeTradesBelow('BTC-USDT', h.sim.trades('BTC-USDT').at(-1)!.tradeId)
    await h.sim.until(() => h.sim.connections.length === 2 && h.sim.connections[1]!.subscriptions.size === 1)
    h.sim.advance(1000)
    await h.collector.until(() => h.statuses('gap').length === 1 && h.trades('BTC-USDT').some((t) => Number(t.id) > lastBefore), 'the gap and a trade after it')
    const gap = h.statuses('gap')[0]!
    expect(gap).toMatchObject({ symbol: 'BTC-USDT', channel: 'trades', fromId: String(lastBefore + 1) })
    // The gap ends just before the first fill of the first row after the reconnect, which goes out after it.
    const firstAfter = h.trades('BTC-USDT').find((t) => Number(t.id) > lastBefore)!
    const count = Number(h.sim.pushedTrades('BTC-USDT').find((row) => row.tradeId === firstAfter.id)!.count)
    expect(Number(gap.toId)).toBe(Number(firstAfter.id) - count)
    expect(h.events.indexOf(gap)).toBeLessThan(h.events.indexOf(firstAfter))
    expect(gap.reason).toMatch(/^GET \/api\/v5\/market\/history-trades failed: OKX's history returned .*trades after \d{4}-\d\d-\d\dT.* are missing$/)
    const ids = h.trades('BTC-USDT').map((t) => Number(t.id))
    expect(new Set(ids).size).toBe(ids.length)
  })

  it('keeps a quiet connection alive with text pings, and replaces a connection whose server stopped answering', async () => {
    const h = (harness = await startHarness({ symbols: ['BTC-USDT'], channels: ['trades'], pingIntervalMs: 30, staleTimeoutMs: 60 }, { instruments: ['BTC-USDT'] }))
    await h.sim.subscribed([{ channel: 'trades', instId: 'BTC-USDT' }])
    await h.sim.until(() => h.sim.pingsAnswered >= 3)
    expect(h.collector.feed.stats.reconnects).toBe(0)
    h.sim.stall()
    await h.collector.until((events) => events.some((e) => e.type === 'status' && e.status === 'disconnected' && /stale/.test(e.reason ?? '')), 'a stale disconnect')
    await h.sim.until(() => h.sim.connections.length === 2 && h.sim.connections[1]!.subscriptions.size === 1)
    expect(h.sim.connections[0]!.pings).toBeGreaterThanOrEqual(4)
  })

  it('streams candles from /ws/v5/business and recovers a close missed in a dropped frame from history-candles', async () => {
    const h = (harness = await startHarness({ symbols: ['BTC-USDT'], channels: ['bars:1m'] }, { instruments: ['BTC-USDT'], tradesPerSecond: 3 }))
    await h.sim.subscribed([{ channel: 'candle1m', instId: 'BTC-USDT' }])
    expect(h.sim.connections[0]!.socket).toBe('business')
    h.sim.dropNext((frame) => JSON.stringify(frame).includes('"candle1m"') && JSON.stringify(frame).endsWith('"1"]]}'))
    h.sim.advance(4 * 60_000 + 1000)
    await h.collector.until((events) => events.filter((e) => e.type === 'bar' && e.closed).length >= 4, 'four closed bars')
    expect(h.sim.dropped).toHaveLength(1)
    const closed = h.events.filter((e) => e.type === 'bar' && e.closed).map((e) => (e.type === 'bar' ? e.openTime : 0))
    expect(closed.slice(0, 4)).toEqual([0, 1, 2, 3].map((k) => closed[0]! + k * 60_000_000))
    expect(h.statuses('gap')).toEqual([])
    expect(h.sim.rest.count('/api/v5/market/history-candles')).toBeGreaterThan(0)
  })

  it('merges mark, index, funding and open interest into derivative events of the subscribed swap, and keeps only its liquidations', async () => {
    const h = (harness = await startHarness({ symbols: ['BTC-USDT-SWAP'], channels: ['derivatives', 'liquidations'] }, { instruments: ['BTC-USDT-SWAP', 'BTC-USD-SWAP'] }))
    await h.sim.subscribed([{ channel: 'liquidation-orders', instType: 'SWAP' }, { channel: 'index-tickers', instId: 'BTC-USDT' }])
    h.sim.advance(31_000)
    h.sim.liquidate('BTC-USD-SWAP', { side: 'buy' })
    h.sim.liquidate('BTC-USDT-SWAP', { side: 'sell' })
    await h.collector.until((events) => events.some((e) => e.type === 'liquidation'), 'the liquidation')
    const derivatives = h.events.filter((e) => e.type === 'derivative')
    expect(new Set(derivatives.map((e) => e.symbol))).toEqual(new Set(['BTC-USDT-SWAP']))
    for (const field of ['markPrice', 'indexPrice', 'fundingRate', 'openInterest'] as const) {
      expect(derivatives.some((e) => e.type === 'derivative' && e[field] !== undefined), field).toBe(true)
    }
    const liquidations = h.events.filter((e) => e.type === 'liquidation')
    expect(liquidations.every((e) => e.symbol === 'BTC-USDT-SWAP')).toBe(true)
  })
})

describe('bad input', () => {
  it('rejects an instrument OKX does not list before any connection is opened, naming it', async () => {
    const sim = await SimulatedOkx.start({ instruments: ['BTC-USDT'] })
    try {
      const feed = exchange.createFeed({ symbols: ['BTC-USDT', 'NOPE-USDT'], channels: ['trades'], wsUrl: sim.url, restUrl: sim.restUrl, validateSymbols: true })
      const error = await feed.stream().next().then(
        () => undefined,
        (reason: unknown) => reason,
      )
      expect(error).toBeInstanceOf(InvalidArgumentError)
      expect((error as Error).message).toMatch(/NOPE-USDT/)
      expect(sim.connections).toHaveLength(0)
    } finally {
      await sim.close()
    }
  })
})
