/**
 * Several symbols' `BookSync`s at one depth, created as the instrument channel
 * would (precision first), for tests that replay multi-symbol sessions without
 * a feed.
 */
import type { BookEvent, OrderBook, StatusEvent } from '@dccd/core'
import { BookSync } from '../../src/book-sync.js'
import type { KrakenBookData } from '../../src/wire.js'

export class BookSyncs {
  readonly #syncs = new Map<string, BookSync>()

  /** @throws InvalidArgumentError for a depth Kraken does not serve (as `BookSync` does) */
  constructor(readonly depth: number) {
    new BookSync('probe', depth, 0, 0)
  }

  setPrecision(symbol: string, pricePrecision: number, qtyPrecision: number): void {
    const sync = this.#syncs.get(symbol)
    if (sync === undefined) this.#syncs.set(symbol, new BookSync(symbol, this.depth, pricePrecision, qtyPrecision))
    else sync.setPrecision(pricePrecision, qtyPrecision)
  }

  apply(isSnapshot: boolean, data: KrakenBookData, receivedAt: number): BookEvent | StatusEvent | undefined {
    const sync = this.#syncs.get(data.symbol)
    if (sync === undefined) throw new Error(`No instrument precision for ${data.symbol}`)
    return sync.apply(isSnapshot, data, receivedAt)
  }

  book(symbol: string): OrderBook | undefined {
    return this.#syncs.get(symbol)?.book
  }

  isSynced(symbol: string): boolean {
    return this.#syncs.get(symbol)?.synced ?? false
  }

  mismatchStreak(symbol: string): number {
    return this.#syncs.get(symbol)?.mismatchStreak ?? 0
  }

  reset(): void {
    for (const sync of this.#syncs.values()) sync.reset()
  }
}
