/**
 * What the __NAME__ adapter offers and how __NAME__ names things: the id,
 * channels, bar intervals and symbol format. Shared by the descriptor, the
 * option checks and the parser.
 * TODO(new adapter): the exchange's real channels and symbol format, with a link to its docs.
 */
import type { ChannelKind } from '@dccd/core'

/** Adapter id (`@dccd/__ID__`). */
export const EXCHANGE_ID = '__ID__'

/** What the adapter offers: the descriptor's fields and what `parseChannels` checks against. */
export const CAPABILITIES = {
  id: EXCHANGE_ID,
  name: '__NAME__',
  channels: ['trades', 'book'] as readonly ChannelKind[],
  barIntervals: [] as readonly string[],
  exampleSymbol: 'BTCUSDT',
}

/** The symbol pattern the exchange lists (`BTCUSDT`). */
export const SYMBOL_FORMAT = /^[A-Z0-9]{2,20}$/

/** How {@link SYMBOL_FORMAT} reads in error messages. */
export const SYMBOL_FORMAT_DESCRIPTION = 'upper-case letters and digits like BTCUSDT'
