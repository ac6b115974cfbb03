// Binance COIN-M futures: BTCUSD_PERP liquidations in contracts and in BTC; print three, stop.
import { delivery } from '@dccd/binance'

// One BTCUSD contract is worth contractSize (100) USD: BTC = contracts × contractSize ÷ price.
const instruments = await delivery.instruments!()
const contractSize = instruments.find((i) => i.symbol === 'BTCUSD_PERP')!.contractSize!
const feed = delivery.createFeed({ symbols: ['BTCUSD_PERP'], channels: ['liquidations'] })
let printed = 0
for await (const event of feed.stream()) {
  if (event.type !== 'liquidation') continue
  const btc = (event.amount * contractSize) / event.price
  console.log(event.side, event.amount, 'contracts =', btc.toFixed(4), 'BTC @', event.price)
  if (++printed === 3) break
}
