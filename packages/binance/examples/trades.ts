// Stream BTCUSDT trades from Binance, print five, stop.
import { exchange } from '@dccd/binance'

const feed = exchange.createFeed({ symbols: ['BTCUSDT'], channels: ['trades'] })
let printed = 0
for await (const event of feed.stream()) {
  if (event.type !== 'trade') continue
  console.log(event.side, event.amount, '@', event.price, new Date(event.timestamp / 1000).toISOString())
  if (++printed === 5) break // closes the connection
}
