/**
 * One side's share of the Kraken checksum, kept between updates. Each of
 * the best 10 levels keeps the CRC part of its price's digits and of its
 * whole digits (see ./crc32-shift.ts), and each rank the register over the
 * levels down to it. An update usually changes one level (or shifts the rest
 * by one rank), so:
 * - the ranks above the first one an update can reach are not visited at all:
 *   their running register is kept;
 * - from there down, a level with the same price and quantity (at its rank or
 *   one off) keeps its part, one with only a new quantity formats just the
 *   quantity, and only new prices are formatted whole;
 * - the side's register is assembled from the parts: no byte copies, no
 *   re-reading.
 */
import type { BookSideName, OrderBook } from '@dccd/core'
import { crcPart, crcShift } from './crc32-shift.js'
import { appendDigits, beginDigits, digitsBuffer, digitsLength } from './digits.js'

/** Levels per side the checksum covers, whatever the subscribed depth. */
export const CHECKSUM_DEPTH = 10

// The book's best levels are copied here, and changed digits written to `scratch`, before their
// CRC parts are taken: formatting is synchronous and never re-entered.
const bookPrices = new Float64Array(CHECKSUM_DEPTH)
const bookAmounts = new Float64Array(CHECKSUM_DEPTH)
let scratch: Uint8Array = new Uint8Array(64)

/**
 * One side's checksum share, and the ranks an update may change. Internal
 * to the book sync.
 */
export class SideDigits {
  readonly #isBids: boolean
  /** The register the side's digits start from: CRC-32's initial `~0` for the asks (first in the input), 0 for the bids. */
  readonly #initial: number
  // Per level, best first, as last formatted: price, quantity, the CRC part and byte count of the
  // price's digits, and of the level's (price then quantity).
  readonly #prices = new Float64Array(CHECKSUM_DEPTH)
  readonly #amounts = new Float64Array(CHECKSUM_DEPTH)
  readonly #priceParts = new Int32Array(CHECKSUM_DEPTH)
  readonly #priceLengths = new Int32Array(CHECKSUM_DEPTH)
  readonly #levelParts = new Int32Array(CHECKSUM_DEPTH)
  readonly #levelLengths = new Int32Array(CHECKSUM_DEPTH)
  /** The register after levels `[0, j]` and their byte count, so a change at rank r combines only r and below. */
  readonly #prefixRegisters = new Int32Array(CHECKSUM_DEPTH)
  readonly #prefixLengths = new Int32Array(CHECKSUM_DEPTH)
  #count = 0
  #pricePrecision = -1
  #qtyPrecision = -1

  constructor(readonly side: BookSideName) {
    this.#isBids = side === 'bids'
    this.#initial = side === 'asks' ? ~0 : 0
  }

  /** The register after the whole side, from its initial one. */
  get register(): number {
    return this.#count === 0 ? this.#initial : this.#prefixRegisters[this.#count - 1]!
  }

  /** Bytes of the side's digits. */
  get length(): number {
    return this.#count === 0 ? 0 : this.#prefixLengths[this.#count - 1]!
  }

  /**
   * The rank a level at `price` would take in the top 10 as last formatted:
   * how many levels are strictly better. {@link CHECKSUM_DEPTH} when it is
   * worse than a full top 10's last level, so setting it cannot change them.
   */
  rankOf(price: number): number {
    const count = this.#count
    const prices = this.#prices
    let k = 0
    if (this.#isBids) {
      if (count === CHECKSUM_DEPTH && price < prices[count - 1]!) return CHECKSUM_DEPTH
      while (k < count && prices[k]! > price) k++
    } else {
      if (count === CHECKSUM_DEPTH && price > prices[count - 1]!) return CHECKSUM_DEPTH
      while (k < count && prices[k]! < price) k++
    }
    return k
  }

