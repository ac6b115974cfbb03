/**
 * The adapter descriptor the CLI and the conformance suite find as `exchange`.
 */
import type { ExchangeAdapter } from '@dccd/core'
import { CAPABILITIES } from './capabilities.js'
import { __CLASS__ } from './feed.js'
import { DEFAULT_REST_URL, DEFAULT_WS_URL } from './options.js'
import type { __CLASS__Options } from './options.js'

/**
 * __NAME__: `trades` and `book`. `createFeed` validates offline and never touches the network.
 *
 * @example
 * const feed = exchange.createFeed({ symbols: ['BTCUSDT'], channels: ['trades', 'book'] })
 */
export const exchange: ExchangeAdapter<__CLASS__Options> = {
  ...CAPABILITIES,
  // The production base URLs (`dccd capture` records through a proxy forwarding there).
  endpoints: { wsUrl: DEFAULT_WS_URL, restUrl: DEFAULT_REST_URL },
  createFeed: (options) => new __CLASS__(options),
}
