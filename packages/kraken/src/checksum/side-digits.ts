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
 *
 * An update that sets a single level on a side skips even the matching:
 * {@link SideDigits.setLevel} formats that level alone (or, after a removal,
 * the level that moves up into the top 10), moves the ranks below it by one
 * where it was inserted or removed, and runs the register on from it.
 * {@link SideDigits.format} takes everything else (snapshots, several levels,
 * new precisions).
 */
import type { BookSideName, OrderBook } from '@dccd/core'
import { crcShift } from './crc32-shift.js'
import { digitsLength, digitsPart } from './digits.js'

/** Levels per side the checksum covers, whatever the subscribed depth. */
export const CHECKSUM_DEPTH = 10

// The book's best levels are copied here before their CRC parts are taken: formatting is
// synchronous and never re-entered.
const bookPrices = new Float64Array(CHECKSUM_DEPTH)
const bookAmounts = new Float64Array(CHECKSUM_DEPTH)

// A level's fields in a side's state, at `level * STRIDE + …`: price and quantity as last formatted,
// the CRC part and byte count of the price's digits and of the level's (price then quantity), and
// the side's register and byte count after it (from the side's first level).
const PRICE = 0
const AMOUNT = 1
const PRICE_PART = 2
const PRICE_LENGTH = 3
const LEVEL_PART = 4
const LEVEL_LENGTH = 5
const REGISTER = 6
const TOTAL = 7
const STRIDE = 8
/** One formatting's levels; the state holds two, the last one and the one being written. */
const HALF = CHECKSUM_DEPTH * STRIDE

/**
 * One side's checksum share, and the ranks an update may change. Internal
 * to the book sync.
 */
export class SideDigits {
  readonly #isBids: boolean
  /** The register the side's digits start from: CRC-32's initial `~0` for the asks (first in the input), 0 for the bids. */
  readonly #initial: number
  /**
   * Every field of every level in one array, two halves: the last formatting at `#current`, the
   * next written into the other, so a level that moved a rank is read from where it was while its
   * new slot is written (one array: few cache lines, and one base pointer for V8 to keep).
   */
  readonly #state = new Float64Array(2 * HALF)
  #current = 0
  #count = 0
  #pricePrecision = -1
  #qtyPrecision = -1

  constructor(readonly side: BookSideName) {
    this.#isBids = side === 'bids'
    this.#initial = side === 'asks' ? ~0 : 0
  }

  /** The register after the whole side, from its initial one. */
  get register(): number {
    return this.#count === 0 ? this.#initial : this.#state[this.#current + (this.#count - 1) * STRIDE + REGISTER]!
  }

  /** Bytes of the side's digits. */
  get length(): number {
    return this.#count === 0 ? 0 : this.#state[this.#current + (this.#count - 1) * STRIDE + TOTAL]!
  }

  /**
   * The rank a level at `price` would take in the top 10 as last formatted:
   * how many levels are strictly better. {@link CHECKSUM_DEPTH} when it is
   * worse than a full top 10's last level, so setting it cannot change them.
   */
  rankOf(price: number): number {
    const count = this.#count
    const state = this.#state
    const base = this.#current
    let k = 0
    if (this.#isBids) {
      if (count === CHECKSUM_DEPTH && price < state[base + (count - 1) * STRIDE]!) return CHECKSUM_DEPTH
      while (k < count && state[base + k * STRIDE]! > price) k++
    } else {
      if (count === CHECKSUM_DEPTH && price > state[base + (count - 1) * STRIDE]!) return CHECKSUM_DEPTH
      while (k < count && state[base + k * STRIDE]! < price) k++
    }
    return k
  }

