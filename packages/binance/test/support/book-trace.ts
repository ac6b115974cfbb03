/** Compact views of a feed's book events for book-sync tests. */
import { OrderBook } from '@dccd/core'
import type { BookEvent, MarketEvent } from '@dccd/core'

/** 'S' snapshot, 'd' delta, status names, in order. */
export function trace(events: readonly MarketEvent[]): string[] {
  return events.map((e) => (e.type === 'status' ? e.status : (e as BookEvent).isSnapshot ? 'S' : 'd'))
}

/** The book a consumer holds after applying every book event of `events` (snapshots reset it). */
export function bookOf(events: readonly MarketEvent[]): OrderBook {
  const book = new OrderBook()
  for (const event of events) if (event.type === 'book') book.apply(event)
  return book
}
