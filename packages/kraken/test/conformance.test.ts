import { loadSession } from '@dccd/testkit'
import { runAdapterConformance } from '@dccd/testkit/conformance'
import { exchange } from '../src/index.js'
import { serveAssetPairs } from './support/asset-pairs.js'
import { krakenContinuity, serveSessionTrades } from './support/continuity.js'

const symbols = ['XMR/USD', 'WAVES/EUR', 'KSM/BTC', 'ETH/CHF', 'GRT/ETH']
// Loaded here, not by the suite: the continuity rules recognise checksum-visible updates by frame identity.
const session = loadSession(new URL('./fixtures/v2-2021-04-17.jsonl', import.meta.url))

runAdapterConformance(exchange, {
  session,
  symbols,
  unknownSymbol: 'NOPE/USD',
  malformedSymbol: 'XMRUSD',
  // The capture is a depth-1000 book: at a shallower depth its deletions would uncover levels we never held.
  feedOptions: { bookDepth: 1000 },
  setup: (fx) => {
    serveAssetPairs(fx, symbols)
    serveSessionTrades(fx, session)
  },
  continuity: krakenContinuity(session, symbols[0]!),
})
