import { crc32 } from 'node:zlib'

/**
 * OKX's `books` checksum written the plain way, independently of dccd
 * (https://www.okx.com/docs-v5/en/#order-book-trading-market-data-ws-order-book-channel;
 * deprecated, OKX sends 0 today): the best 25 bids and 25 asks as
 * `bid1px:bid1sz:ask1px:ask1sz:bid2px:…`, bid then ask at each rank (when one
 * side runs out the other continues alone), the wire strings as sent, CRC32
 * read as a signed 32-bit integer. Lists are flat `[price, size, price, size, …]`
 * text, best first; levels past the 25th are ignored.
 */
export function okxReferenceChecksum(bids: readonly string[], asks: readonly string[]): number {
  const parts: string[] = []
  for (let i = 0; i < 2 * 25; i += 2) {
    if (i < bids.length) parts.push(bids[i]!, bids[i + 1]!)
    if (i < asks.length) parts.push(asks[i]!, asks[i + 1]!)
  }
  return crc32(parts.join(':')) | 0
}
