import { runAdapterConformance } from '@dccd/testkit/conformance'
import { futures } from '../src/index.js'
import { futuresContinuity } from './support/futures-continuity.js'

// The real USDⓈ-M capture. It holds no markPrice or forceOrder frames, so `derivatives` and
// `liquidations` are checked on the generated COIN-M session (conformance.delivery.test.ts) and
// with literal frames (futures-parse.test.ts). Each routed connection gets the whole replay; the
// feed takes each stream from its own path's connection only.
runAdapterConformance(futures, {
  session: new URL('./fixtures/usdm-2021-07-22.replay.jsonl', import.meta.url),
  symbols: ['SUSHIUSDT', 'AKROUSDT', 'KEEPUSDT', 'CTKUSDT'],
  unknownSymbol: 'NOPEUSDT',
  malformedSymbol: 'btc-usdt',
  // Custom URLs turn validation off by default; the replay serves exchangeInfo.
  feedOptions: { validateSymbols: true },
  channels: ['trades', 'book', 'bars:1m', 'quotes'],
  continuity: futuresContinuity('/fapi/v1/depth'),
})
