import type { ExchangeAdapter } from '@dccd/core'
import { KrakenFeed } from './feed.js'
import { CAPABILITIES } from './options.js'
import type { KrakenFeedOptions } from './options.js'

/**
 * The Kraken adapter descriptor: spot WebSocket v2 trades, bars and
 * checksum-verified books. `createFeed` validates offline and never touches
 * the network.
 *
 * @example
 * const feed = exchange.createFeed({ symbols: ['BTC/USD'], channels: ['trades', 'book'] })
 */
export const exchange: ExchangeAdapter<KrakenFeedOptions> = {
  id: CAPABILITIES.id,
  name: 'Kraken',
  channels: CAPABILITIES.channels,
  barIntervals: CAPABILITIES.barIntervals,
  exampleSymbol: 'BTC/USD',
  createFeed: (options) => new KrakenFeed(options),
}
