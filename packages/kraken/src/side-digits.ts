/**
 * One side's checksum digits, kept between updates. An update usually
 * changes one level of the top 10 (or shifts them by one), so the digits of
 * every level whose price and quantity are unchanged are copied from the
 * previous formatting instead of being formatted again.
 */
import type { OrderBook } from '@dccd/core'
import { crc32 } from 'node:zlib'
import { appendBytes, appendLevelDigits, beginDigits, digitsBuffer, digitsLength } from './digits.js'

/** Levels per side the checksum covers, whatever the subscribed depth. */
export const CHECKSUM_DEPTH = 10

/** One formatting of a side: the bytes, and per level its price, quantity and end offset. */
interface Formatted {
  bytes: Uint8Array
  length: number
  /** `bytes[0, length)`, re-created only when the length or buffer changes. */
  view: Uint8Array
  readonly prices: Float64Array
  readonly amounts: Float64Array
  readonly ends: Int32Array
  count: number
}

function formatted(): Formatted {
  const bytes = new Uint8Array(512)
  return {
    bytes,
    length: 0,
    view: bytes.subarray(0, 0),
    prices: new Float64Array(CHECKSUM_DEPTH),
    amounts: new Float64Array(CHECKSUM_DEPTH),
    ends: new Int32Array(CHECKSUM_DEPTH),
    count: 0,
  }
}

// The visitor's inputs: formatting is synchronous and never re-entered.
let previous: Formatted | undefined
let next: Formatted = formatted()

function visitLevel(price: number, amount: number): void {
  const j = next.count
  const source = previous === undefined ? -1 : unchangedLevel(previous, j, price, amount)
  if (source === -1) appendLevelDigits(price, amount)
  else appendBytes(previous!.bytes, source === 0 ? 0 : previous!.ends[source - 1]!, previous!.ends[source]!)
  next.prices[j] = price
  next.amounts[j] = amount
  next.ends[j] = digitsLength()
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
 * One side's checksum digits with the price of its 10th level: while the top
 * 10 is unchanged, a change at a worse price cannot reach it. Internal to the
 * book sync.
 */
export class SideDigits {
  #current = formatted()
  #spare = formatted()
  #pricePrecision = -1
  #qtyPrecision = -1

  /** Re-formats the side's best 10 levels from the book. */
  format(book: OrderBook, side: 'bids' | 'asks', pricePrecision: number, qtyPrecision: number): void {
    const samePrecision = pricePrecision === this.#pricePrecision && qtyPrecision === this.#qtyPrecision
    this.#pricePrecision = pricePrecision
    this.#qtyPrecision = qtyPrecision
    previous = samePrecision ? this.#current : undefined
    next = this.#spare
    next.count = 0
    beginDigits(next.bytes, pricePrecision, qtyPrecision)
    book.forEachLevel(side, CHECKSUM_DEPTH, visitLevel)
    next.bytes = digitsBuffer()
    next.length = digitsLength()
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

  /** CRC32 of these digits, continuing from `previous` (the CRC of what precedes them). */
  crc(previousCrc?: number): number {
    const current = this.#current
    if (current.view.buffer !== current.bytes.buffer || current.view.length !== current.length) {
      current.view = current.bytes.subarray(0, current.length)
    }
    return crc32(current.view, previousCrc)
  }
}