  /**
   * Re-reads the side's best 10 levels from the book, from rank `from` down.
   * The caller guarantees that ranks above `from` still hold the levels last
   * formatted (no level at or better than their prices was set since); a new
   * precision re-reads everything.
   */
  format(book: OrderBook, pricePrecision: number, qtyPrecision: number, from: number): void {
    const reuse = pricePrecision === this.#pricePrecision && qtyPrecision === this.#qtyPrecision
    this.#pricePrecision = pricePrecision
    this.#qtyPrecision = qtyPrecision
    const old = this.#count
    const n = book.copyLevels(this.side, CHECKSUM_DEPTH, bookPrices, bookAmounts)
    if (!reuse) from = 0
    else if (from > n || from > old) from = Math.min(n, old)
    const prices = this.#prices
    const amounts = this.#amounts
    const priceParts = this.#priceParts
    const priceLengths = this.#priceLengths
    const levelParts = this.#levelParts
    const levelLengths = this.#levelLengths
    let register = from === 0 ? this.#initial : this.#prefixRegisters[from - 1]!
    let total = from === 0 ? 0 : this.#prefixLengths[from - 1]!
    // The previous formatting's level j - 1, kept while its slot is overwritten (a level one rank lower now).
    let heldPrice = NaN
    let heldAmount = 0
    let heldPricePart = 0
    let heldPriceLength = 0
    let heldLevelPart = 0
    let heldLevelLength = 0
    beginDigits(scratch)
    for (let j = from; j < n; j++) {
      const price = bookPrices[j]!
      const amount = bookAmounts[j]!
      let pricePart = 0
      let priceLength = -1
      let levelPart = 0
      let levelLength = -1
      // The same price in the previous formatting: at this rank, one up (a level above was
      // inserted) or one down (a level above was removed).
      if (reuse) {
        const source = j < old && prices[j] === price ? j : heldPrice === price ? -1 : j + 1 < old && prices[j + 1] === price ? j + 1 : -2
        if (source >= 0) {
          pricePart = priceParts[source]!
          priceLength = priceLengths[source]!
          if (amounts[source] === amount) {
            levelPart = levelParts[source]!
            levelLength = levelLengths[source]!
          }
        } else if (source === -1) {
          pricePart = heldPricePart
          priceLength = heldPriceLength
          if (heldAmount === amount) {
            levelPart = heldLevelPart
            levelLength = heldLevelLength
          }
        }
      }
      if (priceLength < 0) {
        const start = digitsLength()
        appendDigits(price, pricePrecision)
        const end = digitsLength()
        pricePart = crcPart(digitsBuffer(), start, end)
        priceLength = end - start
      }
      if (levelLength < 0) {
        const start = digitsLength()
        appendDigits(amount, qtyPrecision)
        const end = digitsLength()
        const amountLength = end - start
        levelPart = crcShift(pricePart, amountLength) ^ crcPart(digitsBuffer(), start, end)
        levelLength = priceLength + amountLength
      }
      if (j < old) {
        heldPrice = prices[j]!
        heldAmount = amounts[j]!
        heldPricePart = priceParts[j]!
        heldPriceLength = priceLengths[j]!
        heldLevelPart = levelParts[j]!
        heldLevelLength = levelLengths[j]!
      } else {
        heldPrice = NaN
      }
      prices[j] = price
      amounts[j] = amount
      priceParts[j] = pricePart
      priceLengths[j] = priceLength
      levelParts[j] = levelPart
      levelLengths[j] = levelLength
      register = crcShift(register, levelLength) ^ levelPart
      total += levelLength
      this.#prefixRegisters[j] = register
      this.#prefixLengths[j] = total
    }
    scratch = digitsBuffer() // kept if it had to grow
    this.#count = n
  }
}

/** The checksum of the asks then the bids (each formatted), as Kraken computes it: unsigned CRC-32. */
export function checksumOf(asks: SideDigits, bids: SideDigits): number {
  return ~(crcShift(asks.register, bids.length) ^ bids.register) >>> 0
}
