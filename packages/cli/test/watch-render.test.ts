import { describe, expect, it } from 'vitest'
import type { MarketEvent } from '@dccd/core'
import { WatchModel } from '../src/watch/model.js'
import { renderWatch } from '../src/watch/render.js'

const T = 1_764_097_632_123_456

function model(): WatchModel {
  const m = new WatchModel('binance', 'BTCUSDT', 50, 0)
  const events: MarketEvent[] = [
    { type: 'status', exchange: 'binance', status: 'connected', localTimestamp: T },
    {
      type: 'book', exchange: 'binance', symbol: 'BTCUSDT', isSnapshot: true, timestamp: T, localTimestamp: T,
      bids: [{ price: 100, amount: 2 }, { price: 99.5, amount: 1 }, { price: 99, amount: 4 }],
      asks: [{ price: 100.5, amount: 1 }, { price: 101, amount: 3 }, { price: 102, amount: 8 }],
    },
    { type: 'trade', exchange: 'binance', symbol: 'BTCUSDT', id: '1', price: 100.5, amount: 0.5, side: 'buy', timestamp: T + 1000, localTimestamp: T + 2000 },
    { type: 'trade', exchange: 'binance', symbol: 'BTCUSDT', id: '2', price: 100, amount: 0.25, side: 'sell', timestamp: T + 2000, localTimestamp: T + 3000 },
  ]
  for (const e of events) m.apply(e)
  return m
}

describe('watch renderer', () => {
  it('draws asks above and bids below the spread, best prices nearest to it', () => {
    const m = model()
    m.tick(2000)
    const lines = renderWatch(m.state(0), { depth: 2, width: 120 })
    expect(lines[0]).toMatch(/^binance BTCUSDT {2}connected {2}2\.0 ev\/s {2}reconnects 0 {2}resyncs 0/)
    const ladder = lines.filter((l) => /^(ask|bid|----)/.test(l))
    expect(ladder.map((l) => l.split(/\s+/).slice(0, 3).join(' '))).toEqual([
      'ask 101 3',
      'ask 100.5 1',
      '---- spread 0.5',
      'bid 100 2',
      'bid 99.5 1',
    ])
    expect(lines.find((l) => l.startsWith('----'))).toContain('mid 100.25')
  })

  it('lists the last trades newest first', () => {
    const lines = renderWatch(model().state(0), { depth: 1, trades: 5 })
    const trades = lines.slice(lines.indexOf('last trades') + 1)
    expect(trades).toHaveLength(2)
    expect(trades[0]).toMatch(/^19:07:12\.125456 {2}sell +100 +0\.25$/)
    expect(trades[1]).toMatch(/buy +100\.5 +0\.5$/)
  })

  it('hides a book that is resyncing and counts resyncs and reconnects', () => {
    const m = model()
    m.apply({ type: 'status', exchange: 'binance', status: 'resync', symbol: 'BTCUSDT', localTimestamp: T + 5 })
    const lines = renderWatch(m.state(3))
    expect(lines.join('\n')).toContain('book resyncing')
    expect(lines.some((l) => l.startsWith('ask'))).toBe(false)
    expect(lines[0]).toContain('reconnects 3  resyncs 1')
  })

  it('shows the book again after the next snapshot', () => {
    const m = model()
    m.apply({ type: 'status', exchange: 'binance', status: 'disconnected', localTimestamp: T + 5 })
    expect(renderWatch(m.state()).join('\n')).toContain('disconnected')
    m.apply({ type: 'book', exchange: 'binance', symbol: 'BTCUSDT', isSnapshot: true, timestamp: T, localTimestamp: T, bids: [{ price: 1, amount: 1 }], asks: [{ price: 2, amount: 1 }] })
    const lines = renderWatch(m.state(), { depth: 5 })
    expect(lines.filter((l) => l.startsWith('ask') || l.startsWith('bid'))).toHaveLength(2)
  })

  it('never draws wider than the screen', () => {
    const lines = renderWatch(model().state(), { width: 30 })
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(30)
  })

  it('says it is waiting before any data', () => {
    const lines = renderWatch(new WatchModel('kraken', 'BTC/USD').state())
    expect(lines.join('\n')).toContain('waiting for the book')
    expect(lines.at(-1)).toBe('(none yet)')
  })
})

