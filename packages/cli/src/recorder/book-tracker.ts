/**
 * Local books per (exchange, symbol), built from the recorded change stream,
 * for two jobs: starting each new book file with a snapshot (so every file
 * replays on its own) and writing `--book-snapshots`. A book is invalid from
 * a `resync` or `disconnected` marker until the next snapshot, so neither
 * job ever writes a stale book.
 */
import { OrderBook } from '@dccd/core'
import type { BookEvent, BookLevel, StatusEvent } from '@dccd/core'
import type { BookSnapshotRecord } from './rows.js'

interface TrackedBook {
  readonly exchange: string
  readonly symbol: string
  readonly book: OrderBook
  valid: boolean
  timestamp: number
  localTimestamp: number
}

/** Books of every recorded symbol. */
export class BookTracker {
  readonly #books = new Map<string, TrackedBook>()

  /** Applies one recorded book event. */
  apply(event: BookEvent): void {
    const key = `${event.exchange}\u0000${event.symbol}`
    let tracked = this.#books.get(key)
    if (tracked === undefined) {
      tracked = { exchange: event.exchange, symbol: event.symbol, book: new OrderBook(), valid: false, timestamp: 0, localTimestamp: 0 }
      this.#books.set(key, tracked)
    }
    if (event.isSnapshot) tracked.valid = true
    tracked.book.apply(event)
    tracked.timestamp = event.timestamp
    tracked.localTimestamp = event.localTimestamp
  }

  /** Invalidates books on `resync` (one symbol) and `disconnected` (one symbol or the whole exchange). */
  onStatus(event: StatusEvent): void {
    if (event.status !== 'resync' && event.status !== 'disconnected') return
    for (const tracked of this.#books.values()) {
      if (tracked.exchange === event.exchange && (event.symbol === undefined || event.symbol === tracked.symbol)) {
        tracked.valid = false
      }
    }
  }

  /** The whole current book as a snapshot event, or undefined when it is not known to be right. */
  snapshotEvent(exchange: string, symbol: string): BookEvent | undefined {
    const tracked = this.#books.get(`${exchange}\u0000${symbol}`)
    if (tracked === undefined || !tracked.valid) return undefined
    return {
      type: 'book',
      exchange,
      symbol,
      isSnapshot: true,
      bids: copyLevels(tracked.book.bids()),
      asks: copyLevels(tracked.book.asks()),
      timestamp: tracked.timestamp,
      localTimestamp: tracked.localTimestamp,
    }
  }

  /** Top `depth` levels of every valid, non-empty book, stamped `at` (µs). */
  topOfBooks(depth: number, at: number): BookSnapshotRecord[] {
    const records: BookSnapshotRecord[] = []
    for (const tracked of this.#books.values()) {
      if (!tracked.valid || (tracked.book.bidCount === 0 && tracked.book.askCount === 0)) continue
      const bids: [number, number][] = []
      const asks: [number, number][] = []
      tracked.book.forEachLevel('bids', depth, (price, amount) => bids.push([price, amount]))
      tracked.book.forEachLevel('asks', depth, (price, amount) => asks.push([price, amount]))
      records.push({ exchange: tracked.exchange, symbol: tracked.symbol, timestamp: tracked.timestamp, localTimestamp: at, bids, asks })
    }
    return records
  }
}

function copyLevels(levels: Iterable<BookLevel>): BookLevel[] {
  const out: BookLevel[] = []
  for (const level of levels) out.push({ price: level.price, amount: level.amount })
  return out
}
