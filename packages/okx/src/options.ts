/**
 * `OkxFeedOptions` and their offline validation: everything `createFeed`
 * must reject synchronously with `InvalidArgumentError`, before any network use.
 */
import {
  booleanOption,
  checkSymbolFormat,
  integerOption,
  InvalidArgumentError,
  parseChannels,
  resumeOption,
  Subscriptions,
  urlOption,
} from '@dccd/core'
import type { FeedOptions, ParsedChannel, ResumePoints } from '@dccd/core'
import type { WebSocketOptions } from '@dccd/transport'
import { BOOK_DEPTHS, CAPABILITIES, instTypeOf, SYMBOL_FORMAT, SYMBOL_FORMAT_DESCRIPTION } from './capabilities.js'

/** OKX's production endpoints (base URLs: the adapter appends `/ws/v5/public`, `/ws/v5/business`, `/api/v5/…`). */
export const DEFAULT_WS_URL = 'wss://ws.okx.com:8443'
export const DEFAULT_REST_URL = 'https://www.okx.com'
/** Books, trades, tickers and derivatives. */
export const PUBLIC_PATH = '/ws/v5/public'
/** Candles (OKX moved them off `/public` in 2023). */
export const BUSINESS_PATH = '/ws/v5/business'
/** Paths the adapter appends: a base URL must not already name them. */
const ENDPOINT_PATHS = ['ws', 'api']

/** Channels only swaps and futures have. */
const DERIVATIVE_ONLY = ['derivatives', 'liquidations'] as const

/** Default of {@link OkxFeedOptions.maxInstrumentsPerConnection}. */
export const DEFAULT_INSTRUMENTS_PER_CONNECTION = 50

/** Options of `OkxFeed` and `exchange.createFeed`: core's `FeedOptions`, every connection option, and these. */
export interface OkxFeedOptions extends FeedOptions, WebSocketOptions {
  /** `400` (default): the `books` channel, snapshot then updates chained by `seqId`. `5`: `books5`, a whole 5-level book per push. */
  bookDepth?: number
  /**
   * After a reconnect, fetch the trades missed meanwhile from `GET /api/v5/market/history-trades`
   * (paged by `tradeId`); off: the possible hole is only reported as `status: 'gap'`. Default true.
   */
  recoverTrades?: boolean
  /** Most trade ids one hole recovers, and live trades held meanwhile; 0 only reports the gap. Default 10000. */
  maxRecoveredTrades?: number
  /** Fetch missed closed candles from `GET /api/v5/market/history-candles`. Default true. */
  recoverBars?: boolean
  /**
   * Instruments per WebSocket connection; more are spread over more connections. Each connection
   * may send 480 subscribe/unsubscribe requests an hour, and a book resync costs two. Default 50.
   */
  maxInstrumentsPerConnection?: number
}

/** Options after validation and defaults. */
export interface ResolvedOkxOptions {
  readonly symbols: string[]
  readonly channels: readonly ParsedChannel[]
  /** What the feed subscribed to: events of anything else are parse errors. */
  readonly subscribed: Subscriptions
  readonly wsUrl: string
  readonly restUrl: string
  readonly bookDepth: 5 | 400
  readonly validateSymbols: boolean
  readonly recoverTrades: boolean
  readonly maxRecoveredTrades: number
  readonly recoverBars: boolean
  readonly maxInstrumentsPerConnection: number
  /** Where the consumer's data ends (checked against the symbols and channels). */
  readonly resume: ResumePoints
  readonly maxResumeAgeMs: number
}

/**
 * Validates options offline and fills defaults.
 *
 * @throws InvalidArgumentError for a malformed symbol, an unknown channel or interval, a
 *   derivatives-only channel without a swap or future, or a bad option value
 */
export function resolveOptions(options: OkxFeedOptions): ResolvedOkxOptions {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError('options', options, ['an object with symbols and channels'])
  }
  const symbols = checkSymbolFormat(options.symbols, SYMBOL_FORMAT, SYMBOL_FORMAT_DESCRIPTION)
  const channels = parseChannels(options.channels, CAPABILITIES)
  for (const kind of DERIVATIVE_ONLY) {
    if (channels.some((channel) => channel.kind === kind) && symbols.every((symbol) => instTypeOf(symbol) === 'SPOT')) {
      throw new InvalidArgumentError('okx channel', kind, ['a swap or future among the symbols (BTC-USDT-SWAP, BTC-USD-250627)'], `${kind} exist for swaps and futures only`)
    }
  }
  const bookDepth = integerOption('bookDepth', options.bookDepth, 400, { min: 1 })
  if (!BOOK_DEPTHS.includes(bookDepth)) throw new InvalidArgumentError('okx bookDepth', bookDepth, BOOK_DEPTHS.map(String))
  return {
    symbols,
    channels,
    subscribed: new Subscriptions(symbols, channels),
    wsUrl: urlOption('wsUrl', options.wsUrl, DEFAULT_WS_URL, ['ws:', 'wss:'], ENDPOINT_PATHS),
    restUrl: urlOption('restUrl', options.restUrl, DEFAULT_REST_URL, ['http:', 'https:'], ENDPOINT_PATHS),
    bookDepth: bookDepth as 5 | 400,
    validateSymbols: booleanOption('validateSymbols', options.validateSymbols, options.wsUrl === undefined && options.restUrl === undefined),
    recoverTrades: booleanOption('recoverTrades', options.recoverTrades, true),
    maxRecoveredTrades: integerOption('maxRecoveredTrades', options.maxRecoveredTrades, 10_000, { min: 0, meaning: '0 only reports the gap' }),
    recoverBars: booleanOption('recoverBars', options.recoverBars, true),
    maxInstrumentsPerConnection: integerOption('maxInstrumentsPerConnection', options.maxInstrumentsPerConnection, DEFAULT_INSTRUMENTS_PER_CONNECTION, {
      min: 1,
    }),
    resume: resumeOption(options.resume, symbols, channels),
    maxResumeAgeMs: integerOption('maxResumeAgeMs', options.maxResumeAgeMs, 86_400_000, { min: 0 }),
  }
}
