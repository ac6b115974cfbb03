import { crc32 } from 'node:zlib'
import { OrderBook } from '@dccd/core'
import type { BookLevel } from '@dccd/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { checksumInput } from '../src/checksum/checksum.js'
import { CHECKSUM_DEPTH, SideDigits, checksumOf } from '../src/checksum/side-digits.js'

// A coarse grid around the touch: updates insert, delete and change levels at every rank of the top
// 10, and below it (where the rank check must leave the digits alone).
const tick = fc.integer({ min: 0, max: 24 })
const qty = fc.oneof({ weight: 1, arbitrary: fc.constant(0) }, { weight: 3, arbitrary: fc.integer({ min: 1, max: 99_999 }).map((i) => i / 1000) })
const update = fc.record({ isBids: fc.boolean(), tick, qty })
/**
 * A side's snapshot: distinct ticks, often more than the 10 levels the checksum covers. size 'max': at
 * fast-check's default size no snapshot side passed 10 levels, only updates ever made a side deeper.
 */
const snapshotSide = fc.uniqueArray(tick, { minLength: 0, maxLength: 25, size: 'max' })
/**
 * Runs of 20 to `maxLength` updates, size 'max': at the default size a run stopped at 50 updates (2·20 + 10), whatever
 * maxLength said; the CRC is carried from update to update, so long runs are where a drift would build up.
 * Runs average 47 (maxLength 80) and 67 (maxLength 120) updates instead of 34, so numRuns is cut to match.
 */
const updates = (maxLength: number) => fc.array(update, { minLength: 20, maxLength, size: 'max' })
const bidPrice = (t: number) => Number((100 - t * 0.5).toFixed(1))
const askPrice = (t: number) => Number((100.5 + t * 0.5).toFixed(1))
/** A snapshot level: its quantity differs per rank, so a level formatted at the wrong rank shows. */
const level = (price: number, i: number) => ({ price, amount: 1 + i / 1000 })

/** The checksum the plain way: the whole input string, then `zlib.crc32`. */
function reference(book: OrderBook): number {
  return crc32(checksumInput(book.asks(CHECKSUM_DEPTH), 1, 3) + checksumInput(book.bids(CHECKSUM_DEPTH), 1, 3)) >>> 0
}

/** A book from this snapshot, and its two sides formatted at precisions 1 and 3. */
function formatted(snapshot: { bids: BookLevel[]; asks: BookLevel[] }): { book: OrderBook; asks: SideDigits; bids: SideDigits } {
  const book = new OrderBook()
  book.apply({ isSnapshot: true, ...snapshot })
  const asks = new SideDigits('asks')
  const bids = new SideDigits('bids')
  asks.format(book, 1, 3, 0)
  bids.format(book, 1, 3, 0)
  return { book, asks, bids }
}

/** A book from a snapshot at these ticks, formatted. */
function formattedBook(bidTicks: readonly number[], askTicks: readonly number[]): { book: OrderBook; asks: SideDigits; bids: SideDigits } {
  return formatted({ bids: bidTicks.map((t, i) => level(bidPrice(t), i)), asks: askTicks.map((t, i) => level(askPrice(t), i)) })
}

/** A book of one bid (99.5 × 1.25) and one ask (100.5 × 2), formatted. */
function oneLevelBook(): { book: OrderBook; asks: SideDigits; bids: SideDigits } {
  return formatted({ bids: [{ price: 99.5, amount: 1.25 }], asks: [{ price: 100.5, amount: 2 }] })
}

describe('side digits from the first changed rank', () => {
  it('keep the running CRC above the first rank an update reaches and equal a from-scratch formatting after every update', () => {
    fc.assert(
      fc.property(snapshotSide, snapshotSide, updates(80), (bidTicks, askTicks, updates) => {
        const { book, asks, bids } = formattedBook(bidTicks, askTicks)
        for (const u of updates) {
          const digits = u.isBids ? bids : asks
          const price = u.isBids ? bidPrice(u.tick) : askPrice(u.tick)
          const from = digits.rankOf(price)
          book.set(u.isBids ? 'bids' : 'asks', price, u.qty)
          if (from < CHECKSUM_DEPTH) digits.format(book, 1, 3, from)
          const scratchAsks = new SideDigits('asks')
          const scratchBids = new SideDigits('bids')
          scratchAsks.format(book, 1, 3, 0)
          scratchBids.format(book, 1, 3, 0)
          expect([asks.register, asks.length, bids.register, bids.length]).toEqual([
            scratchAsks.register,
            scratchAsks.length,
            scratchBids.register,
            scratchBids.length,
          ])
          expect(checksumOf(asks, bids)).toBe(reference(book))
        }
      }),
      { numRuns: 220, seed: 20261206 },
    )
  })

  it('setLevel: one level set (inserted, removed, requantified, or below the top 10) equals a from-scratch formatting, and says whether the top 10 changed', () => {
    fc.assert(
      // From a snapshot deeper than 10 levels: removals inside a full top 10 bring the 11th level in.
      fc.property(snapshotSide, snapshotSide, updates(120), (bidTicks, askTicks, updates) => {
        const { book, asks, bids } = formattedBook(bidTicks, askTicks)
        for (const u of updates) {
          const side = u.isBids ? 'bids' : 'asks'
          const digits = u.isBids ? bids : asks
          const price = u.isBids ? bidPrice(u.tick) : askPrice(u.tick)
          // A level set again to the quantity it holds is no change (the fixed seed draws that case once
          // snapshots pass 10 levels).
          const before = JSON.stringify(book[side](CHECKSUM_DEPTH))
          book.set(side, price, u.qty)
          const changed = digits.setLevel(book, price, u.qty, 1, 3)
          expect(changed).toBe(JSON.stringify(book[side](CHECKSUM_DEPTH)) !== before)
          const scratch = new SideDigits(side)
          scratch.format(book, 1, 3, 0)
          expect([digits.register, digits.length]).toEqual([scratch.register, scratch.length])
          expect(checksumOf(asks, bids)).toBe(reference(book))
        }
      }),
      { numRuns: 160, seed: 20261207 },
    )
  })

  it('setLevel re-reads everything when the precisions changed since the last formatting', () => {
    const { book, asks, bids } = oneLevelBook()
    book.set('bids', 99, 3)
    expect(bids.setLevel(book, 99, 3, 2, 4)).toBe(true)
    asks.format(book, 2, 4, CHECKSUM_DEPTH)
    expect(checksumOf(asks, bids)).toBe(crc32('10050' + '20000' + '9950' + '12500' + '9900' + '30000') >>> 0)
  })

  it('re-reads everything after a precision change, whatever rank it is given', () => {
    const { book, asks, bids } = oneLevelBook()
    asks.format(book, 2, 4, CHECKSUM_DEPTH)
    bids.format(book, 2, 4, CHECKSUM_DEPTH)
    expect(checksumOf(asks, bids)).toBe(crc32('10050' + '20000' + '9950' + '12500') >>> 0)
  })
})
