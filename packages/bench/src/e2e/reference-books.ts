/**
 * The books a session must end in, kept apart from every client: testkit's
 * `ReferenceBook` per symbol, fed from wire levels, dumped in the bench's
 * flat format. Server side only (the contestants never load it).
 */
import type { BookLevel } from '@dccd/core'
import { ReferenceBook } from '@dccd/testkit/helpers'
import type { FlatBook } from './session.js'

/** A wire level: price and amount as decimal text first (Binance `[p, q]`, OKX `[px, sz, "0", orders]`). */
export type WireLevel = readonly [string, string, ...string[]]

/** One `ReferenceBook` per symbol. */
export class ReferenceBooks {
  readonly #books: Map<string, ReferenceBook>

  constructor(symbols: readonly string[]) {
    this.#books = new Map(symbols.map((symbol) => [symbol, new ReferenceBook()]))
  }

  /** A snapshot replaces `symbol`'s book; a delta sets its levels in order, amount 0 removing one. */
  apply(symbol: string, isSnapshot: boolean, bids: readonly WireLevel[], asks: readonly WireLevel[]): void {
    this.#books.get(symbol)!.apply({ isSnapshot, bids: levels(bids), asks: levels(asks) })
  }

  /** Every book, every level, best first. */
  dump(): Record<string, FlatBook> {
    return Object.fromEntries([...this.#books].map(([symbol, book]) => [symbol, { bids: flat(book.bids()), asks: flat(book.asks()) }]))
  }
}

const levels = (wire: readonly WireLevel[]): BookLevel[] => wire.map(([p, q]) => ({ price: Number(p), amount: Number(q) }))
const flat = (side: readonly BookLevel[]): number[] => side.flatMap((l) => [l.price, l.amount])
