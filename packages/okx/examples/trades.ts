import { exchange } from '@dccd/okx'

const feed = exchange.createFeed({ symbols: ['BTCUSDT'], channels: ['trades', 'book'] })
let seen = 0
for await (const event of feed.stream()) {
  if (event.type !== 'trade') continue
  console.log(event.symbol, event.side, event.price, event.amount)
  if (++seen === 5) await feed.stop()
}
