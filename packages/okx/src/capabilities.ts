/**
 * What the OKX adapter offers and how OKX names things: the id,
 * channels, bar intervals and symbol format. Shared by the descriptor, the
 * option checks and the parser.
 * TODO(new adapter): the exchange's real channels and symbol format, with a link to its docs.
 */
import type { ChannelKind } from '@dccd/core'

/** Adapter id (`@dccd/okx`). */
export const EXCHANGE_ID = 'okx'

/** What the adapter offers: the descriptor's fields and what `parseChannels` checks against. */
export const CAPABILITIES = {
  id: EXCHANGE_ID,
  name: 'OKX',
  channels: ['trades', 'book'] as readonly ChannelKind[],
  barIntervals: [] as readonly string[],
  exampleSymbol: 'BTCUSDT',
}

/** The symbol pattern the exchange lists (`BTCUSDT`). */
export const SYMBOL_FORMAT = /^[A-Z0-9]{2,20}$/

/** How {@link SYMBOL_FORMAT} reads in error messages. */
export const SYMBOL_FORMAT_DESCRIPTION = 'upper-case letters and digits like BTCUSDT'
