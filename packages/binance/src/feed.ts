/**
 * `BinanceFeed`: Binance spot trades, bars and exactly-synced books over
 * combined streams. `MarketFeed` (transport) owns sockets, reconnects,
 * rotation handover, markers and trade continuity; this class adds Binance:
 * URLs and SUBSCRIBE messages, the frame parser, one `BookSync` per symbol
 * with its REST snapshots, the REST histories that recover missed trades
 * and closed bars, and what Binance's control frames ask for.
 */
import { checkSymbolsListed, ExchangeError, hasErrorCode, nowMicros, silentLogger } from '@dccd/core'
import type { MarketEvent } from '@dccd/core'
import { MarketFeed, SnapshotScheduler } from '@dccd/transport'
import type { Connection, FrameContext, InputContext, RestClient, SnapshotProgress } from '@dccd/transport'
import { BookSync } from './book-sync.js'
import { EXCHANGE_ID, MAX_CONTROL_MESSAGES_PER_SECOND } from './capabilities.js'
import { resolveBinanceOptions } from './options.js'
import type { BinanceFeedOptions, ResolvedBinanceOptions } from './options.js'
import { parseFrame } from './parse.js'
import type { BinanceMessage } from './parse.js'
import { klinesSource } from './bars.js'
import {
  createRestClient,
  fallbackRateLimit,
  fetchDepthSnapshot,
  fetchExchangeInfo,
  fetchHistoricalTrades,
  fetchKlines,
  rateLimitFrom,
} from './rest.js'
import { subscribeMessages } from './subscriptions.js'
import { historicalTradesSource } from './trades.js'
import type { BinanceDepthSnapshot } from './wire.js'

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
 * Streams Binance spot market data as normalized {@link MarketEvent}s.
 * Usually created through `exchange.createFeed(options)`.
 *
 * @example
 * const feed = new BinanceFeed({ symbols: ['BTCUSDT'], channels: ['trades', 'book'] })
 * for await (const event of feed.stream()) console.log(event)
 * @throws InvalidArgumentError (synchronously) for malformed symbols, unknown channels or intervals, bad options
 */
export class BinanceFeed extends MarketFeed {
  readonly #config: ResolvedBinanceOptions
  readonly #rest: RestClient
  readonly #books = new Map<string, BookSync>()
  readonly #snapshots: SnapshotScheduler<BinanceDepthSnapshot>
  #nextMessageId = 1

  constructor(options: BinanceFeedOptions) {
    const config = resolveBinanceOptions(options)
    const rest = createRestClient(config.restUrl, fallbackRateLimit(config.restWeightShare), options.logger ?? silentLogger)
    super(
      {
        exchange: EXCHANGE_ID,
        slots: config.connections,
        trades: {
          history: config.recoverTrades
            ? historicalTradesSource((symbol, fromId, limit, signal) => fetchHistoricalTrades(rest, symbol, fromId, limit, signal))
            : undefined,
          maxRecoveredTrades: config.maxRecoveredTrades,
        },
        // Closed bars are checked one interval apart whenever bars are streamed; klines recover what was missed.
        ...(config.subscribed.hasChannel('bars')
          ? {
              bars: config.recoverBars
                ? { history: klinesSource((query, signal) => fetchKlines(rest, query, signal)) }
                : { history: undefined, unrecoveredReason: 'bars missed; not recovered (recoverBars is off)' },
            }
          : {}),
        resume: config.resume,
        maxResumeAgeMs: config.maxResumeAgeMs,
      },
      { ...options, maxConnectionAgeMs: config.maxConnectionAgeMs, sendRatePerSecond: MAX_CONTROL_MESSAGES_PER_SECOND },
    )
    this.#config = config
    this.#rest = rest
    this.#snapshots = new SnapshotScheduler<BinanceDepthSnapshot>({
      fetch: (symbol, signal) => fetchDepthSnapshot(rest, symbol, config.snapshotLimit, signal),
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
      for (const symbol of config.symbols) this.#books.set(symbol, new BookSync(symbol, { requestSnapshot }))
    }
  }

  /** How far book synchronisation got: books live; snapshots queued, in flight, fetched, failed. */
  get bookProgress(): BookProgress {
    let live = 0
    for (const book of this.#books.values()) if (book.state === 'live') live++
    return { ...this.#snapshots.progress, books: this.#books.size, live }
  }

  /** Checks symbols against exchangeInfo (when enabled) and adopts its REST weight limit. */
  protected override async beforeConnect(): Promise<void> {
    if (!this.#config.validateSymbols) return
    const info = await fetchExchangeInfo(this.#rest, this.signal)
    checkSymbolsListed(EXCHANGE_ID, this.#config.symbols, new Set(info.symbols.map((entry) => entry.symbol)))
    for (const entry of info.symbols) {
      if (entry.status !== undefined && entry.status !== 'TRADING' && this.#config.symbols.includes(entry.symbol)) {
        this.logger.warn('symbol is not trading; its streams may stay silent', { symbol: entry.symbol, status: entry.status })
      }
    }
    const limit = rateLimitFrom(info.rateLimits, this.#config.restWeightShare)
    if (limit !== undefined) this.#rest.setRateLimit(limit)
  }

  /** Streams beyond the URL, by SUBSCRIBE messages paced by `sendRatePerSecond` (Binance counts them against 5 messages/s). */
  protected override async onConnect(connection: Connection): Promise<void> {
    for (const message of subscribeMessages(this.#config.connections[connection.slot]!.subscribeLater, this.#nextMessageId)) {
      this.#nextMessageId++
      await connection.send(message)
    }
  }

  /** The slot's books resync from its next events and a fresh snapshot. */
  protected override onStreamLost(slot: number, reason: string): MarketEvent[] {
    const out: MarketEvent[] = []
    const now = nowMicros()
    for (const symbol of this.symbolsOf(slot)) this.#books.get(symbol)?.invalidate(`connection lost: ${reason}`, now, out)
    return out
  }

  protected parseMessage(raw: string, context: FrameContext): MarketEvent[] | undefined {
    const message = parseFrame(raw, context.receivedAt)
    if (message === undefined) return undefined
    const out: MarketEvent[] = []
    this.#process(message, context.connection, out)
    return out
  }

  /** One message to consumers: trades through the continuity check, bars de-duplicated, depth through its book sync. */
  #process(message: BinanceMessage, connection: Connection, out: MarketEvent[]): void {
    switch (message.type) {
      case 'trade':
        this.#config.subscribed.check('trades', message.symbol)
        this.acceptTrade(message, out)
        return
      case 'depthUpdate':
        this.#config.subscribed.check('book', message.symbol)
        this.#books.get(message.symbol)!.onUpdate(message, out)
        return
      case 'bar':
        this.#config.subscribed.check('bars', message.symbol, message.interval)
        this.acceptBar(message, out)
        return
      case 'serverShutdown':
        // Replace it before the server cuts it: a rotation, so consumers see no disconnect.
        this.logger.warn('server is shutting down; rotating the connection', { slot: connection.slot, connection: connection.id })
        this.rotate(connection, 'server shutdown')
        return
      case 'control':
        if (message.error !== undefined) {
          this.fail(new ExchangeError(EXCHANGE_ID, message.error.code, `subscription rejected: ${message.error.msg}`))
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
}
