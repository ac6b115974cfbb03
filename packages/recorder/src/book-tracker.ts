/**
 * Local books per (exchange, symbol), built from the recorded change stream,
 * for two jobs: starting each new book file with a snapshot (so every file
 * replays on its own) and writing book snapshots. A book is invalid from
 * a `resync` or `disconnected` marker until the next snapshot, so neither
 * job ever writes a stale book.
 */
import { OrderBookSet } from '@dccd/core'
import type { BookEvent, StatusEvent } from '@dccd/core'
import type { BookSnapshotRecord } from './rows.js'

/** Exchange times of the last event applied to a book. */
interface BookClock {
  readonly exchange: string
  readonly symbol: string
  timestamp: number
  localTimestamp: number
}

/** Books of every recorded symbol; validity rules are core's {@link OrderBookSet}'s. */
export class BookTracker {
  readonly #books = new OrderBookSet()
  readonly #clocks = new Map<string, BookClock>()

  /** Applies one recorded book event. */
  apply(event: BookEvent): void {
    this.#books.apply(event)
    const key = `${event.exchange}\u0000${event.symbol}`
    const clock = this.#clocks.get(key)
    if (clock === undefined) {
      this.#clocks.set(key, { exchange: event.exchange, symbol: event.symbol, timestamp: event.timestamp, localTimestamp: event.localTimestamp })
    } else {
      clock.timestamp = event.timestamp
      clock.localTimestamp = event.localTimestamp
    }
  }

  /** Invalidates books on `resync` (one symbol) and `disconnected` (one symbol or the whole exchange). */
  onStatus(event: StatusEvent): void {
    this.#books.apply(event)
  }

  /** The whole current book as a snapshot event, or undefined when it is not known to be right. */
  snapshotEvent(exchange: string, symbol: string): BookEvent | undefined {
    const book = this.#books.get(exchange, symbol)
    const clock = this.#clocks.get(`${exchange}\u0000${symbol}`)
    if (book === undefined || clock === undefined) return undefined
    return {
      type: 'book',
      exchange,
      symbol,
      isSnapshot: true,
      bids: [...book.bids()],
      asks: [...book.asks()],
      timestamp: clock.timestamp,
      localTimestamp: clock.localTimestamp,
    }
  }

  /** Top `depth` levels of every valid, non-empty book, stamped `at` (µs). */
  topOfBooks(depth: number, at: number): BookSnapshotRecord[] {
    const records: BookSnapshotRecord[] = []
    for (const clock of this.#clocks.values()) {
      const book = this.#books.get(clock.exchange, clock.symbol)
      if (book === undefined || (book.bidCount === 0 && book.askCount === 0)) continue
      const bids: [number, number][] = []
      const asks: [number, number][] = []
      book.forEachLevel('bids', depth, (price, amount) => bids.push([price, amount]))
      book.forEachLevel('asks', depth, (price, amount) => asks.push([price, amount]))
      records.push({ exchange: clock.exchange, symbol: clock.symbol, timestamp: clock.timestamp, localTimestamp: at, bids, asks })
    }
    return records
  }
}
