import { afterEach, describe, expect, it } from 'vitest'
import type { Logger } from '@dccd/core'
import { FakeExchange } from '@dccd/testkit'
import { BinanceFeed } from '../src/index.js'
import { snapshotWeight } from '../src/rest.js'
import { depthFrame, exchangeInfoBody, snapshotBody } from './support/frames.js'
import { Reader, count } from './support/reader.js'

let fx: FakeExchange | undefined
afterEach(async () => {
  await fx?.close()
  fx = undefined
})

describe('BinanceFeed snapshot scheduling', () => {
  it('syncs 300 books inside a weight limit that answers 429 past it, without a single 429', async () => {
    const symbols = Array.from({ length: 300 }, (_, i) => `S${String(i).padStart(3, '0')}USDT`)
    const LIMIT = 5 // snapshot limit → weight 5 each: 1500 + exchangeInfo 20 > 1000 per window
    fx = await FakeExchange.start()
    fx.weightLimit({
      limit: 1000,
      windowMs: 1000,
      usedWeightHeader: 'X-MBX-USED-WEIGHT-1S',
      weightOf: (request) =>
        request.path === '/api/v3/depth' ? snapshotWeight(Number(request.query.get('limit'))) : request.path === '/api/v3/exchangeInfo' ? 20 : 1,
    })
    fx.route('GET', '/api/v3/exchangeInfo', () => ({
      body: exchangeInfoBody(symbols, [{ rateLimitType: 'REQUEST_WEIGHT', interval: 'SECOND', intervalNum: 1, limit: 1000 }]),
    }))
    fx.route('GET', '/api/v3/depth', () => ({ body: snapshotBody(100, [['1', '1']], [['2', '1']]) }))
    fx.onConnection((c) => {
      for (const symbol of symbols) c.send(depthFrame(symbol, 101, 101, [['1', '2']]))
    })
    const warnings: string[] = []
    const logger: Logger = { debug() {}, info() {}, warn: (m, c) => warnings.push(`${m} ${JSON.stringify(c)}`), error() {} }
    const feed = new BinanceFeed({
      symbols,
      channels: ['book'],
      wsUrl: fx.wsUrl,
      restUrl: fx.restUrl,
      validateSymbols: true,
      bookSnapshotLimit: LIMIT,
      restWeightShare: 1,
      snapshotConcurrency: 20,
      logger,
    })
    const events = await new Reader(feed, 15_000).until(
      (e) => count(e, (x) => x.type === 'book' && !x.isSnapshot) === 300,
      'a snapshot and a delta for all 300 books',
    )
    const progress = feed.bookProgress
    await feed.stop()
    expect(count(events, (x) => x.type === 'book' && x.isSnapshot)).toBe(300)
    expect(new Set(events.filter((x) => x.type === 'book').map((x) => (x as { symbol: string }).symbol)).size).toBe(300)
    expect(count(events, (x) => x.type === 'status' && x.status === 'resync')).toBe(0)
    // Every request was answered the first time: no 429, no retry.
    const depthRequests = fx.restRequests.filter((r) => r.path === '/api/v3/depth')
    expect(depthRequests).toHaveLength(300)
    expect(depthRequests.every((r) => r.query.get('limit') === String(LIMIT))).toBe(true)
    expect(warnings.filter((w) => w.includes('429') || w.includes('retry'))).toEqual([])
    expect(progress).toMatchObject({ books: 300, live: 300, fetched: 300, failed: 0, queued: 0, inFlight: 0 })
  })
})
