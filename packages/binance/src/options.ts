/**
 * `BinanceFeedOptions` and their offline validation (no network): everything
 * `createFeed` must reject synchronously with `InvalidArgumentError`.
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
import { worstCaseConnectAttempts } from '@dccd/transport'
import type { WebSocketOptions } from '@dccd/transport'
import {
  CAPABILITIES,
  CONNECTION_ATTEMPT_WINDOW_MS,
  DEFAULT_CONNECTION_AGE_MS,
  MAX_CONNECTION_AGE_MS,
  MAX_CONNECTION_ATTEMPTS,
  MAX_STREAMS_PER_CONNECTION,
  SYMBOL_FORMAT,
  SYMBOL_FORMAT_DESCRIPTION,
} from './capabilities.js'
import { MAX_HISTORICAL_TRADES_LIMIT, MAX_SNAPSHOT_LIMIT } from './rest.js'
import { connectionPlan, planShards, type ConnectionPlan } from './subscriptions.js'

/** Production endpoints. */
export const PRODUCTION_WS_URL = 'wss://stream.binance.com:9443'
export const PRODUCTION_REST_URL = 'https://api.binance.com'

/** Spot testnet endpoints (a separate market, not a mirror of production). */
export const TESTNET_WS_URL = 'wss://stream.testnet.binance.vision'
export const TESTNET_REST_URL = 'https://testnet.binance.vision'

/** Paths the adapter appends to `wsUrl` and `restUrl`: a base URL must not already name them. */
const ENDPOINT_PATHS = ['ws', 'stream', 'api']

/**
 * Default `maxRecoveredTrades`: 100 pages of `GET /api/v3/historicalTrades` (weight 25 each) = 2500,
 * about half of one minute's budget at Binance's 6000/min × the default `restWeightShare` 0.8 (4800),
 * so book snapshots keep the other half of that minute. (Under the 1200/min fallback used when symbols
 * are not validated, the budget is 960/min and one such hole spreads over about 3 minutes.) It covers
 * about 50 minutes of BTCUSDT at 3 million trades a day; a longer outage is reported as a gap.
 */
export const DEFAULT_MAX_RECOVERED_TRADES = 100 * MAX_HISTORICAL_TRADES_LIMIT

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
  readonly symbols: string[]
  readonly channels: ParsedChannel[]
  /** What the feed subscribed to: events of anything else are parse errors. */
  readonly subscribed: Subscriptions
  readonly restUrl: string
  readonly validateSymbols: boolean
  readonly snapshotLimit: number
  readonly snapshotConcurrency: number
  readonly restWeightShare: number
  readonly maxConnectionAgeMs: number
  readonly recoverTrades: boolean
  /** Trades recovered per hole and live trades held per symbol meanwhile; 0 = no recovery. */
  readonly maxRecoveredTrades: number
  readonly recoverBars: boolean
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
 * @throws InvalidArgumentError for a malformed symbol, an unknown channel or interval, or a bad option value
 */
export function resolveBinanceOptions(options: BinanceFeedOptions): ResolvedBinanceOptions {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError('options', options, ['an object with symbols and channels'])
  }
  const symbols = checkSymbolFormat(options.symbols, SYMBOL_FORMAT, SYMBOL_FORMAT_DESCRIPTION)
  const channels = parseChannels(options.channels, CAPABILITIES)
  const testnet = booleanOption('testnet', options.testnet, false)
  const wsUrl = urlOption('wsUrl', options.wsUrl, testnet ? TESTNET_WS_URL : PRODUCTION_WS_URL, ['ws:', 'wss:'], ENDPOINT_PATHS)
  const restUrl = urlOption('restUrl', options.restUrl, testnet ? TESTNET_REST_URL : PRODUCTION_REST_URL, ['http:', 'https:'], ENDPOINT_PATHS)
  const customUrl = options.wsUrl !== undefined || options.restUrl !== undefined
  const depth = integerOption('bookDepth', options.bookDepth, 1000, { min: 1, max: MAX_SNAPSHOT_LIMIT })
  const maxStreams = integerOption('maxStreamsPerConnection', options.maxStreamsPerConnection, MAX_STREAMS_PER_CONNECTION, {
    min: 1,
    max: MAX_STREAMS_PER_CONNECTION,
  })
  const maxConnectionAgeMs = numberOption(
    'maxConnectionAgeMs',
    options.maxConnectionAgeMs,
    DEFAULT_CONNECTION_AGE_MS,
    (n) => n > 0 && n <= MAX_CONNECTION_AGE_MS,
    `a number of ms in (0, ${MAX_CONNECTION_AGE_MS}] (Binance closes connections at 24 h)`,
  )
  const connections = planShards(symbols, channels, maxStreams).map((shard) => connectionPlan(wsUrl, shard))
  // Binance's per-IP limit; a custom wsUrl (a fake exchange, a relay) has its own rules.
  if (options.wsUrl === undefined) checkConnectionAttempts(connections.length, options)
  return {
    symbols,
    channels,
    subscribed: new Subscriptions(symbols, channels),
    restUrl,
    validateSymbols: booleanOption('validateSymbols', options.validateSymbols, !customUrl),
    snapshotLimit: integerOption('bookSnapshotLimit', options.bookSnapshotLimit, depth, { min: 1, max: MAX_SNAPSHOT_LIMIT }),
    snapshotConcurrency: integerOption('snapshotConcurrency', options.snapshotConcurrency, 10, { min: 1, max: 1000 }),
    restWeightShare: numberOption('restWeightShare', options.restWeightShare, DEFAULT_REST_WEIGHT_SHARE, (n) => n > 0 && n <= 1, 'a number in (0, 1]'),
    maxConnectionAgeMs,
    recoverTrades: booleanOption('recoverTrades', options.recoverTrades, true),
    maxRecoveredTrades: integerOption('maxRecoveredTrades', options.maxRecoveredTrades, DEFAULT_MAX_RECOVERED_TRADES, {
      min: 0,
      meaning: 'trades recovered per hole; 0 only reports the gap',
    }),
    recoverBars: booleanOption('recoverBars', options.recoverBars, true),
    resume: resumeOption(options.resume, symbols, channels),
    maxResumeAgeMs: integerOption('maxResumeAgeMs', options.maxResumeAgeMs, DEFAULT_MAX_RESUME_AGE_MS, {
      min: 0,
      meaning: 'ms; an older resume point is reported as a gap',
    }),
    connections,
  }
}

/**
 * Binance allows 300 connection attempts per 5 minutes per IP: with every
 * connection failing at once and reconnecting as fast as its backoff allows,
 * the feed must stay under that.
 *
 * @throws InvalidArgumentError when `connections` sockets could exceed it (raise `maxBackoffMs`,
 *   lower `jitter`, or carry more streams per connection)
 */
function checkConnectionAttempts(connections: number, options: WebSocketOptions): void {
  const attempts = connections * worstCaseConnectAttempts(options, CONNECTION_ATTEMPT_WINDOW_MS)
  if (attempts <= MAX_CONNECTION_ATTEMPTS) return
  throw new InvalidArgumentError(
    'option maxBackoffMs',
    options.maxBackoffMs ?? 60_000,
    [`a backoff that keeps ${connections} connections under ${MAX_CONNECTION_ATTEMPTS} attempts per 5 min`],
    `${connections} connections could make ${attempts === Infinity ? 'unbounded' : attempts} connection attempts per 5 min; Binance allows ${MAX_CONNECTION_ATTEMPTS}`,
  )
}
