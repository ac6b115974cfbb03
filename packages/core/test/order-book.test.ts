import { describe, expect, it } from 'vitest'
import { InvalidArgumentError, OrderBook } from '../src/index.js'
import type { BookLevel } from '../src/index.js'

const lv = (price: number, amount: number): BookLevel => ({ price, amount })

function seeded(): OrderBook {
  const book = new OrderBook()
  book.apply({ isSnapshot: true, bids: [lv(100, 2), lv(99, 1), lv(98, 5)], asks: [lv(101, 1), lv(102, 3), lv(103, 7)] })
  return book
}

describe('OrderBook', () => {
  it('reads bids descending and asks ascending, best first', () => {
    const book = seeded()
    book.set('bids', 100.5, 3)
    book.set('asks', 100.75, 4)
    expect(book.bestBid()).toEqual(lv(100.5, 3))
    expect(book.bestAsk()).toEqual(lv(100.75, 4))
    expect([...book.bids()]).toEqual([lv(100.5, 3), lv(100, 2), lv(99, 1), lv(98, 5)])
    expect([...book.asks()]).toEqual([lv(100.75, 4), lv(101, 1), lv(102, 3), lv(103, 7)])
  })

  it('is empty when new: no best prices, zero counts, empty reads', () => {
    const book = new OrderBook()
    expect(book.bestBid()).toBeUndefined()
    expect(book.bestAsk()).toBeUndefined()
    expect(book.bidCount).toBe(0)
    expect(book.askCount).toBe(0)
    expect([...book.bids(10)]).toEqual([])
    book.truncate(0)
    expect(book.bidCount).toBe(0)
  })

  it('changes an amount in place without changing the level count', () => {
    const book = seeded()
    book.set('bids', 99, 4)
    expect(book.bidCount).toBe(3)
    expect([...book.bids()]).toEqual([lv(100, 2), lv(99, 4), lv(98, 5)])
  })

  it('removes a level on amount 0 and ignores removing an absent one', () => {
    const book = seeded()
    book.set('asks', 101, 0)
    book.set('asks', 150, 0)
    book.set('bids', 42, 0)
    book.apply({ isSnapshot: false, bids: [lv(97, 0)], asks: [lv(104, 0)] })
    expect([...book.asks()]).toEqual([lv(102, 3), lv(103, 7)])
    expect(book.bidCount).toBe(3)
    expect(book.bestAsk()).toEqual(lv(102, 3))
  })

  it('replaces the whole book on a snapshot', () => {
    const book = seeded()
    book.apply({ isSnapshot: true, bids: [lv(50, 1)], asks: [] })
    expect([...book.bids()]).toEqual([lv(50, 1)])
    expect(book.askCount).toBe(0)
    expect(book.bestAsk()).toBeUndefined()
  })

  it('accepts an unsorted snapshot with repeats (the last one wins) and skips zero amounts', () => {
    const book = new OrderBook()
    book.apply({ isSnapshot: true, bids: [lv(1, 1), lv(3, 1), lv(2, 1), lv(3, 9), lv(4, 0)], asks: [lv(9, 1), lv(7, 2), lv(9, 0)] })
    expect([...book.bids()]).toEqual([lv(3, 9), lv(2, 1), lv(1, 1)])
    expect([...book.asks()]).toEqual([lv(7, 2)])
  })

  it('drops a snapshot level whose price repeats later with amount 0', () => {
    const book = new OrderBook()
    book.apply({ isSnapshot: true, bids: [lv(5, 1), lv(5, 0)], asks: [lv(28.5, 1), lv(28.5, 0), lv(29, 1)] })
    expect(book.bidCount).toBe(0)
    expect([...book.asks()]).toEqual([lv(29, 1)])
  })

  it('applies delta levels in order, so a later repeat of a price wins', () => {
    const book = seeded()
    book.apply({ isSnapshot: false, bids: [lv(100, 0), lv(100, 8)], asks: [lv(101, 5), lv(101, 0)] })
    expect(book.bestBid()).toEqual(lv(100, 8))
    expect(book.bestAsk()).toEqual(lv(102, 3))
  })

  it('limits reads to depth, including depth 0 and depth beyond the level count', () => {
    const book = seeded()
    expect([...book.bids(2)]).toEqual([lv(100, 2), lv(99, 1)])
    expect([...book.asks(0)]).toEqual([])
    expect([...book.asks(50)]).toHaveLength(3)
    const seen: number[] = []
    book.forEachLevel('asks', 2, (price, amount) => seen.push(price, amount))
    expect(seen).toEqual([101, 1, 102, 3])
    book.forEachLevel('bids', 0, () => seen.push(-1))
    expect(seen).toHaveLength(4)
  })

  it('returns levels as a plain array, and copies the top of a side into reused arrays best first', () => {
    const book = seeded()
    expect(Array.isArray(book.bids(2))).toBe(true)
    expect(book.asks(2)).toEqual([lv(101, 1), lv(102, 3)])
    const prices = new Float64Array(4).fill(-1)
    const amounts = new Float64Array(4).fill(-1)
    expect(book.copyLevels('bids', 2, prices, amounts)).toBe(2)
    expect([...prices]).toEqual([100, 99, -1, -1])
    expect([...amounts]).toEqual([2, 1, -1, -1])
    // Depth beyond the side, and arrays shorter than the depth, copy what fits.
    expect(book.copyLevels('asks', 10, prices, amounts)).toBe(3)
    expect([...prices.subarray(0, 3)]).toEqual([101, 102, 103])
    const short: number[] = [0]
    expect(book.copyLevels('asks', 10, short, [0])).toBe(1)
    expect(short).toEqual([101])
    expect(book.copyLevels('bids', 0, prices, amounts)).toBe(0)
    expect(new OrderBook().copyLevels('bids', 10, prices, amounts)).toBe(0)
    expect(() => book.copyLevels('mids' as 'bids', 1, prices, amounts)).toThrow(/"mids"/)
    expect(() => book.copyLevels('bids', -1, prices, amounts)).toThrow(InvalidArgumentError)
  })

  it('truncates both sides to depth and reports dropped levels as amount 0, best first', () => {
    const book = seeded()
    const removed = { bids: [] as BookLevel[], asks: [] as BookLevel[] }
    book.truncate(1, removed)
    expect([...book.bids()]).toEqual([lv(100, 2)])
    expect([...book.asks()]).toEqual([lv(101, 1)])
    expect(removed).toEqual({ bids: [lv(99, 0), lv(98, 0)], asks: [lv(102, 0), lv(103, 0)] })
  })

  it('leaves a book alone when truncating to at least its depth', () => {
    const book = seeded()
    const removed = { bids: [] as BookLevel[], asks: [] as BookLevel[] }
    book.truncate(3, removed)
    book.truncate(Infinity, removed)
    expect(removed).toEqual({ bids: [], asks: [] })
    expect(book.bidCount + book.askCount).toBe(6)
  })

  it('clears both sides', () => {
    const book = seeded()
    book.clear()
    expect(book.bidCount + book.askCount).toBe(0)
    book.set('bids', 1, 1)
    expect(book.bestBid()).toEqual(lv(1, 1))
  })

  it('returns copies, so a level read earlier does not change with the book', () => {
    const book = seeded()
    const best = book.bestBid()
    const top = [...book.bids(1)]
    book.set('bids', 100, 9)
    expect(best).toEqual(lv(100, 2))
    expect(top).toEqual([lv(100, 2)])
  })

  it('grows past its initial storage and shrinks back after clear', () => {
    const book = new OrderBook()
    const prices = Array.from({ length: 5000 }, (_, i) => ((i * 7919) % 5000) + 1)
    for (const price of prices) book.set('asks', price, price)
    expect(book.askCount).toBe(5000)
    expect(book.bestAsk()).toEqual(lv(1, 1))
    expect([...book.asks(3)]).toEqual([lv(1, 1), lv(2, 2), lv(3, 3)])
    book.clear()
    book.set('asks', 7, 1)
    expect([...book.asks()]).toEqual([lv(7, 1)])
  })

  it('keeps negative and fractional prices in order', () => {
    const book = new OrderBook()
    for (const price of [-1.5, 0.1, -37, 0.30000000000000004, 0.3]) book.set('bids', price, 1)
    expect([...book.bids()].map((l) => l.price)).toEqual([0.30000000000000004, 0.3, 0.1, -1.5, -37])
  })

  it.each([
    ['a NaN price', Number.NaN, 1],
    ['an infinite price', Infinity, 1],
    ['a negative amount', 100, -1],
    ['a NaN amount', 100, Number.NaN],
    // Comparisons coerce these (null >= 0 is true, '5' < Infinity too): only numbers are levels.
    ['a null amount', 100, null as unknown as number],
    ['a null price', null as unknown as number, 1],
    ['a numeric-string amount', 100, '5' as unknown as number],
  ])('rejects %s naming the value', (_name, price, amount) => {
    const book = new OrderBook()
    const error = (() => {
      try {
        book.set('bids', price, amount)
      } catch (e) {
        return e
      }
    })()
    expect(error).toBeInstanceOf(InvalidArgumentError)
    expect((error as InvalidArgumentError).code).toBe('DCCD_INVALID_ARGUMENT')
    expect((error as Error).message).toContain(String(Number.isFinite(price) ? amount : price))
    expect(book.bidCount).toBe(0)
  })

  it('leaves the book untouched when an event holds a bad level', () => {
    const book = seeded()
    expect(() => book.apply({ isSnapshot: true, bids: [lv(1, 1)], asks: [lv(Number.NaN, 1)] })).toThrow(InvalidArgumentError)
    expect(() => book.apply({ isSnapshot: false, bids: [lv(1, 1)], asks: [lv(5, -2)] })).toThrow(/-2/)
    expect([...book.bids()]).toEqual([lv(100, 2), lv(99, 1), lv(98, 5)])
    expect(book.askCount).toBe(3)
  })

  it('rejects an unknown side and a negative depth naming the valid ones', () => {
    const book = seeded()
    expect(() => book.set('mids' as 'bids', 1, 1)).toThrow(/"mids".*bids, asks/)
    expect(() => book.bids(-1)).toThrow(/-1/)
    expect(() => book.truncate(Number.NaN)).toThrow(InvalidArgumentError)
    expect(() => book.forEachLevel('asks', -2, () => {})).toThrow(InvalidArgumentError)
  })
})
