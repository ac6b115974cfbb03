/**
 * The adapter descriptor the CLI and the conformance suite find as `exchange`.
 */
import type { ExchangeAdapter } from '@dccd/core'
import { CAPABILITIES } from './capabilities.js'
import { KrakenFeed } from './feed.js'
import { createKrakenHistory } from './history.js'
import { DEFAULT_REST_URL, DEFAULT_WS_URL } from './options.js'
import type { KrakenFeedOptions } from './options.js'

/**
 * Kraken spot WebSocket v2: `trades`, `bars:<interval>` (`ohlc`) and
 * checksum-verified `book`. `createFeed` validates offline and never touches
 * the network. `createHistory` is Kraken's REST history for backfills: trades
 * from `Trades` (the whole history, paged by time), closed bars from `OHLC`
 * (the latest 720 intervals only), one call per second per pair.
 *
 * @example
 * import { exchange } from '@dccd/kraken'
 * const feed = exchange.createFeed({ symbols: ['BTC/USD'], channels: ['trades', 'book'] })
 * const history = exchange.createHistory!({})
 */
export const exchange: ExchangeAdapter<KrakenFeedOptions> = {
  ...CAPABILITIES,
  endpoints: { wsUrl: DEFAULT_WS_URL, restUrl: DEFAULT_REST_URL },
  createFeed: (options) => new KrakenFeed(options),
  createHistory: (options) => createKrakenHistory(options),
}
