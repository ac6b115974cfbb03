import { OrderBook, type BookEvent, type MarketEvent } from '@dccd/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { consumerBooks, dropFrames, dropOneFrame, ReferenceBook } from '../src/helpers/index.js'
import type { SessionFrame } from '../src/index.js'

const level = fc.record({ price: fc.integer({ min: 1, max: 40 }).map((n) => n / 4), amount: fc.constantFrom(0, 0.5, 1, 2, 7) })
const update = fc.record({ isSnapshot: fc.boolean(), bids: fc.array(level, { maxLength: 8 }), asks: fc.array(level, { maxLength: 8 }) })

const book = (symbol: string, isSnapshot: boolean, bids: Array<[number, number]>): BookEvent => ({
  type: 'book', exchange: 'x', symbol, isSnapshot, asks: [], timestamp: 1, localTimestamp: 1,
  bids: bids.map(([price, amount]) => ({ price, amount })),
})

describe('ReferenceBook', () => {
  it('agrees with OrderBook on any sequence of snapshots and deltas', () => {
    fc.assert(
      fc.property(fc.array(update, { maxLength: 30 }), fc.integer({ min: 1, max: 12 }), (updates, depth) => {
        const reference = new ReferenceBook()
        const book = new OrderBook()
        for (const u of updates) {
          // A snapshot with a zero amount is not a real one; OrderBook keeps such levels, deltas remove them.
          const clean = u.isSnapshot ? { ...u, bids: u.bids.filter((l) => l.amount > 0), asks: u.asks.filter((l) => l.amount > 0) } : u
          reference.apply(clean)
          book.apply(clean)
        }
        expect(reference.difference(book, depth)).toBeUndefined()
        expect(reference.difference(book)).toBeUndefined()
      }),
    )
  })

  it('names the first level that differs, and a missing level', () => {
    const reference = new ReferenceBook()
    reference.apply(book('A', true, [[100, 1], [99, 2]]))
    const other = new OrderBook()
    other.apply(book('A', true, [[100, 1], [99, 3]]))
    expect(reference.difference(other)).toBe('bids level 2: 99 × 2 here, 99 × 3 there')
    other.apply(book('A', false, [[99, 2], [98, 1]]))
    expect(reference.difference(other)).toBe('bids level 3: nothing here, 98 × 1 there')
    expect(reference.difference(other, 2)).toBeUndefined()
  })
})

describe('consumerBooks', () => {
  it('builds each symbol from its snapshot and deltas; a resync or disconnect empties books until the next snapshot', () => {
    const status = (s: 'resync' | 'disconnected', symbol?: string): MarketEvent => ({ type: 'status', exchange: 'x', status: s, symbol, localTimestamp: 1 })
    const books = consumerBooks([
      book('A', true, [[10, 1]]),
      book('B', true, [[20, 1]]),
      book('A', false, [[11, 2]]),
      status('resync', 'B'),
      book('B', false, [[21, 1]]),
    ])
    expect(books.get('A')!.bids()).toEqual([{ price: 11, amount: 2 }, { price: 10, amount: 1 }])
    expect(books.get('B')!.bids()).toEqual([{ price: 21, amount: 1 }])
    const afterDisconnect = consumerBooks([book('A', true, [[10, 1]]), status('disconnected'), book('A', false, [[9, 1]])])
    expect(afterDisconnect.get('A')!.bids()).toEqual([{ price: 9, amount: 1 }])
  })
})

describe('gap sessions', () => {
  const session: SessionFrame[] = [0, 1, 2, 3, 4, 5].map((n) => ({ t: n, dir: 'in', data: { n, even: n % 2 === 0 } }))
  const isEven = (frame: SessionFrame): boolean => (frame.data as { even: boolean }).even

  it('dropFrames removes what the predicate selects and says where it was', () => {
    const { session: kept, dropped, originalIndex } = dropFrames(session, isEven)
    expect(kept.map((f) => f.t)).toEqual([1, 3, 5])
    expect(dropped.map((d) => d.index)).toEqual([0, 2, 4])
    expect(originalIndex).toEqual([1, 3, 5])
    expect(kept[0]).toBe(session[1])
  })

  it('dropOneFrame removes the middle, first, last or n-th candidate, and refuses when there is none', () => {
    expect(dropOneFrame(session, isEven).dropped.map((d) => d.index)).toEqual([2])
    expect(dropOneFrame(session, isEven, 'first').dropped.map((d) => d.index)).toEqual([0])
    expect(dropOneFrame(session, isEven, 'last').session.map((f) => f.t)).toEqual([0, 1, 2, 3, 5])
    expect(dropOneFrame(session, isEven, 1).dropped[0]!.frame).toBe(session[2])
    expect(() => dropOneFrame(session, () => false)).toThrow(/0 candidate\(s\)/)
  })
})
