// Keep a local BTC-USDT-SWAP book in sync and print the spread on every update; a resync is announced.
import { OrderBook } from '@dccd/core'
import { exchange } from '@dccd/okx'

const feed = exchange.createFeed({ symbols: ['BTC-USDT-SWAP'], channels: ['book'] })
const book = new OrderBook()
let updates = 0
for await (const event of feed.stream()) {
  if (event.type === 'status') console.log(event.status, event.reason ?? '')
  if (event.type !== 'book') continue
  book.apply(event)
  console.log(book.bestBid()?.price, book.bestAsk()?.price)
  if (++updates === 50) break
}
