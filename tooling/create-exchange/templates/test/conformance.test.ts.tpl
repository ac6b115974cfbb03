import { runAdapterConformance } from '@dccd/testkit/conformance'
import { exchange } from '../src/index.js'

// TODO(new adapter): record a real session into test/fixtures (see its README) and point at it.
runAdapterConformance(exchange, {
  session: new URL('./fixtures/session.replay.jsonl', import.meta.url),
  symbols: ['BTCUSDT'],
  unknownSymbol: 'NOPEUSDT',
  malformedSymbol: 'btc usdt',
})
