import { runAdapterConformance } from '@dccd/testkit/conformance'
import { delivery } from '../src/index.js'
import { COINM_SESSION_SYMBOLS, coinmSession } from './support/coinm-session.js'
import { futuresContinuity } from './support/futures-continuity.js'

// A generated COIN-M session (support/coinm-session.ts) with every channel: no COIN-M capture exists.
runAdapterConformance(delivery, {
  session: coinmSession(),
  symbols: COINM_SESSION_SYMBOLS,
  unknownSymbol: 'NOPEUSD_PERP',
  malformedSymbol: 'BTCUSD',
  feedOptions: { validateSymbols: true },
  continuity: futuresContinuity('/dapi/v1/depth'),
})