  /**
   * The side after the book set one of its levels (`amount` 0: removed), for
   * an update that set only that level on this side: formats just that level
   * (or, after a removal, the level that moves up into the top 10) and runs
   * the register on from it, where {@link format} reads the book's top 10 and
   * matches every rank below the first changed one. Call after the book
   * applied the update, while the digits hold the top 10 from before it.
   *
   * @returns whether the top 10 changed (false: the level lies below it, or
   *   the removed price was not in the book, or the level already had this quantity)
   */
  setLevel(book: OrderBook, price: number, amount: number, pricePrecision: number, qtyPrecision: number): boolean {
    if (pricePrecision !== this.#pricePrecision || qtyPrecision !== this.#qtyPrecision) {
      this.format(book, pricePrecision, qtyPrecision, 0) // new digits for every level
      return true
    }
    const rank = this.rankOf(price)
    const count = this.#count
    // Worse than a full top 10's last level: nothing the checksum covers changed.
    if (rank === CHECKSUM_DEPTH) return false
    const state = this.#state
    const base = this.#current
    const at = base + rank * STRIDE
    const held = rank < count && state[at + PRICE] === price
    // Restated with the quantity it has: the digits hold.
    if (held && amount === state[at + AMOUNT]) return false
    let n = count
    // The one level to format (none: `writeAt` -1), and its price's part where the price's digits stay.
    let writeAt = at
    let writePrice = price
    let writeAmount = amount
    let pricePart = 0
    let priceLength = -1
    if (held && amount !== 0) {
      // A new quantity: the price's digits stay.
      pricePart = state[at + PRICE_PART]!
      priceLength = state[at + PRICE_LENGTH]!
    } else if (held) {
      // Removed: the levels below move up a rank, and the book's 10th level (the 11th before) comes in last.
      state.copyWithin(at, at + STRIDE, base + count * STRIDE)
      n = count - 1
      writeAt = -1
      if (count === CHECKSUM_DEPTH && book.copyLevels(this.side, CHECKSUM_DEPTH, bookPrices, bookAmounts) === CHECKSUM_DEPTH) {
        writeAt = base + n * STRIDE
        writePrice = bookPrices[n]!
        writeAmount = bookAmounts[n]!
        n = CHECKSUM_DEPTH
      }
    } else if (amount !== 0) {
      // Inserted: the levels from this rank move down one, and a full top 10's last one drops out.
      state.copyWithin(at + STRIDE, at, base + Math.min(count, CHECKSUM_DEPTH - 1) * STRIDE)
      n = Math.min(count + 1, CHECKSUM_DEPTH)
    } else {
      return false // removing a price the book does not hold
    }
    // One call site: V8 inlines the level writer (two digit reads) into every site it is called from,
    // and each copy is more to compile while a fresh feed runs slow code.
    if (writeAt >= 0) this.#writeLevel(writeAt, writePrice, writeAmount, pricePart, priceLength)
    this.#count = n
    this.#runRegister(rank)
    return true
  }

  /** The side's running register and byte count, from rank `from` to its last level (ranks above hold theirs). */
  #runRegister(from: number): void {
    const state = this.#state
    const base = this.#current
    let register = from === 0 ? this.#initial : state[base + (from - 1) * STRIDE + REGISTER]!
    let total = from === 0 ? 0 : state[base + (from - 1) * STRIDE + TOTAL]!
    for (let level = base + from * STRIDE, end = base + this.#count * STRIDE; level < end; level += STRIDE) {
      register = crcShift(register, state[level + LEVEL_LENGTH]!) ^ state[level + LEVEL_PART]!
      total += state[level + LEVEL_LENGTH]!
      state[level + REGISTER] = register
      state[level + TOTAL] = total
    }
  }

  /** Formats one level into the state at `at`: its price's digits too unless `priceLength` ≥ 0 gives them (with their part). */
  #writeLevel(at: number, price: number, amount: number, pricePart: number, priceLength: number): void {
    const state = this.#state
    if (priceLength < 0) {
      pricePart = digitsPart(price, this.#pricePrecision)
      priceLength = digitsLength()
    }
    const amountPart = digitsPart(amount, this.#qtyPrecision)
    const amountLength = digitsLength()
    state[at + PRICE] = price
    state[at + AMOUNT] = amount
    state[at + PRICE_PART] = pricePart
    state[at + PRICE_LENGTH] = priceLength
    state[at + LEVEL_PART] = crcShift(pricePart, amountLength) ^ amountPart
    state[at + LEVEL_LENGTH] = priceLength + amountLength
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
    const state = this.#state
    const last = this.#current
    const next = last === 0 ? HALF : 0
    // The ranks above `from` are unchanged: carried over whole, their running register included.
    if (from > 0) state.copyWithin(next, last, last + from * STRIDE)
    for (let j = from; j < n; j++) {
      const price = bookPrices[j]!
      const amount = bookAmounts[j]!
      // The same price in the last formatting: at this rank, one up (a level above was inserted)
      // or one down (a level above was removed).
      let source = -1
      if (reuse) {
        if (j < old && state[last + j * STRIDE] === price) source = last + j * STRIDE
        else if (j > 0 && j <= old && state[last + (j - 1) * STRIDE] === price) source = last + (j - 1) * STRIDE
        else if (j + 1 < old && state[last + (j + 1) * STRIDE] === price) source = last + (j + 1) * STRIDE
      }
      const at = next + j * STRIDE
      // One call site of the level writer (see setLevel): a new price, or a new quantity at a known price.
      if (source < 0 || state[source + AMOUNT] !== amount) {
        this.#writeLevel(at, price, amount, source < 0 ? 0 : state[source + PRICE_PART]!, source < 0 ? -1 : state[source + PRICE_LENGTH]!)
      } else {
        state[at + PRICE] = price
        state[at + AMOUNT] = amount
        state[at + PRICE_PART] = state[source + PRICE_PART]!
        state[at + PRICE_LENGTH] = state[source + PRICE_LENGTH]!
        state[at + LEVEL_PART] = state[source + LEVEL_PART]!
        state[at + LEVEL_LENGTH] = state[source + LEVEL_LENGTH]!
      }
    }
    this.#current = next
    this.#count = n
    this.#runRegister(from)
  }
}

/** The checksum of the asks then the bids (each formatted), as Kraken computes it: unsigned CRC-32. */
export function checksumOf(asks: SideDigits, bids: SideDigits): number {
  return ~(crcShift(asks.register, bids.length) ^ bids.register) >>> 0
}
