import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as api from '../src/index.js'

// The one kind of snapshot we keep: a change to the public surface must show up in review.
describe('public surface of @dccd/binance', () => {
  it('exports exactly these runtime names', () => {
    expect(Object.keys(api).sort()).toEqual(['BinanceFeed', 'BookSync', 'exchange', 'parseFrame'])
  })

  it('exports exactly these types', () => {
    const source = readFileSync(new URL('../src/index.ts', import.meta.url), 'utf8')
    const names = [...source.matchAll(/export type \{([^}]*)\}/g)].flatMap((m) => m[1]!.split(',').map((n) => n.trim()).filter(Boolean))
    expect(names.sort()).toEqual([
      'BinanceAggTrade',
      'BinanceBookTickerFrame',
      'BinanceCombinedFrame',
      'BinanceControlAnswer',
      'BinanceDepthSnapshot',
      'BinanceDepthUpdate',
      'BinanceDepthUpdateFrame',
      'BinanceErrorBody',
      'BinanceExchangeInfo',
      'BinanceFeedOptions',
      'BinanceHistoricalTrade',
      'BinanceKlineFrame',
      'BinanceKlineRow',
      'BinanceLevel',
      'BinanceMessage',
      'BinanceRateLimit',
      'BinanceShutdownNotice',
      'BinanceTradeFrame',
      'BookProgress',
      'BookSyncOptions',
      'BookSyncState',
      'BookSyncStats',
    ])
    expect(source).not.toMatch(/export \*/)
  })
})
