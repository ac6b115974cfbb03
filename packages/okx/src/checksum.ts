/**
 * OKX's book checksum (deprecated: OKX sends 0 today, but verified whenever
 * it is not): CRC32 of `bid1px:bid1sz:ask1px:ask1sz:bid2px:…` over the best
 * 25 bids and 25 asks, interleaved bid then ask (when one side runs out the
 * other continues alone), with the price and size strings exactly as OKX
 * sent them, read as a signed 32-bit integer.
 * https://www.okx.com/docs-v5/en/#order-book-trading-market-data-ws-order-book-channel
 *
 * The book keeps each level's wire strings by price beside a numeric
 * `OrderBook`, which gives the order; it is only kept while checksums are
 * being verified, so books streamed with checksum 0 cost nothing here.
 */
import { crc32 } from 'node:zlib'
import { OrderBook } from '@dccd/core'
import type { BookSideName } from '@dccd/core'
import type { OkxLevel } from './wire.js'

/** Levels per side the checksum covers. */
export const CHECKSUM_DEPTH = 25

/** One instrument's book with the wire strings of every level, for the checksum. */
export class ChecksumBook {
  readonly #book = new OrderBook()
  /** Per price, the level's `px:sz` as sent: built once when the level changes, joined for every checksum. */
  readonly #bidText = new Map<number, string>()
  readonly #askText = new Map<number, string>()
  readonly #prices = { bids: new Float64Array(CHECKSUM_DEPTH), asks: new Float64Array(CHECKSUM_DEPTH) }
  readonly #amounts = new Float64Array(CHECKSUM_DEPTH)
  /** Reused between checksums. */
  readonly #parts: string[] = []

  /** Empties the book (before a snapshot). */
  clear(): void {
    this.#book.clear()
    this.#bidText.clear()
    this.#askText.clear()
  }

  /**
   * Applies one side's wire levels, already checked by the parser: size `"0"` deletes.
   * `prices` are the parsed prices of `levels`, in the same order.
   */
  apply(side: BookSideName, levels: readonly OkxLevel[], parsed: readonly { price: number; amount: number }[]): void {
    const text = side === 'bids' ? this.#bidText : this.#askText
    for (let i = 0; i < levels.length; i++) {
      const { price, amount } = parsed[i]!
      this.#book.set(side, price, amount)
      if (amount === 0) text.delete(price)
      else text.set(price, `${levels[i]![0]}:${levels[i]![1]}`)
    }
  }

  /** OKX's checksum of the current top 25. */
  checksum(): number {
    const bids = this.#book.copyLevels('bids', CHECKSUM_DEPTH, this.#prices.bids, this.#amounts)
    const asks = this.#book.copyLevels('asks', CHECKSUM_DEPTH, this.#prices.asks, this.#amounts)
    const parts = this.#parts
    parts.length = 0
    for (let i = 0; i < CHECKSUM_DEPTH; i++) {
      if (i < bids) parts.push(this.#bidText.get(this.#prices.bids[i]!)!)
      if (i < asks) parts.push(this.#askText.get(this.#prices.asks[i]!)!)
    }
    return crc32(parts.join(':')) | 0
  }
}
