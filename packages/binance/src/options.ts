/**
 * `BinanceFeedOptions` and their offline validation (no network): everything
 * `createFeed` must reject synchronously with `InvalidArgumentError`, for any
 * Binance market (its profile gives the formats, limits and defaults).
 */
import {
  booleanOption,
  checkSymbolFormat,
  integerOption,
  InvalidArgumentError,
  numberOption,
  parseChannels,
  resumeOption,
  Subscriptions,
  urlOption,
} from '@dccd/core'
import type { FeedOptions, ParsedChannel, ResumePoints } from '@dccd/core'
import type { BinanceFuturesFeedOptions } from './futures/options.js'
import { worstCaseConnectAttempts } from '@dccd/transport'
import type { WebSocketOptions } from '@dccd/transport'
import { DEFAULT_CONNECTION_AGE_MS, MAX_CONNECTION_AGE_MS } from './capabilities.js'
import { openInterestIntervalOption } from './futures/options.js'
import type { BinanceMarket } from './market.js'
import type { BinanceRestEndpoints } from './rest.js'
import { SPOT_MARKET } from './spot.js'
import { connectionPlan, planShards, type ConnectionPlan } from './subscriptions.js'

/** Default `restWeightShare`: the feed and the history spend this share of Binance's REST weight limit. */
export const DEFAULT_REST_WEIGHT_SHARE = 0.8

/** Default `maxResumeAgeMs`: 24 h, as core's `FeedOptions` documents. */
export const DEFAULT_MAX_RESUME_AGE_MS = 86_400_000

/** Options of `BinanceFeed` / `exchange.createFeed`. */
export interface BinanceFeedOptions extends FeedOptions, WebSocketOptions {
  /**
   * WebSocket base URL without a path (`ws://127.0.0.1:PORT`); the adapter appends
   * `/stream?streams=…`. Default `wss://stream.binance.com:9443` (testnet: `wss://stream.testnet.binance.vision`).
   */
  wsUrl?: string
  /** REST base URL; the adapter appends `/api/v3/…`. Default `https://api.binance.com` (testnet: `https://testnet.binance.vision`). */
  restUrl?: string
  /** Use the spot testnet endpoints (a separate market). Ignored for a URL given explicitly. Default false. */
  testnet?: boolean
  /**
   * Levels per side in each REST book snapshot (`GET /api/v3/depth?limit=`), 1..5000.
   * Weight 5 (≤100), 25 (≤500), 50 (≤1000), 250 (≤5000). Default: `bookDepth`, else 1000.
   * The diff stream is full-depth; levels outside the snapshot appear only when they change.
   */
  bookSnapshotLimit?: number
  /** Streams per connection, 1..1024 (Binance's maximum). Default 1024. */
  maxStreamsPerConnection?: number
  /** Snapshots fetched at the same time, ≥ 1. Default 10. */
  snapshotConcurrency?: number
  /**
   * Depth events kept per symbol while its REST snapshot is awaited, ≥ 1; past it the oldest are
   * dropped (a snapshot older than what is kept is fetched again). Default 50,000: 80 minutes of a
   * `@100ms` stream, so only a replay or a bench flooding one symbol needs more.
   */
  bookBufferLimit?: number
  /**
   * Share (0..1] of the exchange's REST weight limit that snapshots may use; the limit comes
   * from `exchangeInfo.rateLimits` when symbols are validated, else 1200/min. Default 0.8.
   */
  restWeightShare?: number
  /** Rotate each connection before this age, ms (Binance drops sockets at 24 h). Default 23 h 45 min. */
  maxConnectionAgeMs?: number
  /**
   * Fetch trades missed between connections from `GET /api/v3/historicalTrades` (weight 25 per
   * 1000 trades, inside the snapshots' REST budget), holding the symbol's live trades meanwhile.
   * Off: a missed range is only reported as `status: 'gap'`. Default true.
   */
  recoverTrades?: boolean
  /**
   * Most trades one hole recovers, an integer ≥ 0 (0: recover nothing, only report the `gap`).
   * A larger hole recovers its oldest ids (right after the last trade received) and reports the
   * newer rest as one `status: 'gap'` whose reason names this option, so a long outage on a busy
   * symbol cannot hold its live trades for many minutes or take the snapshots' REST budget.
   * It also bounds the live trades held per symbol while recovering: when that many are held,
   * recovery stops, the ids not fetched yet are reported as a gap and the held trades go out.
   * Default 100000 (100 requests, weight 2500).
   */
  maxRecoveredTrades?: number
  /**
   * Fetch closed bars whose final update was missed (a dropped frame, a reconnect, the time before a
   * `resume` point) from `GET /api/v3/klines` (weight 2 per 1000 bars, inside the same REST budget),
   * holding the series' live updates meanwhile. Off: a missed close is only reported as
   * `status: 'gap'` (`channel: 'bars:<interval>'`). Independent of `recoverTrades`. Default true.
   */
  recoverBars?: boolean
}

