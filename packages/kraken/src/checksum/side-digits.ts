/**
 * One side's share of the Kraken checksum, kept between updates. Each of
 * the best 10 levels keeps the CRC part of its digits (see ./crc32-shift.ts);
 * an update usually changes one level (or shifts the rest by one rank), so
 * only levels with a new price or quantity are formatted and read again, and
 * the side's CRC is assembled from the parts: no byte copies, no re-reading.
 */
import type { OrderBook } from '@dccd/core'
import { crcAppend, crcPart, crcShift } from './crc32-shift.js'
import { appendLevelDigits, beginDigits, digitsBuffer, digitsLength } from './digits.js'

/** Levels per side the checksum covers, whatever the subscribed depth. */
export const CHECKSUM_DEPTH = 10

/** One formatting of a side: per level (best first) its price, quantity, CRC part and digit count. */
interface Formatted {
  readonly prices: Float64Array
  readonly amounts: Float64Array
  readonly parts: Int32Array
  readonly lengths: Int32Array
  count: number
}

function formatted(): Formatted {
  return {
    prices: new Float64Array(CHECKSUM_DEPTH),
    amounts: new Float64Array(CHECKSUM_DEPTH),
    parts: new Int32Array(CHECKSUM_DEPTH),
    lengths: new Int32Array(CHECKSUM_DEPTH),
    count: 0,
  }
}

// The visitor's inputs: formatting is synchronous and never re-entered.
let previous: Formatted | undefined
let next: Formatted = formatted()
/** Where changed levels' digits are written before their CRC parts are taken. */
let scratch: Uint8Array = new Uint8Array(64)

function visitLevel(price: number, amount: number): void {
  const j = next.count
  const source = previous === undefined ? -1 : unchangedLevel(previous, j, price, amount)
  if (source === -1) {
    // Digits of the side's changed levels follow one another in the buffer `format` started.
    const start = digitsLength()
    appendLevelDigits(price, amount)
    const end = digitsLength()
    next.parts[j] = crcPart(digitsBuffer(), start, end)
    next.lengths[j] = end - start
  } else {
    next.parts[j] = previous!.parts[source]!
    next.lengths[j] = previous!.lengths[source]!
  }
  next.prices[j] = price
  next.amounts[j] = amount
  next.count = j + 1
}

/** Index of the same level in the previous formatting: same rank, or one off (an insert or delete above it). */
function unchangedLevel(from: Formatted, j: number, price: number, amount: number): number {
  for (let k = j; k >= j - 1 && k >= 0; k--) {
    if (k < from.count && from.prices[k] === price && from.amounts[k] === amount) return k
  }
  if (j + 1 < from.count && from.prices[j + 1] === price && from.amounts[j + 1] === amount) return j + 1
  return -1
}

/**
 * One side's checksum share with the price of its 10th level: while the top
 * 10 is unchanged, a change at a worse price cannot reach it. Internal to the
 * book sync.
 */
export class SideDigits {
  #current = formatted()
  #spare = formatted()
  #pricePrecision = -1
  #qtyPrecision = -1
  /** CRC part and byte count of the whole side, as last formatted. */
  #part = 0
  #length = 0

  /** Re-reads the side's best 10 levels from the book. */
  format(book: OrderBook, side: 'bids' | 'asks', pricePrecision: number, qtyPrecision: number): void {
    const samePrecision = pricePrecision === this.#pricePrecision && qtyPrecision === this.#qtyPrecision
    this.#pricePrecision = pricePrecision
    this.#qtyPrecision = qtyPrecision
    previous = samePrecision ? this.#current : undefined
    next = this.#spare
    next.count = 0
    beginDigits(scratch, pricePrecision, qtyPrecision)
    book.forEachLevel(side, CHECKSUM_DEPTH, visitLevel)
    scratch = digitsBuffer() // kept if it had to grow
    let part = 0
    let length = 0
    for (let j = 0; j < next.count; j++) {
      const levelLength = next.lengths[j]!
      part = crcShift(part, levelLength) ^ next.parts[j]!
      length += levelLength
    }
    this.#part = part
    this.#length = length
    this.#spare = this.#current
    this.#current = next
    previous = undefined
  }

  /**
   * True when setting a level at `price` may change the top 10 as last
   * formatted: the side held fewer than 10 levels, or `price` is at or better
   * than the 10th (`isBids`: higher is better).
   */
  reaches(price: number, isBids: boolean): boolean {
    const { count, prices } = this.#current
    if (count < CHECKSUM_DEPTH) return true
    const edge = prices[count - 1]!
    return isBids ? price >= edge : price <= edge
  }

  /** CRC-32 of these digits, continuing from `previousCrc` (the CRC of what precedes them; 0 for nothing). */
  crc(previousCrc = 0): number {
    return crcAppend(previousCrc, this.#part, this.#length)
  }
}
