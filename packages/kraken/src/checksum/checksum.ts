/**
 * Kraken v2 book checksum (https://docs.kraken.com/exchange/guides/websockets/book-checksum-v2,
 * protocols §2.8): for the best 10 asks (ascending) then the best 10 bids
 * (descending), format price and quantity with the instrument's precision,
 * drop the `.` and the leading zeros, concatenate, and take the CRC32.
 *
 * Hot path: it runs after book updates. A number's digits go straight into
 * their CRC part, four at a time (no number strings, no bytes; see
 * ./digits.ts), each level keeps that part so only changed levels are taken
 * again (./side-digits.ts, ./crc32-shift.ts), and the sides are kept apart
 * so an update touching one side re-reads only that side.
 */
import type { OrderBook } from '@dccd/core'
import { SideDigits, checksumOf } from './side-digits.js'

const scratchAsks = new SideDigits('asks')
const scratchBids = new SideDigits('bids')

/**
 * CRC32 (unsigned 32-bit) of the book's top 10 levels per side, the way
 * Kraken computes it.
 *
 * @param pricePrecision the instrument's `price_precision` (decimals)
 * @param qtyPrecision the instrument's `qty_precision` (decimals)
 * @example krakenChecksum(book, 1, 8) === frame.data[0].checksum
 */
export function krakenChecksum(book: OrderBook, pricePrecision: number, qtyPrecision: number): number {
  scratchAsks.format(book, pricePrecision, qtyPrecision, 0)
  scratchBids.format(book, pricePrecision, qtyPrecision, 0)
  return checksumOf(scratchAsks, scratchBids)
}

/**
 * The string Kraken feeds to CRC32 for a list of levels (one side, best
 * first). For tests and diagnostics; the checksum itself never builds it.
 */
export function checksumInput(
  levels: Iterable<{ readonly price: number; readonly amount: number }>,
  pricePrecision: number,
  qtyPrecision: number,
): string {
  let out = ''
  for (const level of levels) out += digits(level.price, pricePrecision) + digits(level.amount, qtyPrecision)
  return out
}

/** `fmt(value, precision)` without `.` and leading zeros: 0.00100000 → `100000`. */
function digits(value: number, precision: number): string {
  return value.toFixed(precision).replace('.', '').replace(/^0+/, '')
}
