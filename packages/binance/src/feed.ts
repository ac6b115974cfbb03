/**
 * The Binance feed, for every Binance market: `MarketFeed` (transport) owns
 * sockets, reconnects, rotation handover, markers and trade continuity; this
 * class adds Binance: URLs and SUBSCRIBE messages, the frame parser, one
 * `BookSync` per symbol with its REST snapshots, the REST histories that
 * recover missed trades and closed bars, open interest polled over REST
 * (futures), and what Binance's control frames ask for. The market's
 * profile (spot.ts, futures/usdm.ts, futures/coinm.ts) says what differs.
 */
import { checkSymbolsListed, ExchangeError, hasErrorCode, nowMicros, silentLogger } from '@dccd/core'
import type { MarketEvent } from '@dccd/core'
import { MarketFeed, SnapshotScheduler } from '@dccd/transport'
import type { Connection, FrameContext, InputContext, RestClient, SnapshotProgress } from '@dccd/transport'
import { klinesSource } from './bars.js'
import { BookSync } from './book-sync.js'
import { scanDepthUpdate } from './depth-scan.js'
import { OpenInterestPoller } from './futures/open-interest.js'
import { parseOpenInterest } from './futures/parse.js'
import type { BinanceFuturesExchangeInfo } from './futures/wire.js'
import type { BinanceMarket } from './market.js'
import { resolveBinanceOptions } from './options.js'
import type { BinanceFeedOptions, ResolvedBinanceOptions } from './options.js'
import { decodeFrame, parsePayload, readDepthUpdate } from './parse.js'
import type { BinanceMessage, DepthIdsHolder } from './parse.js'
import {
  createRestClient,
  fallbackRateLimit,
  fetchDepthSnapshot,
  fetchExchangeInfo,
  fetchKlines,
  fetchOpenInterest,
  fetchTradePage,
  rateLimitFrom,
} from './rest.js'
import { SPOT_MARKET } from './spot.js'
import { carries, subscribeMessages } from './subscriptions.js'
import { tradeHistorySource } from './trades.js'
import type { BinanceDepthSnapshot, BinanceDepthUpdateFrame } from './wire.js'

/** The channel of each event type that goes out as it comes. */
const PASSED_THROUGH = { quote: 'quotes', derivative: 'derivatives', liquidation: 'liquidations' } as const

/** Least time between two snapshot requests of one symbol, ms. */
const SNAPSHOT_SPACING_MS = 500

/** Progress of book synchronisation. */
export interface BookProgress extends SnapshotProgress {
  /** Symbols with a book channel. */
  books: number
  /** Books currently live (snapshot applied, deltas proven). */
  live: number
}

/**
 * Streams one Binance market as normalized {@link MarketEvent}s. The adapters' feeds are
 * {@link BinanceFeed} (spot), `BinanceFuturesFeed` (USDⓈ-M) and `BinanceDeliveryFeed` (COIN-M).
 *
 * @throws InvalidArgumentError (synchronously) for malformed symbols, unknown channels or intervals, bad options
 */
export class BinanceMarketFeed extends MarketFeed {
  readonly #config: ResolvedBinanceOptions
  readonly #market: BinanceMarket
  readonly #rest: RestClient
  readonly #books = new Map<string, BookSync>()
  readonly #snapshots: SnapshotScheduler<BinanceDepthSnapshot>
  /** Per symbol, the `time` of the last open interest emitted (µs). */
  readonly #openInterestTimes = new Map<string, number>()
  #nextMessageId = 1
  /** What `parseMessage` returns, emptied for every frame. */
  readonly #out: MarketEvent[] = []
  /** The update ids of the depth update being parsed. */
  readonly #depthIds: DepthIdsHolder = { firstUpdateId: 0, finalUpdateId: 0, previousUpdateId: undefined }

