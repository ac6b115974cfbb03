// The README's example, kept here so the type check and a test keep it honest.
import { OrderBook, withBooks } from '@dccd/core'
import type { MarketEvent } from '@dccd/core'

const book = new OrderBook()
book.apply({ isSnapshot: true, bids: [{ price: 100, amount: 2 }], asks: [{ price: 101, amount: 1 }] })
book.set('bids', 100.5, 3) // amount 0 would remove the level
console.log(book.bestBid(), book.bestAsk()) // { price: 100.5, amount: 3 } { price: 101, amount: 1 }
book.forEachLevel('bids', 10, (price, amount) => console.log(price, amount)) // top 10, allocation-free

// Consumers of a feed: one book per (exchange, symbol), reset on snapshots, invalid after a resync.
async function* events(): AsyncGenerator<MarketEvent> {
  const base = { type: 'book', exchange: 'demo', symbol: 'BTCUSDT', timestamp: 0, localTimestamp: 0 } as const
  yield { ...base, isSnapshot: true, bids: [{ price: 100, amount: 1 }], asks: [{ price: 102, amount: 1 }] }
  yield { ...base, isSnapshot: false, bids: [], asks: [{ price: 101, amount: 4 }] }
}
for await (const { event, book } of withBooks(events())) {
  if (event.type === 'book' && book) console.log(event.symbol, book.bestBid()?.price, book.bestAsk()?.price)
}
