/**
 * The adapter descriptor the CLI and the conformance suite find as `exchange`.
 */
import type { ExchangeAdapter } from '@dccd/core'
import { CAPABILITIES } from './capabilities.js'
import { OKXFeed } from './feed.js'
import type { OKXFeedOptions } from './options.js'

/**
 * OKX: `trades` and `book`. `createFeed` validates offline and never touches the network.
 *
 * @example
 * const feed = exchange.createFeed({ symbols: ['BTCUSDT'], channels: ['trades', 'book'] })
 */
export const exchange: ExchangeAdapter<OKXFeedOptions> = {
  ...CAPABILITIES,
  createFeed: (options) => new OKXFeed(options),
}
