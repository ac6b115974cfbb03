import { runAdapterConformance } from '@dccd/testkit/conformance'
import { exchange } from '../src/index.js'
import { binanceContinuity } from './support/continuity.js'

runAdapterConformance(exchange, {
  session: new URL('./fixtures/spot-2021-10-12.replay.jsonl', import.meta.url),
  symbols: ['NKNUSDT', 'BLZETH', 'LRCBTC', 'RUNEEUR'],
  unknownSymbol: 'NOPEUSDT',
  malformedSymbol: 'btc-usdt',
  // Custom URLs turn validation off by default; the replay serves exchangeInfo.
  feedOptions: { validateSymbols: true },
  channels: ['trades', 'book', 'bars:1m'],
  continuity: binanceContinuity,
})
