/**
 * `BinanceFeedOptions` and their offline validation (no network): everything
 * `createFeed` must reject synchronously with `InvalidArgumentError`.
 */
import { checkSymbolFormat, InvalidArgumentError, parseChannels } from '@dccd/core'
import type { ChannelKind, FeedOptions, ParsedChannel } from '@dccd/core'
import type { WebSocketOptions } from '@dccd/transport'
import { checkConnectionAttempts } from './connection-limits.js'
import { planShards, connectionPlan, type ConnectionPlan } from './subscriptions.js'
import {
  BINANCE_INTERVALS,
  DEFAULT_CONNECTION_AGE_MS,
  EXCHANGE_ID,
  MAX_CONNECTION_AGE_MS,
  MAX_STREAMS_PER_CONNECTION,
  PRODUCTION_REST_URL,
  PRODUCTION_WS_URL,
  SYMBOL_FORMAT,
  SYMBOL_FORMAT_DESCRIPTION,
  TESTNET_REST_URL,
  TESTNET_WS_URL,
} from './symbols.js'
import { MAX_HISTORICAL_TRADES_LIMIT, MAX_SNAPSHOT_LIMIT } from './weight.js'

/**
 * Default `maxRecoveredTrades`: 100 pages of `GET /api/v3/historicalTrades` (weight 25 each) = 2500,
 * about half of one minute's budget at Binance's 6000/min × the default `restWeightShare` 0.8 (4800),
 * so book snapshots keep the other half of that minute. (Under the 1200/min fallback used when symbols
 * are not validated, the budget is 960/min and one such hole spreads over about 3 minutes.) It covers
 * about 50 minutes of BTCUSDT at 3 million trades a day; a longer outage is reported as a gap.
 */
export const DEFAULT_MAX_RECOVERED_TRADES = 100 * MAX_HISTORICAL_TRADES_LIMIT

/** Options of `BinanceFeed` / `exchange.createFeed`. */
export interface BinanceFeedOptions
  extends FeedOptions,
    Pick<WebSocketOptions, 'jitter' | 'connectSpreadMs' | 'connectTimeoutMs' | 'maxConnectionAgeMs' | 'rotationOverlapMs'> {
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
}

/** Options after validation and defaults. */
export interface ResolvedBinanceOptions {
  readonly symbols: string[]
  readonly channels: ParsedChannel[]
  readonly hasBook: boolean
  readonly hasTrades: boolean
  /** `symbols` as a set, for the per-event subscription check. */
  readonly symbolSet: ReadonlySet<string>
  /** Subscribed kline intervals. */
  readonly barIntervals: ReadonlySet<string>
  readonly wsUrl: string
  readonly restUrl: string
  readonly validateSymbols: boolean
  readonly snapshotLimit: number
  readonly snapshotConcurrency: number
  readonly restWeightShare: number
  readonly maxConnectionAgeMs: number
  readonly recoverTrades: boolean
  /** Trades recovered per hole and live trades held per symbol meanwhile; 0 = no recovery. */
  readonly maxRecoveredTrades: number
  /** One per connection. */
  readonly connections: ConnectionPlan[]
}

