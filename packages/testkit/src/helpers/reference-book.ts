/**
 * A deliberately naive book, to check an adapter's book events (or core's
 * `OrderBook`) against: one Map per side, sorted on every read. Slow and
 * obviously right, so a test compares two implementations, not one with itself.
 */
import type { BookLevel, BookUpdate, MarketEvent } from '@dccd/core'

/** Anything with best-first `bids(depth)` / `asks(depth)`: an `OrderBook` or a {@link ReferenceBook}. */
export interface ReadableBook {
  bids(depth?: number): Iterable<BookLevel>
  asks(depth?: number): Iterable<BookLevel>
}

/**
 * @example
 * const reference = new ReferenceBook()
 * for (const event of bookEvents) reference.apply(event)
 * expect(reference.difference(adapterBook, 10)).toBeUndefined()
 */
export class ReferenceBook implements ReadableBook {
  readonly #bids = new Map<number, number>()
  readonly #asks = new Map<number, number>()

  /** A snapshot replaces the book; a delta sets each level in order, amount 0 removing it. */
  apply(update: BookUpdate): void {
    if (update.isSnapshot) this.clear()
    for (const { price, amount } of update.bids) set(this.#bids, price, amount)
    for (const { price, amount } of update.asks) set(this.#asks, price, amount)
  }

  clear(): void {
    this.#bids.clear()
    this.#asks.clear()
  }

  /** Bids, highest first; the best `depth` when given. */
  bids(depth = Infinity): BookLevel[] {
    return sorted(this.#bids, -1).slice(0, depth)
  }

  /** Asks, lowest first; the best `depth` when given. */
  asks(depth = Infinity): BookLevel[] {
    return sorted(this.#asks, 1).slice(0, depth)
  }

  /**
   * The first difference between this book and `other` within the best `depth` levels per side
   * (`"bids level 2: 99.5 × 3 here, 99.5 × 2 there"`), or `undefined` when they agree.
   */
  difference(other: ReadableBook, depth = Infinity): string | undefined {
    for (const side of ['bids', 'asks'] as const) {
      const here = this[side](depth)
      const there = [...other[side](depth)]
      for (let i = 0; i < Math.max(here.length, there.length); i++) {
        const a = here[i]
        const b = there[i]
        if (a?.price === b?.price && a?.amount === b?.amount) continue
        return `${side} level ${i + 1}: ${level(a)} here, ${level(b)} there`
      }
    }
    return undefined
  }
}

/**
 * The books a consumer holds after `events`, per symbol: snapshots replace, deltas set levels,
 * a `resync` empties its symbol's book and a `disconnected` empties the books it names (all of
 * them when it names no symbol) until their next snapshot.
 *
 * @example
 * const books = consumerBooks(events)
 * expect(books.get('BTCUSDT')!.difference(expected)).toBeUndefined()
 */
export function consumerBooks(events: readonly MarketEvent[]): Map<string, ReferenceBook> {
  const books = new Map<string, ReferenceBook>()
  for (const event of events) {
    if (event.type === 'status' && (event.status === 'resync' || event.status === 'disconnected')) {
      if (event.symbol !== undefined) books.get(event.symbol)?.clear()
      else if (event.status === 'disconnected') for (const book of books.values()) book.clear()
    }
    if (event.type !== 'book') continue
    let book = books.get(event.symbol)
    if (book === undefined) books.set(event.symbol, (book = new ReferenceBook()))
    book.apply(event)
  }
  return books
}

function set(side: Map<number, number>, price: number, amount: number): void {
  if (amount === 0) side.delete(price)
  else side.set(price, amount)
}

function sorted(side: Map<number, number>, direction: 1 | -1): BookLevel[] {
  return [...side].map(([price, amount]) => ({ price, amount })).sort((a, b) => direction * (a.price - b.price))
}

const level = (l: BookLevel | undefined): string => (l === undefined ? 'nothing' : `${l.price} × ${l.amount}`)
