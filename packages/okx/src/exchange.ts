/**
 * The adapter descriptor the CLI and the conformance suite find as `exchange`.
 */
import type { ExchangeAdapter } from '@dccd/core'
import { CAPABILITIES, MARKET } from './capabilities.js'
import { OkxFeed } from './feed.js'
import { createOkxHistory } from './history.js'
import { listInstruments } from './instruments.js'
import { DEFAULT_REST_URL, DEFAULT_WS_URL } from './options.js'
import type { OkxFeedOptions } from './options.js'

/**
 * OKX v5: spot, perpetual swaps and expiry futures on one feed — `trades`, `book`,
 * `bars:<interval>`, `quotes`, `derivatives`, `liquidations`. `createFeed` validates
 * offline and never touches the network.
 *
 * @example
 * const feed = exchange.createFeed({ symbols: ['BTC-USDT', 'BTC-USDT-SWAP'], channels: ['trades', 'book'] })
 */
export const exchange: ExchangeAdapter<OkxFeedOptions> = {
  ...CAPABILITIES,
  market: MARKET,
  endpoints: { wsUrl: DEFAULT_WS_URL, restUrl: DEFAULT_REST_URL },
  createFeed: (options) => new OkxFeed(options),
  instruments: (options) => listInstruments(options),
  createHistory: (options) => createOkxHistory(options),
}
