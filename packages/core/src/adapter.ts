/**
 * The contract between adapter packages and everything that consumes them
 * (the CLI, the conformance suite, users). Every adapter package exports one
 * {@link ExchangeAdapter} as `exchange`, and a package covering several
 * markets of one venue (Binance spot, USDⓈ-M and COIN-M futures) also exports
 * all of them as `exchanges`; nothing central lists adapters.
 */
import type { MarketEvent } from './events.js'
import type { ExchangeHistory, HistoryOptions } from './history.js'
import type { Logger } from './logger.js'
import type { ResumePoints } from './resume.js'

/**
 * The kinds of data a feed can carry: `trades` (trade), `book` (book),
 * `bars` (bar), `quotes` (quote: best bid/offer), `derivatives` (derivative:
 * mark and index price, funding, open interest), `liquidations` (liquidation).
 */
export type ChannelKind = 'trades' | 'book' | 'bars' | 'quotes' | 'derivatives' | 'liquidations'

/** A channel as users write it: a kind, or `bars:<interval>` (e.g. `bars:1m`). */
export type Channel = Exclude<ChannelKind, 'bars'> | `bars:${string}`

/** What kind of instrument a symbol is. */
export type InstrumentType = 'spot' | 'perpetual' | 'future'

/**
 * What the numbers of an adapter's events count, for the whole market: the
 * unit of `amount` (trades, book levels, liquidations) and of open interest.
 */
export interface MarketDescription {
  /** Instrument types the adapter streams. */
  readonly instrumentTypes: readonly InstrumentType[]
  /**
   * Unit of `amount`: `base` (BTC for BTCUSDT), `contracts` (one contract is
   * worth `Instrument.contractSize` units of `Instrument.contractUnit`), or
   * `per-instrument` for a venue streaming both kinds on one feed (OKX: spot
   * in base units, swaps and futures in contracts): `Instrument.amountUnit`
   * says which.
   */
  readonly amountUnit: 'base' | 'contracts' | 'per-instrument'
  /** Unit of `DerivativeEvent.openInterest`, when the adapter streams it. */
  readonly openInterestUnit?: 'base' | 'contracts'
  /** One sentence for people: what a symbol is and how to convert amounts. */
  readonly note: string
}

/** One instrument as the exchange lists it. */
export interface Instrument {
  readonly symbol: string
  readonly type: InstrumentType
  readonly base: string
  readonly quote: string
  /** Asset margins and profits are settled in (derivatives). */
  readonly settle?: string
  /** Delivery time, µs (futures only). */
  readonly expiry?: number
  /** Unit of `amount` for this instrument (see {@link MarketDescription.amountUnit}). */
  readonly amountUnit: 'base' | 'contracts'
  /** Value of one contract in `contractUnit` (when `amountUnit` is `contracts`): 100 for BTCUSD_PERP (100 USD). */
  readonly contractSize?: number
  /** Unit of `contractSize`: `USD` for Binance COIN-M. */
  readonly contractUnit?: string
  /**
   * `false` for an instrument the exchange lists but does not trade now (Binance status `BREAK`,
   * `HALT`, `SETTLING`…): its streams stay silent. Absent: trading, as far as the adapter knows.
   */
  readonly trading?: boolean
}

/** An adapter's production endpoints: base URLs, to which it appends its own paths. */
export interface AdapterEndpoints {
  readonly wsUrl: string
  readonly restUrl: string
}

/** Options of {@link ExchangeAdapter.instruments}. */
export interface InstrumentsOptions {
  /** Override the REST base URL. */
  restUrl?: string
  signal?: AbortSignal
  logger?: Logger
}

/**
 * Connection options shared by every WebSocket feed (implemented by
 * `@dccd/transport`'s `WebSocketBase`). Names are flat and stable: tools and
 * adapters' option objects rely on them.
 */
export interface ConnectionOptions {
  /** First reconnect delay, ms. Default 1000. */
  initialBackoffMs?: number
  /** Multiplier applied to the delay after each failed attempt. Default 2. */
  backoffFactor?: number
  /** Cap on the reconnect delay, ms. Default 60000. */
  maxBackoffMs?: number
  /** Send a liveness ping this often, ms. Default 10000. */
  pingIntervalMs?: number
  /** Terminate and reconnect when nothing (pong or frame) arrives this long after a ping, ms. Default 10000. */
  staleTimeoutMs?: number
  /** Longest wait for the server to answer our close frame before the socket is terminated, ms. Default 1000. */
  closeTimeoutMs?: number
  /** Aborting it stops the feed, like `stop()`. */
  signal?: AbortSignal
  /** Where diagnostics go. Default: silent. */
  logger?: Logger
  /** Records buffered between socket and consumer before reading from the socket pauses. Default 10000. */
  maxQueueSize?: number
  /** A connection that stayed up this long resets the backoff delay, ms. Default 10000. */
  stableAfterMs?: number
}