  /** @param market the market to stream (spot.ts, futures/usdm.ts, futures/coinm.ts) */
  constructor(options: BinanceFeedOptions, market: BinanceMarket) {
    const config = resolveBinanceOptions(options, market)
    const endpoints = market.rest
    const rest = createRestClient(
      config.restUrl,
      fallbackRateLimit(config.restWeightShare, endpoints.fallbackWeightPerMinute),
      options.logger ?? silentLogger,
      market.id,
    )
    const klines = { name: `GET ${endpoints.klines.path}`, maxLimit: endpoints.klines.maxLimit, windowed: endpoints.klines.windowed, dialect: market.dialect }
    super(
      {
        exchange: market.id,
        slots: config.connections,
        trades: {
          history: config.recoverTrades
            ? tradeHistorySource(
                (symbol, fromId, limit, signal) => fetchTradePage(rest, symbol, fromId, limit, signal, endpoints),
                `GET ${endpoints.trades.path}`,
                endpoints.trades.maxLimit,
              )
            : undefined,
          maxRecoveredTrades: config.maxRecoveredTrades,
        },
        // Closed bars are checked one interval apart whenever bars are streamed; klines recover what was missed.
        ...(config.subscribed.hasChannel('bars')
          ? {
              bars: config.recoverBars
                ? { history: klinesSource((query, signal) => fetchKlines(rest, query, signal, endpoints), klines) }
                : { history: undefined, unrecoveredReason: 'bars missed; not recovered (recoverBars is off)' },
            }
          : {}),
        resume: config.resume,
        maxResumeAgeMs: config.maxResumeAgeMs,
      },
      { ...options, maxConnectionAgeMs: config.maxConnectionAgeMs, sendRatePerSecond: market.limits.controlMessagesPerSecond },
    )
    this.#config = config
    this.#market = market
    this.#rest = rest
    this.#snapshots = new SnapshotScheduler<BinanceDepthSnapshot>({
      fetch: (symbol, signal) => fetchDepthSnapshot(rest, symbol, config.snapshotLimit, signal, endpoints),
      onSnapshot: (symbol, snapshot) => this.deliver(snapshot, (body, context) => this.#onSnapshot(symbol, body, context)),
      // Binance refused the request itself (e.g. -1121 Invalid symbol): asking again cannot help.
      isFatal: (error) => hasErrorCode(error, 'DCCD_EXCHANGE_ERROR'),
      onFatal: (error) => this.fail(error as Error),
      onRetryDue: (symbol) => this.#books.get(symbol)?.onSnapshotFailed(),
      concurrency: config.snapshotConcurrency,
      // A snapshot older than the buffered stream is asked for again (Binance's procedure), but not in a tight
      // loop: a venue that keeps answering with a stale one would otherwise spend the whole REST budget on it.
      minSpacingMs: SNAPSHOT_SPACING_MS,
      signal: this.signal,
      logger: this.logger,
    })
    if (config.subscribed.hasChannel('book')) {
      const requestSnapshot = (symbol: string): void => this.#snapshots.request(symbol)
      const sync = { requestSnapshot, continuity: market.depthContinuity, exchange: market.id, maxBuffered: config.bookBufferLimit }
      for (const symbol of config.symbols) this.#books.set(symbol, new BookSync(symbol, sync))
    }
  }

  /** How far book synchronisation got: books live; snapshots queued, in flight, fetched, failed. */
  get bookProgress(): BookProgress {
    let live = 0
    for (const book of this.#books.values()) if (book.state === 'live') live++
    return { ...this.#snapshots.progress, books: this.#books.size, live }
  }

  /** Checks symbols against exchangeInfo (when enabled) and adopts its REST weight limit; starts the open-interest poll. */
  protected override async beforeConnect(): Promise<void> {
    if (this.#config.validateSymbols) await this.#checkSymbols()
    this.#pollOpenInterest()
  }

  async #checkSymbols(): Promise<void> {
    const market = this.#market
    // Spot's symbols carry `status`, COIN-M's `contractStatus`.
    const info = await fetchExchangeInfo<BinanceFuturesExchangeInfo>(this.#rest, this.signal, market.rest)
    checkSymbolsListed(market.id, this.#config.symbols, new Set(info.symbols.map((entry) => entry.symbol)))
    for (const entry of info.symbols) {
      const status = entry.status ?? entry.contractStatus
      if (status !== undefined && status !== 'TRADING' && this.#config.symbols.includes(entry.symbol)) {
        this.logger.warn('symbol is not trading; its streams may stay silent', { symbol: entry.symbol, status })
      }
    }
    const limit = rateLimitFrom(info.rateLimits, this.#config.restWeightShare)
    if (limit !== undefined) this.#rest.setRateLimit(limit)
  }

  #pollOpenInterest(): void {
    const endpoint = this.#market.rest.openInterest
    const intervalMs = this.#config.openInterestIntervalMs
    if (endpoint === undefined || intervalMs === 0) return
    const rest = this.#rest
    new OpenInterestPoller({
      symbols: this.#config.symbols,
      intervalMs,
      fetch: (symbol, signal) => fetchOpenInterest(rest, symbol, signal, endpoint),
      onAnswer: (symbol, body) => this.deliver(body, (answer, context) => this.#onOpenInterest(symbol, answer, context)),
      signal: this.signal,
      logger: this.logger,
    }).start()
  }

  /** Streams beyond the URL, by SUBSCRIBE messages paced by `sendRatePerSecond` (Binance counts them against 5 messages/s). */
  protected override async onConnect(connection: Connection): Promise<void> {
    for (const message of subscribeMessages(this.#config.connections[connection.slot]!.subscribeLater, this.#nextMessageId)) {
      this.#nextMessageId++
      await connection.send(message)
    }
  }

  /** The slot's books (if it carries them) resync from its next events and a fresh snapshot. */
  protected override onStreamLost(slot: number, reason: string): MarketEvent[] {
    const out: MarketEvent[] = []
    if (!carries(this.#config.connections[slot]!, 'book', this.#market)) return out
    const now = nowMicros()
    for (const symbol of this.symbolsOf(slot)) this.#books.get(symbol)?.invalidate(`connection lost: ${reason}`, now, out)
    return out
  }

  /**
   * One frame's events, in one array reused for every frame: the transport copies them into its
   * queue before the next frame is parsed (`WebSocketBase.enqueue`), and nothing else calls this.
   * Depth updates, 99 % of a book feed's frames, go straight from the payload to their book sync:
   * their ids in the feed's one holder, their delta as the event it will emit once proven.
   */
  protected parseMessage(raw: string, context: FrameContext): MarketEvent[] | undefined {
    const dialect = this.#market.dialect
    const out = this.#out
    // Emptied by popping: setting its length to 0 drops the array's storage in V8, and the next
    // push allocates a new 16-slot store (~150 B and ~50 ns a frame, measured in a loop).
    while (out.length !== 0) out.pop()
    const ids = this.#depthIds
    // Depth frames of the layout Binance sends are read without JSON.parse (depth-scan.ts); any
    // other frame, a malformed one included, goes through JSON.parse and the checks of parse.ts.
    let event = scanDepthUpdate(raw, context.receivedAt, dialect, ids)
    const payload = event === undefined ? decodeFrame(raw) : undefined
    if (payload?.e === 'depthUpdate') {
      // Checks every field before any state changes: a malformed frame throws here, whole.
      event = readDepthUpdate(payload as unknown as BinanceDepthUpdateFrame, context.receivedAt, dialect, ids)
    }
    if (event !== undefined) {
      const sync = this.#books.get(event.symbol)
      if (sync === undefined) {
        // Books exist exactly for the symbols subscribed to books: this names the symbol and throws.
        this.#config.subscribed.check('book', event.symbol)
        throw new TypeError(`book data for ${event.symbol}, which this feed keeps no book for`)
      }
      sync.onDepth(ids, event, out)
      return out
    }
    if (payload === undefined) return undefined
    const message = parsePayload(payload, context.receivedAt, dialect)
    if (message === undefined) return undefined
    this.#process(message, context.connection, out)
    return out
  }

  /** One message to consumers: trades through the continuity check, bars de-duplicated (depth updates never come here: see parseMessage). */
  #process(message: BinanceMessage, connection: Connection, out: MarketEvent[]): void {
    const subscribed = this.#config.subscribed
    switch (message.type) {
      case 'trade':
        subscribed.check('trades', message.symbol)
        this.acceptTrade(message, out)
        return
      case 'bar':
        subscribed.check('bars', message.symbol, message.interval)
        this.acceptBar(message, out)
        return
      case 'quote':
      case 'derivative':
      case 'liquidation': {
        // States and samples with no continuity to check: they go out as they come.
        const kind = PASSED_THROUGH[message.type]
        subscribed.check(kind, message.symbol)
        out.push(message)
        return
      }
      case 'serverShutdown':
        // Replace it before the server cuts it: a rotation, so consumers see no disconnect.
        this.logger.warn('server is shutting down; rotating the connection', { slot: connection.slot, connection: connection.id })
        this.rotate(connection, 'server shutdown')
        return
      case 'control':
        if (message.error !== undefined) {
          this.fail(new ExchangeError(this.#market.id, message.error.code, `subscription rejected: ${message.error.msg}`))
        }
        return
    }
  }

  /** A REST snapshot arrived: its book sync emits it and every buffered delta it proves. */
  #onSnapshot(symbol: string, snapshot: BinanceDepthSnapshot, context: InputContext): MarketEvent[] {
    const out: MarketEvent[] = []
    const book = this.#books.get(symbol)
    if (book === undefined) return out
    const wasLive = book.state === 'live'
    book.onSnapshot(snapshot, context.receivedAt, out)
    if (!wasLive && book.live && this.bookProgress.live === this.#books.size) {
      this.logger.info('all books synced', { books: this.#books.size })
    }
    return out
  }

  /** An open-interest answer: one `derivative` event, unless Binance answered with the same `time` as last time. */
  #onOpenInterest(symbol: string, body: unknown, context: InputContext): MarketEvent[] {
    const event = parseOpenInterest(body, symbol, context.receivedAt, this.#market.id)
    if (event.timestamp <= (this.#openInterestTimes.get(symbol) ?? -Infinity)) return []
    this.#openInterestTimes.set(symbol, event.timestamp)
    return [event]
  }
}

/**
 * Streams Binance spot market data as normalized {@link MarketEvent}s.
 * Usually created through `exchange.createFeed(options)`.
 *
 * @example
 * const feed = new BinanceFeed({ symbols: ['BTCUSDT'], channels: ['trades', 'book'] })
 * for await (const event of feed.stream()) console.log(event)
 * @throws InvalidArgumentError (synchronously) for malformed symbols, unknown channels or intervals, bad options
 */
export class BinanceFeed extends BinanceMarketFeed {
  constructor(options: BinanceFeedOptions) {
    super(options, SPOT_MARKET)
  }
}
