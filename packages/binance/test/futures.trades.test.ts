import { afterEach, describe, expect, it } from 'vitest'
import type { MarketEvent } from '@dccd/core'
import { FakeExchange } from '@dccd/testkit'
import { delivery, futures } from '../src/index.js'
import { aggTradeFrame, aggTradeRow } from './support/futures-frames.js'
import { Reader, count } from './support/reader.js'

let fx: FakeExchange | undefined
afterEach(async () => {
  await fx?.close()
  fx = undefined
})

const FAST = { initialBackoffMs: 20, maxBackoffMs: 100, jitter: 0, closeTimeoutMs: 200 }
const brief = (events: readonly MarketEvent[]): string[] =>
  events.flatMap((e) => (e.type === 'trade' ? [`trade ${e.id}`] : e.type === 'status' && e.status === 'gap' ? [`gap ${e.fromId}..${e.toId}`] : []))

describe('futures trade continuity by aggregate id', () => {
  it('recovers aggregates skipped on a healthy /market socket from /fapi/v1/aggTrades, in id order before the held live trades', async () => {
    fx = await FakeExchange.start()
    fx.route('GET', '/fapi/v1/aggTrades', (request) => {
      const fromId = Number(request.query.get('fromId'))
      const limit = Number(request.query.get('limit'))
      const rows = []
      for (let a = fromId; a < fromId + limit && a <= 6; a++) rows.push(aggTradeRow(a, '101.5', '0.25', a % 2 === 0))
      return { body: rows }
    })
    fx.onConnection((c) => {
      for (const a of [1, 2, 3, 7, 8]) c.send(aggTradeFrame('BTCUSDT', a, '101.5', '0.25', a % 2 === 0))
    })
    const feed = futures.createFeed({ symbols: ['BTCUSDT'], channels: ['trades'], wsUrl: fx.wsUrl, restUrl: fx.restUrl, ...FAST })
    const events = await new Reader(feed).until((e) => count(e, (x) => x.type === 'trade') === 8, 'eight trades')
    await feed.stop()
    expect(brief(events)).toEqual(['trade 1', 'trade 2', 'trade 3', 'trade 4', 'trade 5', 'trade 6', 'trade 7', 'trade 8'])
    const recovery = fx.restRequests.filter((r) => r.path === '/fapi/v1/aggTrades')
    expect(recovery.map((r) => [r.query.get('symbol'), r.query.get('fromId'), r.query.get('limit')])).toEqual([['BTCUSDT', '4', '3']])
    // Recovered rows are normalized exactly as the stream's frames.
    expect(events.find((e) => e.type === 'trade' && e.id === '4')).toEqual({
      type: 'trade',
      exchange: 'binance-futures',
      symbol: 'BTCUSDT',
      id: '4',
      price: 101.5,
      amount: 0.25,
      side: 'sell',
      timestamp: (1_700_000_000_000 + 4) * 1000,
      localTimestamp: expect.any(Number),
    })
    expect(fx.connections[0]!.path).toBe('/market/stream?streams=btcusdt@aggTrade')
  })

  it('reports what /dapi/v1/aggTrades cannot give as one gap naming it; COIN-M amounts stay contracts', async () => {
    fx = await FakeExchange.start()
    fx.route('GET', '/dapi/v1/aggTrades', () => ({ body: [] }))
    fx.onConnection((c) => {
      for (const a of [10, 11, 15]) c.send(aggTradeFrame('BTCUSD_PERP', a, '60000.1', '7'))
    })
    const feed = delivery.createFeed({ symbols: ['BTCUSD_PERP'], channels: ['trades'], wsUrl: fx.wsUrl, restUrl: fx.restUrl, ...FAST })
    const events = await new Reader(feed).until((e) => count(e, (x) => x.type === 'trade') === 3, 'three trades')
    await feed.stop()
    expect(brief(events)).toEqual(['trade 10', 'trade 11', 'gap 12..14', 'trade 15'])
    const gap = events.find((e) => e.type === 'status' && e.status === 'gap')!
    expect(gap).toMatchObject({ exchange: 'binance-delivery', symbol: 'BTCUSD_PERP', channel: 'trades' })
    expect((gap as { reason: string }).reason).toContain('GET /dapi/v1/aggTrades')
    expect(events.find((e) => e.type === 'trade')).toMatchObject({ amount: 7, price: 60000.1 })
    // COIN-M has one path for every stream.
    expect(fx.connections[0]!.path).toBe('/stream?streams=btcusd_perp@aggTrade')
  })
})
