import { crc32 } from 'node:zlib'
import { OrderBook } from '@dccd/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { checksumInput, krakenChecksum } from '../src/checksum/checksum.js'

function bookOf(bids: [number, number][], asks: [number, number][]): OrderBook {
  const book = new OrderBook()
  const levels = (side: [number, number][]) => side.map(([price, amount]) => ({ price, amount }))
  book.apply({ isSnapshot: true, bids: levels(bids), asks: levels(asks) })
  return book
}

describe('krakenChecksum', () => {
  it("reproduces Kraken's documented level string (45285.2 / 0.001 → 452852100000)", () => {
    expect(checksumInput([{ price: 45285.2, amount: 0.001 }], 1, 8)).toBe('452852100000')
    const book = bookOf([], [[45285.2, 0.001]])
    expect(krakenChecksum(book, 1, 8)).toBe(crc32('452852100000') >>> 0)
  })

  it('formats exponent-form inputs in full (1e-8 → 0.00000001 → "1")', () => {
    expect(checksumInput([{ price: 1e-7, amount: 1e-8 }], 9, 8)).toBe('1001')
    const book = bookOf([[1e-7, 1e-8]], [])
    expect(krakenChecksum(book, 9, 8)).toBe(crc32('1001') >>> 0)
  })

  it('pads prices to the precision, so trailing zeros count (100.1 at 2 decimals → "10010")', () => {
    const book = bookOf([[100.1, 2]], [[100.25, 0.5]])
    // asks first, then bids
    expect(krakenChecksum(book, 2, 8)).toBe(crc32('10025' + '50000000' + '10010' + '200000000') >>> 0)
  })

  it('strips the leading zeros left after removing the dot (0.05 → "005" → "5")', () => {
    expect(checksumInput([{ price: 0.05, amount: 10 }], 2, 0)).toBe('510')
  })

  it('covers the best 10 asks ascending, then the best 10 bids descending', () => {
    const bids = Array.from({ length: 12 }, (_, i) => [100 - i, i + 1] as [number, number])
    const asks = Array.from({ length: 12 }, (_, i) => [101 + i, i + 1] as [number, number])
    const book = bookOf(bids, asks)
    let expected = ''
    for (let i = 0; i < 10; i++) expected += `${101 + i}0${i + 1}`
    for (let i = 0; i < 10; i++) expected += `${100 - i}0${i + 1}`
    expect(krakenChecksum(book, 1, 0)).toBe(crc32(expected) >>> 0)
  })

  it('handles an empty book and a one-sided book', () => {
    expect(krakenChecksum(new OrderBook(), 1, 8)).toBe(0)
    expect(krakenChecksum(bookOf([[5, 1]], []), 1, 8)).toBe(crc32('50100000000') >>> 0)
  })

  it('grows its buffer for unusually long numbers and stays correct afterwards', () => {
    const bids = Array.from({ length: 10 }, (_, i) => [1e20 - i * 1e6, 12345.5] as [number, number])
    const asks = Array.from({ length: 10 }, (_, i) => [2e20 + i * 1e6, 1] as [number, number])
    const book = bookOf(bids, asks)
    const expected = checksumInput(book.asks(10), 60, 60) + checksumInput(book.bids(10), 60, 60)
    expect(expected.length).toBeGreaterThan(2048)
    expect(krakenChecksum(book, 60, 60)).toBe(crc32(expected) >>> 0)
    expect(krakenChecksum(bookOf([], [[45285.2, 0.001]]), 1, 8)).toBe(crc32('452852100000') >>> 0)
  })

  it('writes digits exactly as toFixed would, at chunk boundaries and beyond the fast path', () => {
    const values = [1, 9, 10, 9999, 10000, 99999999, 100000000, 123456789, 0.1, 0.0001, 1e-8, 12345678.12345678, 2814749.76710656, 0.123456789]
    for (const value of values) {
      const book = bookOf([], [[value, value]])
      const text = strip(value.toFixed(8)) + strip(value.toFixed(8))
      expect(checksumInput(book.asks(), 8, 8)).toBe(text)
      expect(krakenChecksum(book, 8, 8)).toBe(crc32(text) >>> 0)
    }
  })

  it('matches plain toFixed formatting for any book on the precision grid', () => {
    const grid = (precision: number) =>
      fc.integer({ min: 1, max: 10 ** Math.min(15, precision + 7) }).map((units) => Number((units / 10 ** precision).toFixed(precision)))
    // size 'max': at the default size no side passed 10 levels, so the cut at the checksum's 10 never showed.
    const side = (p: number, q: number) =>
      fc.uniqueArray(fc.tuple(grid(p), grid(q)), { maxLength: 12, selector: ([price]) => price, size: 'max' })
    const input = fc
      .tuple(fc.integer({ min: 0, max: 10 }), fc.integer({ min: 0, max: 10 }))
      .chain(([p, q]) => fc.tuple(fc.constant(p), fc.constant(q), side(p, q), side(p, q)))
    fc.assert(
      fc.property(input, ([p, q, bids, asks]) => {
        const book = new OrderBook()
        for (const [price, amount] of bids) book.set('bids', price, amount)
        for (const [price, amount] of asks) book.set('asks', price, amount)
        const reference = [...book.asks(10), ...book.bids(10)]
          .map((level) => strip(level.price.toFixed(p)) + strip(level.amount.toFixed(q)))
          .join('')
        expect(krakenChecksum(book, p, q)).toBe(crc32(reference) >>> 0)
      }),
      { numRuns: 300 },
    )
  })
})

/** The documented rule, spelled out: remove the dot, then the leading zeros. */
function strip(fixed: string): string {
  return fixed.replace('.', '').replace(/^0+/, '')
}
