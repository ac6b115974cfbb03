import type { ExchangeAdapter } from '@dccd/core'
import { __CLASS__ } from './feed.js'
import type { __CLASS__Options } from './feed.js'

/** The __NAME__ adapter descriptor; the CLI finds it as `exchange`. `createFeed` never touches the network. */
export const exchange: ExchangeAdapter<__CLASS__Options> = {
  id: '__ID__',
  name: '__NAME__',
  channels: ['trades'],
  barIntervals: [],
  exampleSymbol: 'BTCUSDT',
  createFeed: (options) => new __CLASS__(options),
}
