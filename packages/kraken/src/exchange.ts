/**
 * The adapter descriptor the CLI and the conformance suite find as `exchange`.
 */
import type { ExchangeAdapter } from '@dccd/core'
import { CAPABILITIES } from './capabilities.js'
import { KrakenFeed } from './feed.js'
import type { KrakenFeedOptions } from './options.js'

/**
 * Kraken spot WebSocket v2: `trades`, `bars:<interval>` (`ohlc`) and
 * checksum-verified `book`. `createFeed` validates offline and never touches
 * the network.
 *
 * @example
 * import { exchange } from '@dccd/kraken'
 * const feed = exchange.createFeed({ symbols: ['BTC/USD'], channels: ['trades', 'book'] })
 */
export const exchange: ExchangeAdapter<KrakenFeedOptions> = {
  ...CAPABILITIES,
  createFeed: (options) => new KrakenFeed(options),
}