/** Options every adapter's `createFeed` accepts. Adapters extend it with their own. */
export interface FeedOptions extends ConnectionOptions {
  /** Exchange-native symbols (`BTCUSDT`, `BTC/USD`). */
  symbols: string[]
  channels: Channel[]
  /** Override the WebSocket endpoint (each adapter documents whether this is a base or a full URL). */
  wsUrl?: string
  /** Override the REST base URL. */
  restUrl?: string
  /** Check symbols against the exchange's instrument list before streaming. Default: on unless a URL is overridden. */
  validateSymbols?: boolean
  /** Book depth to subscribe to, where the exchange offers a choice. */
  bookDepth?: number
  /**
   * Per symbol, where the consumer's durable data ends (its last trade, its
   * last closed bar per interval). The first live trade or bar is checked
   * against it like after a reconnect: what is missing in between is fetched
   * from the exchange's history and emitted first, in order; nothing at or
   * before it is emitted. Pass back what `feed.positions()` returned.
   */
  resume?: ResumePoints
  /**
   * A resume point older than this is not recovered: the missing range is one
   * `gap` naming this option. Default 86 400 000 (24 h).
   */
  maxResumeAgeMs?: number
}

/** Counters a running feed exposes. */
export interface FeedStats {
  /** WebSocket frames received. */
  frames: number
  /** Records yielded by `stream()`. */
  records: number
  /** Frames that failed to parse (logged and skipped). */
  parseErrors: number
  /** Reconnections after the first connect. */
  reconnects: number
}

/** A running (or ready to run) source of {@link MarketEvent}s. */
export interface Feed {
  /** The adapter's id. */
  readonly exchange: string
  /** Normalized events. Ends after `stop()`; a `break` closes the connection. */
  stream(): AsyncIterableIterator<MarketEvent>
  /**
   * The same events in the same order, as arrays of everything ready at each
   * step (never empty): one promise per batch instead of one per event, for
   * busy feeds. Use it instead of `stream()`, not beside it. Every feed built
   * on `@dccd/transport`'s `MarketFeed` has it.
   */
  batches?(): AsyncIterableIterator<readonly MarketEvent[]>
  /** Idempotent; resolves once every connection is closed (within about `closeTimeoutMs`). */
  stop(): Promise<void>
  /**
   * Per symbol, the last trade and the last closed bar per interval that
   * `stream()` has handed to the consumer (a `gap` counts for the ids or bars
   * it names): save it with the data, pass it back as `resume`.
   */
  positions(): ResumePoints
  readonly stats: Readonly<FeedStats>
}

/**
 * What an adapter package exports as `exchange`.
 *
 * `createFeed` must not touch the network: it validates what it can offline
 * (symbol format, channels, intervals, options) and throws
 * `InvalidArgumentError` right away. Checks that need the exchange (unknown
 * symbols) happen when `stream()` starts and reject before any data flows.
 */
export interface ExchangeAdapter<O extends FeedOptions = FeedOptions> {
  /** Package suffix and CLI name: `@dccd/<id>`. */
  readonly id: string
  /** Human name. */
  readonly name: string
  /** Channel kinds offered. */
  readonly channels: readonly ChannelKind[]
  /** Bar intervals accepted in `bars:<interval>`. */
  readonly barIntervals: readonly string[]
  /** An example symbol in the exchange's own notation (for help texts). */
  readonly exampleSymbol: string
  createFeed(options: O): Feed
  /** The exchange's REST history (for `dccd backfill`); absent when the adapter offers none. */
  createHistory?(options?: HistoryOptions): ExchangeHistory
  /**
   * The exchange's production base URLs (what `wsUrl`/`restUrl` default to), for tools that talk
   * to the exchange beside the adapter: `dccd capture` records through a proxy forwarding there.
   */
  readonly endpoints?: AdapterEndpoints
  /** What its symbols are and what `amount` counts. Absent: spot, base units. */
  readonly market?: MarketDescription
  /** The instruments the exchange lists (one REST request), with contract sizes where amounts are contracts. */
  instruments?(options?: InstrumentsOptions): Promise<Instrument[]>
}
