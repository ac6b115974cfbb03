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
