import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as api from '../src/index.js'

// The one kind of snapshot we keep: a change to the public surface must show up in review.
describe('public surface of @dccd/binance', () => {
  it('exports spot, USDⓈ-M and COIN-M as exchanges, spot first as exchange', () => {
    expect(api.exchanges.map((adapter) => adapter.id)).toEqual(['binance', 'binance-futures', 'binance-delivery'])
    expect(api.exchanges[0]).toBe(api.exchange)
  })

  it('exports exactly these runtime names', () => {
    expect(Object.keys(api).sort()).toEqual([
      'BinanceDeliveryFeed',
      'BinanceFeed',
      'BinanceFuturesFeed',
      'BookSync',
      'COINM_DIALECT',
      'FUTURES_DEPTH_CONTINUITY',
      'SPOT_DEPTH_CONTINUITY',
      'SPOT_DIALECT',
      'USDM_DIALECT',
      'delivery',
      'exchange',
      'exchanges',
      'futures',
      'parseFrame',
    ])
  })

  it('exports exactly these types', () => {
    const source = readFileSync(new URL('../src/index.ts', import.meta.url), 'utf8')
    const names = [...source.matchAll(/export type \{([^}]*)\}/g)].flatMap((m) => m[1]!.split(',').map((n) => n.trim()).filter(Boolean))
    expect(names.sort()).toEqual([
      'BinanceAggTrade',
      'BinanceAggTradeFrame',
      'BinanceBookTickerFrame',
      'BinanceCombinedFrame',
      'BinanceControlAnswer',
      'BinanceDepthSnapshot',
      'BinanceDepthUpdate',
      'BinanceDepthUpdateFrame',
      'BinanceDialect',
      'BinanceErrorBody',
      'BinanceExchangeInfo',
      'BinanceFeedOptions',
      'BinanceForceOrderFrame',
      'BinanceFuturesBookTickerFrame',
      'BinanceFuturesExchangeInfo',
      'BinanceFuturesFeedOptions',
      'BinanceFuturesSymbol',
      'BinanceHistoricalTrade',
      'BinanceKlineFrame',
      'BinanceKlineRow',
      'BinanceLevel',
      'BinanceMarkPriceFrame',
      'BinanceMarketFeed',
      'BinanceMessage',
      'BinanceOpenInterest',
      'BinanceRateLimit',
      'BinanceShutdownNotice',
      'BinanceTradeFrame',
      'BookProgress',
      'BookSyncOptions',
      'BookSyncState',
      'BookSyncStats',
      'DepthContinuity',
      'DepthUpdateIds',
      'SnapshotPosition',
    ])
    expect(source).not.toMatch(/export \*/)
  })
})
