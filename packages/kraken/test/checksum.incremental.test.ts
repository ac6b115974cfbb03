import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { BookSyncs } from './support/book-syncs.js'
import { krakenChecksum } from '../src/checksum/checksum.js'
import { ReferenceBook } from '../scripts/reference-book.js'
import type { WireLevel } from '../scripts/reference-book.js'

/** A receive time of today's order: exchange times must not lie a day past it. */
const NOW = 1_800_000_000_000_000

// Few prices on a coarse grid: updates keep hitting, inserting above and deleting inside the top 10.
const price = (base: number) => fc.integer({ min: 0, max: 30 }).map((i) => Number((base + i * 0.25).toFixed(2)))
const qty = fc.oneof({ weight: 1, arbitrary: fc.constant(0) }, { weight: 4, arbitrary: fc.integer({ min: 1, max: 5000 }).map((i) => i / 1000) })
const level = (base: number) => fc.record({ price: price(base), qty })
const update = fc.record({
  bids: fc.array(level(90), { maxLength: 4 }),
  asks: fc.array(level(100), { maxLength: 4 }),
  /** Sometimes the instrument's precisions change before this update. */
  precision: fc.option(fc.tuple(fc.integer({ min: 2, max: 6 }), fc.integer({ min: 3, max: 8 })), { freq: 15 }),
})
const session = fc.record({
  // size 'max': fast-check's default lengths stay short (no snapshot past 10 levels, 6 updates on
  // average), and removals from a full top 10, which bring the 11th level in, went untested.
  bids: fc.uniqueArray(fc.record({ price: price(90), qty: qty.filter((q) => q > 0) }), { maxLength: 14, selector: (l) => l.price, size: 'max' }),
  asks: fc.uniqueArray(fc.record({ price: price(100), qty: qty.filter((q) => q > 0) }), { maxLength: 14, selector: (l) => l.price, size: 'max' }),
  updates: fc.array(update, { minLength: 1, maxLength: 60, size: 'max' }),
  corruptAt: fc.option(fc.nat(), { freq: 4 }),
})

describe('incremental checksum', () => {
  it('verifies every update of a random session against the plain-string reference, and catches a wrong checksum', () => {
    fc.assert(
      fc.property(session, ({ bids, asks, updates, corruptAt }) => {
        let [pp, qp] = [2, 3]
        const sync = new BookSyncs(1000)
        sync.setPrecision('X/Y', pp, qp)
        const reference = new ReferenceBook()
        reference.load(bids, asks)
        const snapshot = sync.apply(true, { symbol: 'X/Y', bids, asks, checksum: reference.checksum(pp, qp) }, NOW + 1)
        expect(snapshot?.type).toBe('book')
        const corrupt = corruptAt === null ? -1 : corruptAt % updates.length
        for (let i = 0; i < updates.length; i++) {
          const u = updates[i]!
          if (u.precision !== null) {
            ;[pp, qp] = u.precision
            sync.setPrecision('X/Y', pp, qp)
          }
          reference.apply(u.bids, u.asks)
          const expected = reference.checksum(pp, qp)
          const sent = i === corrupt ? (expected ^ 1) >>> 0 : expected
          const event = sync.apply(false, { symbol: 'X/Y', bids: u.bids as WireLevel[], asks: u.asks as WireLevel[], checksum: sent, timestamp: '2021-04-17T16:48:53.365913Z' }, NOW + 2)
          if (i === corrupt) {
            expect(event?.type).toBe('status')
            return
          }
          expect(event?.type).toBe('book')
          expect(krakenChecksum(sync.book('X/Y')!, pp, qp)).toBe(expected)
        }
      }),
      { numRuns: 400 },
    )
  })
})
