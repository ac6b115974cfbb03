import { afterEach, describe, expect, it } from 'vitest'
import type { DerivativeEvent, MarketEvent } from '@dccd/core'
import { FakeExchange } from '@dccd/testkit'
import type { RestRequest } from '@dccd/testkit'
import { delivery, futures } from '../src/index.js'
import { futuresExchangeInfoBody, markPriceFrame } from './support/futures-frames.js'
import { Reader, count } from './support/reader.js'

let fx: FakeExchange | undefined
afterEach(async () => {
  await fx?.close()
  fx = undefined
})

const isOpenInterest = (event: MarketEvent): event is DerivativeEvent => event.type === 'derivative' && 'openInterest' in event
const openInterestRequests = (requests: readonly RestRequest[], path: string): RestRequest[] => requests.filter((r) => r.path === path)

describe('open interest polled over REST', () => {
  it('asks each symbol once per round and emits each new value as a derivative carrying only openInterest, at the answer\'s time', async () => {
    fx = await FakeExchange.start()
    const answers = new Map<string, number>()
    fx.route('GET', '/dapi/v1/openInterest', (request) => {
      const symbol = request.query.get('symbol')!
      const n = (answers.get(symbol) ?? 0) + 1
      answers.set(symbol, n)
      // The second answer repeats the first one's time (Binance has not moved on): not emitted again.
      const time = 1_700_000_000_000 + 1000 * (n === 2 ? 1 : n)
      return { body: { symbol, pair: symbol.split('_')[0], openInterest: String(100 * n), contractType: 'PERPETUAL', time } }
    })
    const feed = delivery.createFeed({
      symbols: ['BTCUSD_PERP', 'ETHUSD_PERP'],
      channels: ['derivatives'],
      wsUrl: fx.wsUrl,
      restUrl: fx.restUrl,
      openInterestIntervalMs: 200,
    })
    const reader = new Reader(feed)
    const events = await reader.until((e) => count(e, (x) => isOpenInterest(x) && x.symbol === 'BTCUSD_PERP') >= 3, 'three open-interest values of BTCUSD_PERP')
    await feed.stop()
    const btc = events.filter((e): e is DerivativeEvent => isOpenInterest(e) && e.symbol === 'BTCUSD_PERP')
    expect(btc[0]).toEqual({ type: 'derivative', exchange: 'binance-delivery', symbol: 'BTCUSD_PERP', openInterest: 100, timestamp: expect.any(Number), localTimestamp: expect.any(Number) })
    // 100 (answer 1), then 300 (answer 3): answer 2 carried answer 1's time.
    expect(btc.slice(0, 3).map((e) => e.openInterest)).toEqual([100, 300, 400])
    expect(btc.every((e, i) => i === 0 || e.timestamp > btc[i - 1]!.timestamp)).toBe(true)
    for (const event of events.filter(isOpenInterest)) expect(Object.keys(event).sort()).toEqual(['exchange', 'localTimestamp', 'openInterest', 'symbol', 'timestamp', 'type'])
    const requests = openInterestRequests(fx.restRequests, '/dapi/v1/openInterest')
    expect(new Set(requests.map((r) => r.query.get('symbol')))).toEqual(new Set(['BTCUSD_PERP', 'ETHUSD_PERP']))
    // One request per symbol per round: the counts of the two symbols never differ by more than one.
    expect(Math.abs(answers.get('BTCUSD_PERP')! - (answers.get('ETHUSD_PERP') ?? 0))).toBeLessThanOrEqual(1)
  })

  it('spends from the feed\'s weight budget: against 10 weight per second, polling two symbols every 200 ms never draws a 429', async () => {
    fx = await FakeExchange.start()
    fx.weightLimit({ limit: 10, windowMs: 1000, usedWeightHeader: 'X-MBX-USED-WEIGHT-1S' })
    fx.route('GET', '/fapi/v1/exchangeInfo', () => ({
      body: { ...futuresExchangeInfoBody(['BTCUSDT', 'ETHUSDT'], 'usdm'), rateLimits: [{ rateLimitType: 'REQUEST_WEIGHT', interval: 'SECOND', intervalNum: 1, limit: 10 }] },
    }))
    let answered = 0
    fx.route('GET', '/fapi/v1/openInterest', (request) => {
      answered++
      return { body: { symbol: request.query.get('symbol'), openInterest: '12.5', time: Date.now() } }
    })
    const feed = futures.createFeed({
      symbols: ['BTCUSDT', 'ETHUSDT'],
      channels: ['derivatives'],
      wsUrl: fx.wsUrl,
      restUrl: fx.restUrl,
      validateSymbols: true,
      openInterestIntervalMs: 200,
    })
    const reader = new Reader(feed, 10_000)
    // 12 answers take longer than a second at 8 weight per second (the 0.8 share of 10).
    await reader.until((e) => count(e, isOpenInterest) >= 12, 'twelve open-interest values')
    await feed.stop()
    const requests = openInterestRequests(fx.restRequests, '/fapi/v1/openInterest')
    // Every request reached the route: the weight limit answered none of them with 429.
    expect(requests.length).toBe(answered)
    expect(fx.restRequests.map((r) => r.path).slice(0, 1)).toEqual(['/fapi/v1/exchangeInfo'])
  })

  it('polls nothing with openInterestIntervalMs 0, while mark prices stream on', async () => {
    fx = await FakeExchange.start()
    fx.onConnection((c) => c.send(markPriceFrame('BTCUSDT', { p: '30000.5', i: '30001', r: '0.0001', T: 1_700_000_100_000 })))
    const feed = futures.createFeed({ symbols: ['BTCUSDT'], channels: ['derivatives'], wsUrl: fx.wsUrl, restUrl: fx.restUrl, openInterestIntervalMs: 0 })
    const events = await new Reader(feed).until((e) => e.some((x) => x.type === 'derivative'), 'the mark price')
    await feed.stop()
    expect(events.find((e) => e.type === 'derivative')).toMatchObject({ markPrice: 30000.5, indexPrice: 30001, fundingRate: 0.0001, fundingTime: 1_700_000_100_000_000 })
    expect(fx.connections[0]!.path).toBe('/market/stream?streams=btcusdt@markPrice@1s')
    expect(fx.restRequests).toEqual([])
  })
})
