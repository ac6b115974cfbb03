/**
 * Kraken feed options: defaults and the offline validation `createFeed`
 * performs (symbol format, channels, intervals, depth, URLs) before anything
 * touches the network.
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
import type { FeedOptions, ResumePoints } from '@dccd/core'
import type { WebSocketOptions } from '@dccd/transport'
import { BOOK_DEPTHS, CAPABILITIES, DEFAULT_BOOK_DEPTH, intervalToMinutes, SYMBOL_FORMAT, SYMBOL_FORMAT_DESCRIPTION } from './capabilities.js'
import type { KrakenSubscriptionPlan } from './subscriptions.js'

/** Kraken's WebSocket host; the adapter appends `/v2` (spot v2, public data). */
export const DEFAULT_WS_URL = 'wss://ws.kraken.com'
/** The WebSocket v2 path appended to `wsUrl`. */
export const WS_PATH = '/v2'
/** Kraken REST; the adapter appends `/0/public/…`. */
export const DEFAULT_REST_URL = 'https://api.kraken.com'
/** Paths the adapter appends: a base URL must not already name them. */
const ENDPOINT_PATHS = ['v2', '0']

/**
 * Options of {@link KrakenFeed} and `exchange.createFeed`.
 *
 * @example
 * { symbols: ['BTC/USD'], channels: ['trades', 'book', 'bars:1m'], bookDepth: 25 }
 */
export interface KrakenFeedOptions extends FeedOptions, WebSocketOptions {
  /** Kraken v2 symbols (`BTC/USD`, not `XBT/USD`). */
  symbols: string[]
  /** WebSocket base URL without a path (`ws://127.0.0.1:PORT`); the adapter appends `/v2`. Default `wss://ws.kraken.com`. */
  wsUrl?: string
  /** REST base URL the adapter appends `/0/public/AssetPairs` to. Default `https://api.kraken.com`. */
  restUrl?: string
  /**
   * Check symbols against REST `AssetPairs` before connecting. Default: on
   * unless `wsUrl` or `restUrl` is overridden. Either way, symbols missing
   * from the `instrument` list (or refused by a subscribe) end the stream
   * with `InvalidArgumentError` before any data is subscribed.
   */
  validateSymbols?: boolean
  /** Book depth per side: 10, 25, 100, 500 or 1000. Default 10 (Kraken's own default). */
  bookDepth?: number
  /**
   * Ask for Kraken's trade snapshot (the 50 most recent trades) on the first
   * subscription and emit it. Default `false`: a recorder would store those
   * trades again on every start.
   */
  tradeSnapshot?: boolean
  /**
   * Fill trades missed (ids are consecutive per pair, so every trade is checked
   * against the one before it): after a reconnect the resubscription asks for
   * Kraken's trade snapshot, and a hole it does not cover — or one on a healthy
   * socket — is fetched from REST `Trades` while that symbol's live trades are
   * held. Ids nobody could supply are reported as `status: 'gap'`. When
   * `false`, a hole is reported as a gap at once. Default `true`.
   */
  recoverTrades?: boolean
  /**
   * Most trades one hole recovers, an integer ≥ 0 (0: recover nothing, only
   * report the `gap`). A larger hole recovers its oldest ids and reports the
   * newer rest as one gap naming this option. It also bounds the live trades
   * held per symbol while recovering: when that many are held, recovery stops,
   * the ids not fetched yet become a gap and the held trades go out. REST
   * `Trades` serves 1000 trades per call at one call per second per pair, so
   * the default 20000 takes about 20 s. Default 20000.
   */
  maxRecoveredTrades?: number
  /**
   * Check every bar update for missed closes (core's `BarContinuity`: closed
   * bars one interval apart) and fill them from REST `OHLC`, so a bar missed
   * across a reconnect or a restart (`resume`) is emitted closed, in order,
   * before live bars go on. Kraken sends no `ohlc` message for an interval
   * without trades, so a quiet interval is such a hole too: REST `OHLC` fills
   * it with Kraken's own zero-volume bar (flat at the previous close). Bars
   * older than the latest 720 intervals are one `gap`. When `false`, bar
   * updates are only de-duplicated (a quiet interval cannot be told from a
   * lost one without REST, so nothing is checked) and no REST call is made
   * for bars. Default: the value of `recoverTrades` (one switch turns REST
   * recovery off).
   */
  recoverBars?: boolean
}

