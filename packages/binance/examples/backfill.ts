// Download one day of BTCUSDT trades and 1m bars from Binance's REST history.
import { nowMicros } from '@dccd/core'
import { exchange } from '@dccd/binance'

const history = exchange.createHistory!({ restWeightShare: 0.5 }) // leave room for a running feed
const from = Date.UTC(2026, 0, 1) * 1000
const to = from + 86_400_000_000
const signal = new AbortController().signal
history.check({ symbols: ['BTCUSDT'], channels: ['trades', 'bars:1m'], from, to }, nowMicros())
await history.checkSymbols(['BTCUSDT'], signal)
let trades = 0
for await (const page of history.trades({ symbol: 'BTCUSDT', from, to }, signal)) trades += page.length
let bars = 0
for await (const page of history.bars({ symbol: 'BTCUSDT', interval: '1m', from, to }, signal)) bars += page.length
console.log({ trades, bars })
