// Binance USDⓈ-M futures: BTCUSDT trades, mark price and funding; print five events, stop.
import { futures } from '@dccd/binance'

const feed = futures.createFeed({ symbols: ['BTCUSDT'], channels: ['trades', 'derivatives'] })
let printed = 0
for await (const event of feed.stream()) {
  if (event.type === 'trade') console.log('trade', event.side, event.amount, 'BTC @', event.price)
  else if (event.type === 'derivative' && event.markPrice !== undefined) console.log('mark', event.markPrice, 'funding', event.fundingRate)
  else if (event.type === 'derivative') console.log('open interest', event.openInterest, 'BTC')
  else continue
  if (++printed === 5) break // closes both connections (/public and /market)
}
