/**
 * A deliberately simple reference for OKX's order book checksum, for tests to cross-check the adapter's fast one.
 * OKX's rule (https://www.okx.com/docs-v5/en/#order-book-trading-market-data-ws-order-book-channel, "Checksum";
 * reproduced on all 197 books messages of the 2022 capture, see support-checksum.test.ts): take the best 25 bids
 * and the best 25 asks, build `bid1px:bid1sz:ask1px:ask1sz:bid2px:…` interleaving bid i then ask i (when one side
 * runs out, the other continues alone), using the price and size strings exactly as sent, and take zlib's CRC32
 * of it as a SIGNED 32-bit integer. OKX has deprecated the field (it sends 0 today).
 *
 * No speed tricks on purpose: a Map of levels per side, sorted on every call.
 */
import { crc32 } from 'node:zlib'
import type { OkxLevel } from './okx-frames.js'

/** Levels the checksum covers per side. */
export const CHECKSUM_DEPTH = 25

/**
 * The checksum of a book given best-first levels (bids descending, asks ascending).
 *
 * @example okxChecksum([['30228.6', '0.23393', '0', '2']], [['30228.7', '1.5', '0', '1']]) // crc32('30228.6:0.23393:30228.7:1.5') | 0
 */
export function okxChecksum(bids: readonly OkxLevel[], asks: readonly OkxLevel[]): number {
  return crc32(checksumText(bids, asks)) | 0
}

/** The text the checksum is taken of. */
export function checksumText(bids: readonly OkxLevel[], asks: readonly OkxLevel[]): string {
  const parts: string[] = []
  for (let i = 0; i < CHECKSUM_DEPTH; i++) {
    const bid = bids[i]
    const ask = asks[i]
    if (bid !== undefined) parts.push(bid[0], bid[1])
    if (ask !== undefined) parts.push(ask[0], ask[1])
  }
  return parts.join(':')
}

/**
 * A string order book that applies OKX `books` rows: a snapshot replaces it, an update sets or (size `"0"`)
 * deletes levels. Levels are matched by numeric price but kept with the strings as sent.
 */
export class ReferenceBook {
  readonly #bids = new Map<number, OkxLevel>()
  readonly #asks = new Map<number, OkxLevel>()

  /** Applies one row of a `books` push (`action` `snapshot` or `update`). */
  apply(action: 'snapshot' | 'update', row: { readonly bids: readonly OkxLevel[]; readonly asks: readonly OkxLevel[] }): void {
    if (action === 'snapshot') {
      this.#bids.clear()
      this.#asks.clear()
    }
    for (const [side, levels] of [[this.#bids, row.bids], [this.#asks, row.asks]] as const) {
      for (const level of levels) {
        if (Number(level[1]) === 0) side.delete(Number(level[0]))
        else side.set(Number(level[0]), level)
      }
    }
  }

  /** Bids, best (highest) first. */
  bids(): OkxLevel[] {
    return [...this.#bids.entries()].sort((a, b) => b[0] - a[0]).map(([, level]) => level)
  }

  /** Asks, best (lowest) first. */
  asks(): OkxLevel[] {
    return [...this.#asks.entries()].sort((a, b) => a[0] - b[0]).map(([, level]) => level)
  }

  /** {@link okxChecksum} of the current book. */
  checksum(): number {
    return okxChecksum(this.bids(), this.asks())
  }
}
