// The watch view keeps its book with core's OrderBookSet, so it hides a book exactly when every other consumer would.
import { describe, expect, it } from 'vitest'
import type { BookEvent, StatusEvent } from '@dccd/core'
import { WatchModel } from '../src/watch/model.js'
import { renderWatch } from '../src/watch/render.js'

const T = 1_764_097_632_123_456

function book(isSnapshot: boolean, bid: number, symbol = 'BTCUSDT'): BookEvent {
  return { type: 'book', exchange: 'binance', symbol, isSnapshot, timestamp: T, localTimestamp: T, bids: [{ price: bid, amount: 1 }], asks: [{ price: 200, amount: 1 }] }
}

function status(status: StatusEvent['status'], fields: Partial<StatusEvent> = {}): StatusEvent {
  return { type: 'status', exchange: 'binance', status, localTimestamp: T + 500_000, ...fields }
}

const bids = (m: WatchModel): number[] => [...(m.state().book?.bids() ?? [])].map((level) => level.price)

describe('watch model', () => {
  it('shows no book before the first snapshot and ignores the updates before it', () => {
    const m = new WatchModel('binance', 'BTCUSDT')
    m.apply(book(false, 99))
    expect(m.state().book).toBeUndefined()
    m.apply(book(true, 100))
    m.apply(book(false, 101))
    expect(bids(m)).toEqual([101, 100])
  })

  it('hides the book from a resync until the next snapshot, dropping the updates in between', () => {
    const m = new WatchModel('binance', 'BTCUSDT')
    m.apply(book(true, 100))
    m.apply(status('resync', { symbol: 'BTCUSDT' }))
    m.apply(book(false, 101))
    expect(m.state().book).toBeUndefined()
    m.apply(book(true, 90))
    expect(bids(m)).toEqual([90])
    expect(m.state().resyncs).toBe(1)
  })

  it('counts a gap of the watched symbol, hides the book for a book gap and keeps it for a trades gap', () => {
    const m = new WatchModel('binance', 'BTCUSDT')
    m.apply(book(true, 100))
    m.apply(status('gap', { symbol: 'BTCUSDT', channel: 'trades', fromId: '4', toId: '9', reason: 'not recoverable' }))
    expect(bids(m)).toEqual([100])
    expect(m.state()).toMatchObject({ gaps: 1, lastGap: { channel: 'trades', fromId: '4', toId: '9', reason: 'not recoverable', localTimestamp: T + 500_000 } })
    m.apply(status('gap', { symbol: 'BTCUSDT', channel: 'book', reason: 'sequence gap' }))
    expect(m.state().book).toBeUndefined()
    expect(m.state().gaps).toBe(2)
  })

  it("leaves the book and the counters alone for another symbol's resync and gap", () => {
    const m = new WatchModel('binance', 'BTCUSDT')
    m.apply(book(true, 100))
    m.apply(status('resync', { symbol: 'ETHUSDT' }))
    m.apply(status('gap', { symbol: 'ETHUSDT', channel: 'book' }))
    expect(bids(m)).toEqual([100])
    expect(m.state()).toMatchObject({ resyncs: 0, gaps: 0 })
  })

  it('hides the book after a disconnect of the whole feed, but not after one of the trades channel', () => {
    const m = new WatchModel('binance', 'BTCUSDT')
    m.apply(book(true, 100))
    m.apply(status('disconnected', { channel: 'trades' }))
    expect(bids(m)).toEqual([100])
    m.apply(status('disconnected'))
    expect(m.state()).toMatchObject({ book: undefined, connection: 'disconnected', reconnects: 2 })
  })

  it('shows the gap count in the header and the last gap under it', () => {
    const m = new WatchModel('binance', 'BTCUSDT')
    m.apply(book(true, 100))
    m.apply(status('gap', { symbol: 'BTCUSDT', channel: 'trades', fromId: '4', toId: '9', reason: 'not recoverable' }))
    const lines = renderWatch(m.state(0), { width: 200 })
    expect(lines[0]).toContain('reconnects 0  resyncs 0  gaps 1')
    expect(lines[1]).toBe('last gap 19:07:12.623  trades  4..9  (not recoverable)')
    expect(lines.some((line) => line.startsWith('bid'))).toBe(true)
  })
})