describe('watch renderer, derivatives and quotes', () => {
  const FUNDING = Date.UTC(2025, 10, 26) * 1000 // 4h52m47.876544s after T
  const perp = { exchange: 'binance', symbol: 'BTCUSDT' } as const

  function derivativesModel(): WatchModel {
    const m = model()
    const events: MarketEvent[] = [
      { type: 'derivative', ...perp, markPrice: 100.4, indexPrice: 100.3, fundingRate: 0.0001, fundingTime: FUNDING, timestamp: T + 3000, localTimestamp: T + 3500 },
      { type: 'derivative', ...perp, markPrice: 100.45, timestamp: T + 4000, localTimestamp: T + 4500 }, // index and funding not in this message
      { type: 'quote', ...perp, bidPrice: 100.25, bidAmount: 0.5, askPrice: 100.75, askAmount: 2, timestamp: T + 5000, localTimestamp: T + 5500 },
      { type: 'derivative', exchange: 'binance', symbol: 'ETHUSDT', markPrice: 3000, timestamp: T + 6000, localTimestamp: T + 6500 },
    ]
    for (const e of events) m.apply(e)
    return m
  }

  it('shows mark and index price, funding as % with the time to the next funding, and the best bid/ask, between the header and the ladder', () => {
    const lines = renderWatch(derivativesModel().state(0), { depth: 1, width: 200, now: T })
    expect(lines.slice(1, 4)).toEqual([
      'mark 100.45  index 100.3  funding 0.0100%  next 00:00:00Z in 4h52m',
      'best bid 100.25 × 0.5  ask 100.75 × 2  spread 0.5',
      `side  ${'price'.padStart(10)}  ${'amount'.padStart(10)}`,
    ])
  })

  it('keeps each field from the last message that carried it, shows – until one did, and open interest on its own line once sent', () => {
    const m = new WatchModel('binance', 'BTCUSDT')
    m.apply({ type: 'derivative', ...perp, fundingRate: -0.000_25, timestamp: T, localTimestamp: T })
    expect(renderWatch(m.state(), { width: 200 })[1]).toBe('mark –  index –  funding -0.0250%')
    m.apply({ type: 'derivative', ...perp, openInterest: 81_234.5, fundingRate: 0, timestamp: T + 1, localTimestamp: T + 1 })
    expect(renderWatch(m.state(), { width: 200, openInterestUnit: 'contracts' }).slice(1, 3)).toEqual(['mark –  index –  funding 0.0000%', 'open interest 81234.5 contracts'])
  })

  it('says the funding is due once its time has passed, and shows only its time without a clock', () => {
    const m = new WatchModel('binance', 'BTCUSDT')
    m.apply({ type: 'derivative', ...perp, markPrice: 1, fundingTime: FUNDING, timestamp: T, localTimestamp: T })
    expect(renderWatch(m.state(), { width: 200, now: FUNDING + 1 })[1]).toMatch(/next 00:00:00Z due$/)
    expect(renderWatch(m.state(), { width: 200 })[1]).toMatch(/next 00:00:00Z$/)
  })

  it('rounds spreads to the decimals of the prices, so floating-point noise never shows', () => {
    const m = new WatchModel('binance', 'BTCUSDT')
    m.apply({ type: 'quote', ...perp, bidPrice: 64_012.4, bidAmount: 1, askPrice: 64_012.5, askAmount: 1, timestamp: T, localTimestamp: T })
    m.apply({ type: 'book', ...perp, isSnapshot: true, bids: [{ price: 0.000_012_3, amount: 1 }], asks: [{ price: 0.000_012_4, amount: 1 }], timestamp: T, localTimestamp: T })
    const lines = renderWatch(m.state(), { width: 200 })
    expect(lines[1]).toBe('best bid 64012.4 × 1  ask 64012.5 × 1  spread 0.1')
    expect(lines.find((line) => line.startsWith('----'))).toMatch(/^---- {2}spread 1e-7 /)
  })

  it('draws no derivative or quote line for a feed without them', () => {
    const lines = renderWatch(model().state(0), { width: 200, now: T })
    expect(lines[1]).toMatch(/^side/)
  })
})