/** Options after validation and defaults. */
export interface ResolvedBinanceOptions {
  /** The market the feed streams. */
  readonly market: BinanceMarket
  readonly symbols: string[]
  readonly channels: ParsedChannel[]
  /** What the feed subscribed to: events of anything else are parse errors. */
  readonly subscribed: Subscriptions
  readonly restUrl: string
  readonly validateSymbols: boolean
  readonly snapshotLimit: number
  readonly snapshotConcurrency: number
  readonly bookBufferLimit: number
  readonly restWeightShare: number
  readonly maxConnectionAgeMs: number
  readonly recoverTrades: boolean
  /** Trades recovered per hole and live trades held per symbol meanwhile; 0 = no recovery. */
  readonly maxRecoveredTrades: number
  readonly recoverBars: boolean
  /** Open interest is polled this often, ms; 0 = not polled (no `derivatives` channel, or turned off). */
  readonly openInterestIntervalMs: number
  /** The consumer's resume points, checked against the symbols and channels. */
  readonly resume: ResumePoints
  /** Resume points older than this are reported as gaps, ms. */
  readonly maxResumeAgeMs: number
  /** One per connection. */
  readonly connections: ConnectionPlan[]
}

/**
 * Validates options offline and fills defaults.
 *
 * @param market the market the feed streams. Default: spot.
 * @throws InvalidArgumentError for a malformed symbol, an unknown channel or interval, or a bad option value
 */
