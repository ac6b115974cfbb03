import { runAdapterConformance } from '@dccd/testkit/conformance'
import { futures } from '../src/index.js'
import { futuresContinuity } from './support/futures-continuity.js'
import { servesRoute } from './support/routed-replay.js'

// The real USDⓈ-M capture. It holds no markPrice or forceOrder frames, so `derivatives` and
// `liquidations` are checked on the generated COIN-M session (conformance.delivery.test.ts) and
// with literal frames (futures-parse.test.ts). Each routed connection gets its own path's frames,
// as the routed host sends them.
runAdapterConformance(futures, {
  session: new URL('./fixtures/usdm-2021-07-22.replay.jsonl', import.meta.url),
  symbols: ['SUSHIUSDT', 'AKROUSDT', 'KEEPUSDT', 'CTKUSDT'],
  unknownSymbol: 'NOPEUSDT',
  malformedSymbol: 'btc-usdt',
  // Custom URLs turn validation off by default; the replay serves exchangeInfo.
  feedOptions: { validateSymbols: true },
  channels: ['trades', 'book', 'bars:1m', 'quotes'],
  continuity: futuresContinuity('/fapi/v1/depth'),
  replay: { serves: servesRoute },
})
