/**
 * What the Binance spot adapter offers and how Binance names things: the id,
 * channels, kline intervals, symbol format, and the per-connection rules.
 * Shared by the descriptor, the option checks, the subscriptions and the parser.
 * See https://developers.binance.com/docs/binance-spot-api-docs/web-socket-streams
 */
import type { ChannelKind } from '@dccd/core'

/** Adapter id (`@dccd/binance`). */
export const EXCHANGE_ID = 'binance'

/** Kline intervals Binance spot accepts, case-sensitive (`1M` is a month, `1m` a minute). */
export const BINANCE_INTERVALS = [
  '1s',
  '1m',
  '3m',
  '5m',
  '15m',
  '30m',
  '1h',
  '2h',
  '4h',
  '6h',
  '8h',
  '12h',
  '1d',
  '3d',
  '1w',
  '1M',
] as const

/** What the adapter offers: the descriptor's fields and what `parseChannels` checks against. */
export const CAPABILITIES = {
  id: EXCHANGE_ID,
  name: 'Binance',
  channels: ['trades', 'book', 'bars'] as readonly ChannelKind[],
  barIntervals: BINANCE_INTERVALS as readonly string[],
  exampleSymbol: 'BTCUSDT',
}

/** The symbol pattern of Binance's filters (`^[A-Z0-9-_.]{1,20}$`): upper-case, as `BTCUSDT`. */
export const SYMBOL_FORMAT = /^[A-Z0-9\-_.]{1,20}$/

/** How {@link SYMBOL_FORMAT} reads in error messages. */
export const SYMBOL_FORMAT_DESCRIPTION = 'upper-case Binance symbol like BTCUSDT (A-Z 0-9 - _ ., 1-20 chars)'

/** Binance closes any connection carrying more than this many streams. */
export const MAX_STREAMS_PER_CONNECTION = 1024

/**
 * Binance allows 5 incoming messages per second per connection, counting pings,
 * pongs and control messages; we pace SUBSCRIBE messages below that so the
 * automatic pong to the server's 20 s ping never pushes a second over the limit.
 */
export const MAX_CONTROL_MESSAGES_PER_SECOND = 4

/** Connection attempts Binance accepts per IP within {@link CONNECTION_ATTEMPT_WINDOW_MS}. */
export const MAX_CONNECTION_ATTEMPTS = 300
export const CONNECTION_ATTEMPT_WINDOW_MS = 5 * 60_000

/** Binance disconnects every connection at 24 h; we rotate a little before. */
export const MAX_CONNECTION_AGE_MS = 24 * 60 * 60_000
export const DEFAULT_CONNECTION_AGE_MS = MAX_CONNECTION_AGE_MS - 15 * 60_000

/** Production endpoints. */
export const PRODUCTION_WS_URL = 'wss://stream.binance.com:9443'
export const PRODUCTION_REST_URL = 'https://api.binance.com'

/** Spot testnet endpoints (a separate market, not a mirror of production). */
export const TESTNET_WS_URL = 'wss://stream.testnet.binance.vision'
export const TESTNET_REST_URL = 'https://testnet.binance.vision'

/** Paths the adapter appends to `wsUrl` and `restUrl`: a base URL must not already name them. */
export const ENDPOINT_PATHS = ['ws', 'stream', 'api']

/** Stream names are lower-case: `btcusdt@trade`. */
export function streamSymbol(symbol: string): string {
  return symbol.toLowerCase()
}
