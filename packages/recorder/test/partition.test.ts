import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { partitionPath, pathSegment, segmentName, streamOf, utcDate } from '../src/partition.js'

describe('partitioning', () => {
  it('dates by UTC calendar day of a µs timestamp', () => {
    expect(utcDate(Date.UTC(2026, 10, 25, 23, 59, 59, 999) * 1000 + 999)).toBe('2026-11-25')
    expect(utcDate(Date.UTC(2026, 10, 26) * 1000)).toBe('2026-11-26')
  })

  it('puts each event type in its own stream', () => {
    const base = { exchange: 'kraken', symbol: 'BTC/USD', timestamp: 1, localTimestamp: 2 }
    expect(streamOf({ ...base, type: 'trade', id: '1', price: 1, amount: 1, side: 'buy' })).toEqual({ exchange: 'kraken', type: 'trades', symbol: 'BTC/USD' })
    expect(streamOf({ ...base, type: 'book', isSnapshot: true, bids: [], asks: [] }).type).toBe('book')
    expect(
      streamOf({ ...base, type: 'bar', interval: '5m', openTime: 0, open: 1, high: 1, low: 1, close: 1, volume: 0, closed: false }).type,
    ).toBe('bars-5m')
    expect(streamOf({ type: 'status', exchange: 'kraken', status: 'connected', localTimestamp: 1 })).toEqual({ exchange: 'kraken', type: 'status', symbol: 'all' })
    expect(streamOf({ ...base, type: 'quote', bidPrice: 1, bidAmount: 1, askPrice: 2, askAmount: 1 }).type).toBe('quotes')
    expect(streamOf({ ...base, type: 'derivative', markPrice: 1 }).type).toBe('derivatives')
    expect(streamOf({ ...base, type: 'liquidation', side: 'sell', price: 1, amount: 1 }).type).toBe('liquidations')
  })

  it('builds exchange/type/symbol/date paths with path-safe symbols', () => {
    expect(partitionPath({ exchange: 'kraken', type: 'trades', symbol: 'BTC/USD' }, '2026-11-25')).toBe(join('kraken', 'trades', 'BTC-USD', '2026-11-25'))
    expect(pathSegment('..')).toBe('_')
    expect(pathSegment('A B:C')).toBe('A-B-C')
  })

  it('caps long names at 100 bytes with a stable hash, so two long names never share a folder', () => {
    const long = 'X'.repeat(300)
    const capped = pathSegment(long)
    expect(Buffer.byteLength(capped)).toBe(100)
    expect(capped).toMatch(/^X{83}~[0-9a-f]{16}$/)
    expect(pathSegment(long)).toBe(capped) // stable across runs
    expect(pathSegment(`${long}Y`)).not.toBe(capped) // same prefix, different name
    expect(pathSegment(`${'/'.repeat(300)}`)).not.toBe(pathSegment(`${':'.repeat(300)}`)) // hashed before the mapping
    expect(pathSegment('A'.repeat(100))).toBe('A'.repeat(100)) // up to 100 bytes: unchanged
    expect(pathSegment('BTC/USD')).toBe('BTC-USD')
  })

  it('names segments by start time with a random suffix', () => {
    const at = Date.UTC(2026, 10, 25, 19, 7, 12) * 1000 + 42
    const a = segmentName(at)
    const b = segmentName(at)
    expect(a).toMatch(/^190712000042-[a-z0-9]{4}$/)
    expect(a).not.toBe(b)
  })
})