/** What `parseChannels` needs to know about this adapter. */
export const CHANNEL_INFO = {
  id: EXCHANGE_ID,
  channels: ['trades', 'book', 'bars'] as readonly ChannelKind[],
  barIntervals: BINANCE_INTERVALS as readonly string[],
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
  const channels = parseChannels(options.channels, CHANNEL_INFO)
  const testnet = readBoolean('testnet', options.testnet, false)
  const wsUrl = readUrl('wsUrl', options.wsUrl, ['ws:', 'wss:']) ?? (testnet ? TESTNET_WS_URL : PRODUCTION_WS_URL)
  const restUrl =
    readUrl('restUrl', options.restUrl, ['http:', 'https:']) ?? (testnet ? TESTNET_REST_URL : PRODUCTION_REST_URL)
  const customUrl = options.wsUrl !== undefined || options.restUrl !== undefined
  const validateSymbols = readBoolean('validateSymbols', options.validateSymbols, !customUrl)
  const depth = readInteger('bookDepth', options.bookDepth, 1, MAX_SNAPSHOT_LIMIT, 1000)
  const snapshotLimit = readInteger('bookSnapshotLimit', options.bookSnapshotLimit, 1, MAX_SNAPSHOT_LIMIT, depth)
  const maxStreams = readInteger(
    'maxStreamsPerConnection',
    options.maxStreamsPerConnection,
    1,
    MAX_STREAMS_PER_CONNECTION,
    MAX_STREAMS_PER_CONNECTION,
  )
  const snapshotConcurrency = readInteger('snapshotConcurrency', options.snapshotConcurrency, 1, 1000, 10)
  const restWeightShare = options.restWeightShare === undefined ? 0.8 : options.restWeightShare
  if (typeof restWeightShare !== 'number' || !(restWeightShare > 0 && restWeightShare <= 1)) {
    throw new InvalidArgumentError('option restWeightShare', restWeightShare, ['a number in (0, 1]'])
  }
  const maxConnectionAgeMs = options.maxConnectionAgeMs === undefined ? DEFAULT_CONNECTION_AGE_MS : options.maxConnectionAgeMs
  if (typeof maxConnectionAgeMs !== 'number' || !(maxConnectionAgeMs > 0 && maxConnectionAgeMs <= MAX_CONNECTION_AGE_MS)) {
    throw new InvalidArgumentError('option maxConnectionAgeMs', maxConnectionAgeMs, [
      `a number of ms in (0, ${MAX_CONNECTION_AGE_MS}] (Binance closes connections at 24 h)`,
    ])
  }
  const maxRecoveredTrades = options.maxRecoveredTrades === undefined ? DEFAULT_MAX_RECOVERED_TRADES : options.maxRecoveredTrades
  if (typeof maxRecoveredTrades !== 'number' || !Number.isSafeInteger(maxRecoveredTrades) || maxRecoveredTrades < 0) {
    throw new InvalidArgumentError('option maxRecoveredTrades', maxRecoveredTrades, [
      'an integer >= 0 (trades recovered per hole; 0 only reports the gap)',
    ])
  }
  const connections = planShards(symbols, channels, maxStreams).map((shard) => connectionPlan(wsUrl, shard))
  // Binance's per-IP limit; a custom wsUrl (a fake exchange, a relay) has its own rules.
  if (options.wsUrl === undefined) checkConnectionAttempts(connections.length, options)
  return {
    symbols,
    channels,
    hasBook: channels.some((channel) => channel.kind === 'book'),
    hasTrades: channels.some((channel) => channel.kind === 'trades'),
    symbolSet: new Set(symbols),
    barIntervals: new Set(channels.flatMap((channel) => (channel.kind === 'bars' ? [channel.interval!] : []))),
    wsUrl,
    restUrl: restUrl.replace(/\/+$/, ''),
    validateSymbols,
    snapshotLimit,
    snapshotConcurrency,
    restWeightShare,
    maxConnectionAgeMs,
    recoverTrades: readBoolean('recoverTrades', options.recoverTrades, true),
    maxRecoveredTrades,
    connections,
  }
}

function readBoolean(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback
  if (typeof value !== 'boolean') throw new InvalidArgumentError(`option ${name}`, value, ['true', 'false'])
  return value
}

function readInteger(name: string, value: unknown, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidArgumentError(`option ${name}`, value, [`an integer from ${min} to ${max}`])
  }
  return value
}

function readUrl(name: string, value: unknown, protocols: readonly string[]): string | undefined {
  if (value === undefined) return undefined
  let url: URL | undefined
  try {
    url = typeof value === 'string' ? new URL(value) : undefined
  } catch {
    url = undefined
  }
  if (url === undefined || !protocols.includes(url.protocol)) {
    throw new InvalidArgumentError(`option ${name}`, value, [`a ${protocols.join(' or ')}// base URL`])
  }
  // The adapter appends `/stream?streams=…` or `/api/v3/…`; a query, or a path that already names
  // an endpoint, would produce a URL that cannot work. A path prefix (a proxy) is fine.
  if (url.search !== '' || /\/(ws|stream|api)(\/|$)/.test(url.pathname)) {
    throw new InvalidArgumentError(`option ${name}`, value, ['a base URL without query or endpoint path (the adapter appends it)'])
  }
  return (value as string).replace(/\/+$/, '')
}
