import type { MarketEvent } from './events.js'
import { OrderBook } from './order-book.js'

interface Entry {
  readonly book: OrderBook
  /** False until the first snapshot, and again from a resync until the next snapshot. */
  valid: boolean
}

/**
 * Local order books per (exchange, symbol), built from a {@link MarketEvent}
 * stream, for consumers of a feed.
 *
 * Rules, per book:
 * - a `book` snapshot replaces the book and makes it valid;
 * - a `book` delta updates a valid book; while the book is not valid (no
 *   snapshot yet, or after a resync) deltas are ignored, because applying
 *   them to a book with missing updates would give wrong levels;
 * - `status: 'resync'` clears the book and makes it invalid until the next
 *   snapshot; so do `disconnected` and `gap` when they concern books
 *   (`channel` absent or `'book'`), since updates are lost either way. A
 *   status without `symbol` applies to every book of that exchange.
 *
 * @example
 * const books = new OrderBookSet()
 * for await (const event of feed.stream()) {
 *   const book = books.apply(event)
 *   if (event.type === 'book' && book) console.log(book.bestBid(), book.bestAsk())
 * }
 */
export class OrderBookSet {
  readonly #byExchange = new Map<string, Map<string, Entry>>()

  /**
   * Updates the books from one event.
   *
   * @returns the event's symbol's book when it is valid after the event
   *   (for any event type with a symbol), otherwise `undefined`
   */
  apply(event: MarketEvent): OrderBook | undefined {
    if (event.type === 'book') {
      const entry = this.#entry(event.exchange, event.symbol, event.isSnapshot)
      if (entry === undefined) return undefined
      if (event.isSnapshot) {
        entry.book.apply(event)
        entry.valid = true
      } else if (entry.valid) {
        entry.book.apply(event)
      }
      return entry.valid ? entry.book : undefined
    }
    if (event.type === 'status') {
      if (invalidates(event)) this.#invalidate(event.exchange, event.symbol)
      return event.symbol === undefined ? undefined : this.get(event.exchange, event.symbol)
    }
    return this.get(event.exchange, event.symbol)
  }

  /** The book for `symbol` on `exchange`, or `undefined` when there is none or it is not valid. */
  get(exchange: string, symbol: string): OrderBook | undefined {
    const entry = this.#byExchange.get(exchange)?.get(symbol)
    return entry?.valid ? entry.book : undefined
  }

  /** True when the book has had a snapshot and no resync since. */
  isValid(exchange: string, symbol: string): boolean {
    return this.#byExchange.get(exchange)?.get(symbol)?.valid === true
  }

  /** Symbols with a book (valid or not) on `exchange`. */
  symbols(exchange: string): string[] {
    return [...(this.#byExchange.get(exchange)?.keys() ?? [])]
  }

  #entry(exchange: string, symbol: string, create: boolean): Entry | undefined {
    let symbols = this.#byExchange.get(exchange)
    if (symbols === undefined) {
      if (!create) return undefined
      symbols = new Map()
      this.#byExchange.set(exchange, symbols)
    }
    let entry = symbols.get(symbol)
    if (entry === undefined && create) {
      entry = { book: new OrderBook(), valid: false }
      symbols.set(symbol, entry)
    }
    return entry
  }

  #invalidate(exchange: string, symbol: string | undefined): void {
    const symbols = this.#byExchange.get(exchange)
    if (symbols === undefined) return
    const entries = symbol === undefined ? symbols.values() : [symbols.get(symbol)]
    for (const entry of entries) {
      if (entry === undefined) continue
      entry.valid = false
      entry.book.clear()
    }
  }
}

function invalidates(event: MarketEvent & { type: 'status' }): boolean {
  if (event.status === 'resync') return true
  if (event.status === 'disconnected' || event.status === 'gap') {
    return event.channel === undefined || event.channel === 'book'
  }
  return false
}

/** One event with the book it concerns (see {@link OrderBookSet.apply}). */
export interface EventWithBook {
  readonly event: MarketEvent
  /** The event's symbol's book when valid after the event; a live object that later events change. */
  readonly book: OrderBook | undefined
}

/**
 * Pairs each event of a stream with its symbol's local book, kept by an
 * {@link OrderBookSet} (pass your own to inspect other books too).
 *
 * @example
 * for await (const { event, book } of withBooks(feed.stream())) {
 *   if (event.type === 'book' && book) console.log(event.symbol, book.bestBid()?.price, book.bestAsk()?.price)
 * }
 */
export async function* withBooks(
  events: AsyncIterable<MarketEvent>,
  books: OrderBookSet = new OrderBookSet(),
): AsyncGenerator<EventWithBook, void, undefined> {
  for await (const event of events) {
    yield { event, book: books.apply(event) }
  }
}