export function resolveBinanceOptions(options: BinanceFeedOptions, market: BinanceMarket = SPOT_MARKET): ResolvedBinanceOptions {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError('options', options, ['an object with symbols and channels'])
  }
  const symbols = checkSymbolFormat(options.symbols, market.symbolFormat, market.symbolFormatDescription)
  const channels = parseChannels(options.channels, market)
  const testnet = booleanOption('testnet', options.testnet, false)
  if (testnet && market.testnet === undefined) {
    throw new InvalidArgumentError('option testnet', true, [`false (${market.id} has no testnet endpoints here; pass wsUrl and restUrl)`])
  }
  const base = testnet ? market.testnet! : market.production
  const wsUrl = urlOption('wsUrl', options.wsUrl, base.wsUrl, ['ws:', 'wss:'], market.endpointPaths)
  const restUrl = urlOption('restUrl', options.restUrl, base.restUrl, ['http:', 'https:'], market.endpointPaths)
  const customUrl = options.wsUrl !== undefined || options.restUrl !== undefined
  const depth = snapshotLimitOption('bookDepth', options.bookDepth, 1000, market.rest)
  const { maxStreamsPerConnection, connectionAttempts } = market.limits
  const maxStreams = integerOption('maxStreamsPerConnection', options.maxStreamsPerConnection, maxStreamsPerConnection, {
    min: 1,
    max: maxStreamsPerConnection,
  })
  const maxConnectionAgeMs = numberOption(
    'maxConnectionAgeMs',
    options.maxConnectionAgeMs,
    DEFAULT_CONNECTION_AGE_MS,
    (n) => n > 0 && n <= MAX_CONNECTION_AGE_MS,
    `a number of ms in (0, ${MAX_CONNECTION_AGE_MS}] (Binance closes connections at 24 h)`,
  )
  const connections = planShards(symbols, channels, maxStreams, market).map((shard) => connectionPlan(wsUrl, shard))
  // Binance's per-IP limit; a custom wsUrl (a fake exchange, a relay) has its own rules.
  if (options.wsUrl === undefined && connectionAttempts !== undefined) checkConnectionAttempts(connections.length, options, connectionAttempts)
  const restWeightShare = numberOption('restWeightShare', options.restWeightShare, DEFAULT_REST_WEIGHT_SHARE, (n) => n > 0 && n <= 1, 'a number in (0, 1]')
  const subscribed = new Subscriptions(symbols, channels)
  return {
    market,
    symbols,
    channels,
    subscribed,
    restUrl,
    validateSymbols: booleanOption('validateSymbols', options.validateSymbols, !customUrl),
    snapshotLimit: snapshotLimitOption('bookSnapshotLimit', options.bookSnapshotLimit, depth, market.rest),
    snapshotConcurrency: integerOption('snapshotConcurrency', options.snapshotConcurrency, 10, { min: 1, max: 1000 }),
    bookBufferLimit: integerOption('bookBufferLimit', options.bookBufferLimit, 50_000, { min: 1, meaning: 'depth events buffered per symbol while its snapshot is awaited' }),
    restWeightShare,
    maxConnectionAgeMs,
    recoverTrades: booleanOption('recoverTrades', options.recoverTrades, true),
    maxRecoveredTrades: integerOption('maxRecoveredTrades', options.maxRecoveredTrades, market.rest.defaultMaxRecoveredTrades, {
      min: 0,
      meaning: 'trades recovered per hole; 0 only reports the gap',
    }),
    recoverBars: booleanOption('recoverBars', options.recoverBars, true),
    openInterestIntervalMs:
      market.rest.openInterest === undefined || !subscribed.hasChannel('derivatives')
        ? 0
        : openInterestIntervalOption(options as BinanceFuturesFeedOptions, symbols.length, market.rest, restWeightShare),
    resume: resumeOption(options.resume, symbols, channels),
    maxResumeAgeMs: integerOption('maxResumeAgeMs', options.maxResumeAgeMs, DEFAULT_MAX_RESUME_AGE_MS, {
      min: 0,
      meaning: 'ms; an older resume point is reported as a gap',
    }),
    connections,
  }
}

/** A snapshot `limit`: one of the market's accepted values, or any integer from 1 to its maximum. */
function snapshotLimitOption(name: string, value: unknown, fallback: number, rest: BinanceRestEndpoints): number {
  const { limits, maxLimit } = rest.depth
  if (limits === undefined) return integerOption(name, value, fallback, { min: 1, max: maxLimit })
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !limits.includes(value)) {
    throw new InvalidArgumentError(`option ${name}`, value, limits.map(String), `${rest.depth.path} accepts only these limits`)
  }
  return value
}

/**
 * Binance limits connection attempts per IP (spot: 300 per 5 minutes): with every connection
 * failing at once and reconnecting as fast as its backoff allows, the feed must stay under that.
 *
 * @throws InvalidArgumentError when `connections` sockets could exceed it (raise `maxBackoffMs`,
 *   lower `jitter`, or carry more streams per connection)
 */
function checkConnectionAttempts(connections: number, options: WebSocketOptions, limit: { readonly max: number; readonly windowMs: number }): void {
  const attempts = connections * worstCaseConnectAttempts(options, limit.windowMs)
  if (attempts <= limit.max) return
  const window = `${limit.windowMs / 60_000} min`
  throw new InvalidArgumentError(
    'option maxBackoffMs',
    options.maxBackoffMs ?? 60_000,
    [`a backoff that keeps ${connections} connections under ${limit.max} attempts per ${window}`],
    `${connections} connections could make ${attempts === Infinity ? 'unbounded' : attempts} connection attempts per ${window}; Binance allows ${limit.max}`,
  )
}
