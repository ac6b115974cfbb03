// Stream BTC-USDT spot and BTC-USDT-SWAP trades, print five, stop.
import { exchange } from '@dccd/okx'

const feed = exchange.createFeed({ symbols: ['BTC-USDT', 'BTC-USDT-SWAP'], channels: ['trades'] })
let printed = 0
for await (const event of feed.stream()) {
  if (event.type !== 'trade') continue
  // Spot amounts are BTC; swap amounts are contracts of 0.01 BTC (see exchange.instruments()).
  console.log(event.symbol, event.side, event.amount, '@', event.price, new Date(event.timestamp / 1000).toISOString())
  if (++printed === 5) break // closes the connection
}
