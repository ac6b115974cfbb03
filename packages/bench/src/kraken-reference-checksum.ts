import { crc32 } from 'node:zlib'

/**
 * Kraken's v2 book checksum written the plain way, independently of dccd
 * (https://docs.kraken.com/exchange/guides/websockets/book-checksum-v2): for
 * the best 10 asks (ascending) then the best 10 bids (descending), each price
 * and quantity `toFixed` to the instrument's precision, the `.` and the
 * leading zeros dropped, all concatenated, CRC32 of the text. Lists are flat
 * `[price, qty, price, qty, …]`, best first, at most 10 levels each.
 */
export function krakenReferenceChecksum(asks: readonly number[], bids: readonly number[], pricePrecision = 8, qtyPrecision = 8): number {
  let text = ''
  for (const list of [asks, bids]) {
    for (let i = 0; i < list.length; i += 2) text += digits(list[i]!, pricePrecision) + digits(list[i + 1]!, qtyPrecision)
  }
  return crc32(text) >>> 0
}

function digits(value: number, precision: number): string {
  return value.toFixed(precision).replace('.', '').replace(/^0+/, '')
}
