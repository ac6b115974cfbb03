/**
 * `OKXFeedOptions` and their offline validation: everything `createFeed`
 * must reject synchronously with `InvalidArgumentError`, before any network use.
 */
import { booleanOption, checkSymbolFormat, integerOption, InvalidArgumentError, parseChannels, resumeOption, Subscriptions, urlOption } from '@dccd/core'
import type { FeedOptions, ResumePoints } from '@dccd/core'
import type { WebSocketOptions } from '@dccd/transport'
import { CAPABILITIES, SYMBOL_FORMAT, SYMBOL_FORMAT_DESCRIPTION } from './capabilities.js'

// TODO(new adapter): the exchange's production endpoints (base URLs: the adapter appends its paths).
export const DEFAULT_WS_URL = 'wss://example.invalid'
export const DEFAULT_REST_URL = 'https://example.invalid'
/** The WebSocket path appended to `wsUrl`. */
export const WS_PATH = '/ws'
/** Paths the adapter appends: a base URL must not already name them. */
const ENDPOINT_PATHS = ['ws', 'api']

/** Options of {@link OKXFeed} and `exchange.createFeed`: core's `FeedOptions`, every connection option, and these. */
export interface OKXFeedOptions extends FeedOptions, WebSocketOptions {
  /** Fetch missed trades from REST (`GET /api/trades`); off: a hole is only reported as `status: 'gap'`. Default true. */
  recoverTrades?: boolean
  /** Most trades one hole recovers, and live trades held meanwhile; 0 only reports the gap. Default 10000. */
  maxRecoveredTrades?: number
}

/** Options after validation and defaults. */
export interface ResolvedOKXFeedOptions {
  readonly symbols: string[]
  /** What the feed subscribed to: events of anything else are parse errors. */
  readonly subscribed: Subscriptions
  /** The full WebSocket endpoint (`wsUrl` + {@link WS_PATH}). */
  readonly wsEndpoint: string
  readonly restUrl: string
  readonly validateSymbols: boolean
  readonly recoverTrades: boolean
  readonly maxRecoveredTrades: number
  /** Where the consumer's data ends (checked against the symbols and channels). */
  readonly resume: ResumePoints
  readonly maxResumeAgeMs: number
}

/**
 * Validates options offline and fills defaults.
 *
 * @throws InvalidArgumentError for a malformed symbol, an unknown channel, or a bad option value
 */
export function resolveOptions(options: OKXFeedOptions): ResolvedOKXFeedOptions {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError('options', options, ['an object with symbols and channels'])
  }
  const symbols = checkSymbolFormat(options.symbols, SYMBOL_FORMAT, SYMBOL_FORMAT_DESCRIPTION)
  const channels = parseChannels(options.channels, CAPABILITIES)
  const wsUrl = urlOption('wsUrl', options.wsUrl, DEFAULT_WS_URL, ['ws:', 'wss:'], ENDPOINT_PATHS)
  return {
    symbols,
    subscribed: new Subscriptions(symbols, channels),
    wsEndpoint: `${wsUrl}${WS_PATH}`,
    restUrl: urlOption('restUrl', options.restUrl, DEFAULT_REST_URL, ['http:', 'https:'], ENDPOINT_PATHS),
    validateSymbols: booleanOption('validateSymbols', options.validateSymbols, options.wsUrl === undefined && options.restUrl === undefined),
    recoverTrades: booleanOption('recoverTrades', options.recoverTrades, true),
    maxRecoveredTrades: integerOption('maxRecoveredTrades', options.maxRecoveredTrades, 10_000, { min: 0, meaning: '0 only reports the gap' }),
    resume: resumeOption(options.resume, symbols, channels),
    maxResumeAgeMs: integerOption('maxResumeAgeMs', options.maxResumeAgeMs, 86_400_000, { min: 0 }),
  }
}