/** Default of {@link KrakenFeedOptions.maxRecoveredTrades}: 20 REST `Trades` pages (about 20 s at one call per second). */
export const DEFAULT_MAX_RECOVERED_TRADES = 20_000

/** Default of `maxResumeAgeMs`: 24 h. */
export const DEFAULT_MAX_RESUME_AGE_MS = 86_400_000

/** Options after validation. */
export interface ResolvedKrakenOptions {
  /** The full WebSocket endpoint (`wsUrl` + `/v2`). */
  readonly wsEndpoint: string
  readonly restUrl: string
  readonly validateSymbols: boolean
  readonly tradeSnapshot: boolean
  readonly recoverTrades: boolean
  readonly maxRecoveredTrades: number
  readonly recoverBars: boolean
  /** The consumer's resume points, checked against the symbols and channels. */
  readonly resume: ResumePoints
  readonly maxResumeAgeMs: number
  /** What the feed subscribed to: events of anything else are parse errors. */
  readonly subscribed: Subscriptions
  readonly plan: KrakenSubscriptionPlan
}

/**
 * `restUrl` checked: an http(s) base URL without the paths the adapter appends.
 *
 * @throws InvalidArgumentError naming the bad URL
 */
export function restUrlOption(value: unknown): string {
  return urlOption('restUrl', value, DEFAULT_REST_URL, ['http:', 'https:'], ENDPOINT_PATHS)
}

/**
 * Validates options offline.
 *
 * @throws InvalidArgumentError naming the bad symbol, channel, interval, depth, URL or option
 */
export function resolveKrakenOptions(options: KrakenFeedOptions): ResolvedKrakenOptions {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError('options', options, ['{ symbols, channels, … }'])
  }
  const symbols = checkSymbolFormat(options.symbols, SYMBOL_FORMAT, SYMBOL_FORMAT_DESCRIPTION)
  const channels = parseChannels(options.channels, CAPABILITIES)
  const bookDepth = options.bookDepth ?? DEFAULT_BOOK_DEPTH
  if (!BOOK_DEPTHS.includes(bookDepth)) {
    throw new InvalidArgumentError('option bookDepth', options.bookDepth, BOOK_DEPTHS.map(String))
  }
  if (options.maxConnectionAgeMs !== undefined && options.maxConnectionAgeMs !== 0) {
    // Kraken sets no connection lifetime, so the feed never rotates.
    throw new InvalidArgumentError('option maxConnectionAgeMs', options.maxConnectionAgeMs, ['0 (Kraken feeds do not rotate)'])
  }
  const barMinutes: number[] = []
  for (const channel of channels) if (channel.kind === 'bars') barMinutes.push(intervalToMinutes(channel.interval!)!)
  const recoverTrades = booleanOption('recoverTrades', options.recoverTrades, true)
  const wsUrl = urlOption('wsUrl', options.wsUrl, DEFAULT_WS_URL, ['ws:', 'wss:'], ENDPOINT_PATHS)
  const restUrl = restUrlOption(options.restUrl)
  return {
    wsEndpoint: `${wsUrl}${WS_PATH}`,
    restUrl,
    validateSymbols: booleanOption('validateSymbols', options.validateSymbols, options.wsUrl === undefined && options.restUrl === undefined),
    tradeSnapshot: booleanOption('tradeSnapshot', options.tradeSnapshot, false),
    recoverTrades,
    maxRecoveredTrades: integerOption('maxRecoveredTrades', options.maxRecoveredTrades, DEFAULT_MAX_RECOVERED_TRADES, {
      min: 0,
      meaning: 'trades recovered per hole; 0 only reports the gap',
    }),
    recoverBars: booleanOption('recoverBars', options.recoverBars, recoverTrades),
    resume: resumeOption(options.resume, symbols, channels),
    maxResumeAgeMs: integerOption('maxResumeAgeMs', options.maxResumeAgeMs, DEFAULT_MAX_RESUME_AGE_MS, {
      min: 0,
      meaning: 'resume points older than this are reported as gaps, not recovered',
    }),
    subscribed: new Subscriptions(symbols, channels),
    plan: {
      symbols,
      trades: channels.some((channel) => channel.kind === 'trades'),
      bookDepth: channels.some((channel) => channel.kind === 'book') ? bookDepth : 0,
      barMinutes,
    },
  }
}
