/**
 * `KrakenFeed`: Kraken spot WebSocket v2 trades, bars and checksum-verified
 * books. `MarketFeed` (transport) owns sockets, reconnects, markers and trade
 * continuity; this class adds Kraken: the subscriptions (instrument first, for
 * the checksum precisions), the parser, one `BookSync` per symbol, the
 * resubscription that answers a checksum mismatch, the application ping, and
 * the REST history (`Trades`, `OHLC`) that trade and bar continuity recover from.
 */
import { ChecksumMismatchError, checkSymbolsListed, ExchangeError, InvalidArgumentError, silentLogger } from '@dccd/core'
import type { BarEvent, MarketEvent, TradeEvent } from '@dccd/core'
import { MarketFeed } from '@dccd/transport'
import type { Connection, FrameContext } from '@dccd/transport'
import { BarTracker } from './bars.js'
import { scanBookUpdate } from './book-scan.js'
import type { ScannedBookUpdate } from './book-scan.js'
import { BookSync } from './book-sync.js'
import { EXCHANGE_ID, minutesToInterval, SYMBOL_FORMAT_DESCRIPTION } from './capabilities.js'
import { resolveKrakenOptions } from './options.js'
import type { KrakenFeedOptions, ResolvedKrakenOptions } from './options.js'
import { ackError, isChannelMessage, parseFrame, systemStatus, tradeEvents } from './parse.js'
import { krakenOhlcSource } from './ohlc.js'
import { KrakenRest } from './rest.js'
import { bookRequest, dataRequests, instrumentRequest } from './subscriptions.js'
import { krakenTradesSource } from './trades.js'
import type { KrakenAck, KrakenBookMessage, KrakenInstrumentMessage, KrakenOhlcMessage, KrakenRequest, KrakenTradeMessage } from './wire.js'

/** Checksum mismatches in a row (no update verifying between them) before the feed gives up: precision must be wrong. */
const MAX_MISMATCH_STREAK = 3
/** Requests remembered for error messages (acks carry only `req_id`). */
const REQUESTS_KEPT = 256

/**
 * Streams Kraken spot market data as normalized {@link MarketEvent}s.
 *
 * On every connection it subscribes to `instrument` first (for the checksum
 * precisions and the symbol list), then to `book`, `trade` and `ohlc`. Book
 * events are checksum-verified; a mismatch yields `status: 'resync'` and a
 * fresh snapshot of that symbol only. After a reconnect every book restarts
 * with a snapshot. Every trade is checked against the one before it (ids are
 * consecutive per pair): duplicates are dropped, and a hole — across a
 * reconnect or on a healthy socket — is filled from Kraken's trade snapshot
 * on resubscription or from REST `Trades` (`recoverTrades`), else reported as
 * one `status: 'gap'`. Closed bars are checked to be one interval apart; a
 * missed close (a quiet interval included: Kraken sends nothing for it) is
 * filled from REST `OHLC` (`recoverBars`). With `resume` (what
 * `positions()` returned) it continues after the consumer's data: the first
 * trade subscription asks for the snapshot, the rest comes from REST, and
 * nothing at or before the resume point is emitted again.
 *
 * @example
 * const feed = new KrakenFeed({ symbols: ['BTC/USD'], channels: ['trades'] })
 * for await (const event of feed.stream()) if (event.type === 'trade') console.log(event.price)
 */
export class KrakenFeed extends MarketFeed {
  readonly #config: ResolvedKrakenOptions
  /** One per symbol with a book, once the instrument channel gave its precisions. */
  readonly #books = new Map<string, BookSync>()
  /** What the book-update scan writes, reused for every frame. */
  readonly #scanned: ScannedBookUpdate = { symbol: '', bids: [], asks: [], checksum: 0, timestamp: 0 }
  /** The records of one scanned frame, reused (see `#onBookUpdate`). */
  readonly #out: MarketEvent[] = []
  readonly #bars = new BarTracker()
  readonly #requests = new Map<number, KrakenRequest>()
  #nextReqId = 1
  /** Id of the connection whose data subscriptions have been sent. */
  #subscribedOn = 0
  /** Symbols Kraken lists, once known (REST or instrument snapshot). */
  #listed: ReadonlySet<string> | undefined
  /** REST pair names and per-pair pacing, shared by trade and bar recovery. */
  readonly #rest: KrakenRest
  /** Without bar continuity: per `symbol|interval`, the resume point's open time; bars up to it are not emitted again. */
  readonly #barFloors = new Map<string, number>()

  /** @throws InvalidArgumentError for a malformed symbol, unknown channel or interval, or a bad option */
  constructor(options: KrakenFeedOptions) {
    const config = resolveKrakenOptions(options)
    const rest = new KrakenRest(config.restUrl, options.logger ?? silentLogger)
    // Bars Kraken no longer serves are reported by the OHLC source, off any frame: bound once `this` exists.
    const reporter = { report: (_event: MarketEvent): void => {} }
    const barContinuity = config.plan.barMinutes.length > 0 && config.recoverBars
    super(
      {
        exchange: EXCHANGE_ID,
        slots: [{ url: config.wsEndpoint, symbols: config.plan.symbols }],
        trades: {
          history: config.recoverTrades ? krakenTradesSource(rest) : undefined,
          maxRecoveredTrades: config.maxRecoveredTrades,
        },
        ...(barContinuity ? { bars: { history: krakenOhlcSource(rest, (event) => reporter.report(event)) } } : {}),
        resume: config.resume,
        maxResumeAgeMs: config.maxResumeAgeMs,
      },
      options,
    )
    this.#config = config
    this.#rest = rest
    reporter.report = (event) => this.deliver(event, toRecords)
    if (!barContinuity) {
      for (const [symbol, point] of Object.entries(config.resume)) {
        for (const [interval, bar] of Object.entries(point.bars ?? {})) this.#barFloors.set(`${symbol}|${interval}`, bar.lastOpenTime)
      }
    }
  }

  protected override async beforeConnect(): Promise<void> {
    if (!this.#config.validateSymbols) return
    const pairs = await this.#rest.pairs.all(this.signal)
    this.#listed = new Set(pairs.keys())
    checkSymbolsListed(EXCHANGE_ID, this.#config.plan.symbols, this.#listed)
  }

  protected override async onConnect(connection: Connection): Promise<void> {
    for (const book of this.#books.values()) book.reset()
    // Data subscriptions follow the instrument snapshot: books need its precisions.
    await this.#send(connection, instrumentRequest(this.#nextReqId++))
  }

  protected override onStreamLost(): void {
    for (const book of this.#books.values()) book.reset()
    // A candle open at the disconnect may have traded since: it is not closed from its last values seen.
    this.#bars.reset()
  }

  /** Kraken's application-level ping; the `pong`, like any frame, proves the connection alive. */
  protected override sendHeartbeat(connection: Connection): void {
    void connection.send({ method: 'ping', req_id: this.#nextReqId++ })
  }

  protected parseMessage(raw: string, context: FrameContext): MarketEvent[] | undefined {
    // Book updates of the layout Kraken sends are read without JSON.parse (./book-scan.ts); any other
    // frame, a malformed one included, goes through parseFrame and the checks below.
    const update = this.#scanned
    if (scanBookUpdate(raw, update)) return this.#onBookUpdate(update, context)
    const frame = parseFrame(raw)
    if (!isChannelMessage(frame)) {
      this.#onAck(frame)
      return undefined
    }
    switch (frame.channel) {
      case 'book':
        return this.#onBook(frame, context)
      case 'trade':
        return this.#onTrades(frame, context.receivedAt)
      case 'ohlc':
        return this.#onOhlc(frame, context.receivedAt)
      case 'instrument':
        this.#onInstrument(frame, context.connection)
        return undefined
      case 'status': {
        const system = systemStatus(frame)
        if (system !== 'online') this.logger.warn('kraken engine not online', { system })
        return undefined
      }
      default:
        return undefined // heartbeat: its arrival alone keeps the connection fresh
    }
  }

  /** {@link #onBook} for a scanned update: one entry, its event in the feed's one output array. */
  #onBookUpdate(update: ScannedBookUpdate, context: FrameContext): MarketEvent[] | undefined {
    const book = this.#books.get(update.symbol)
    if (book === undefined) {
      // Books exist only for subscribed symbols: name the unsubscribed one, else the missing precision.
      this.#config.subscribed.check('book', update.symbol)
      throw new Error(`No instrument precision for ${update.symbol}; cannot verify its book`)
    }
    const event = book.applyUpdate(update, context.receivedAt)
    if (event === undefined) return undefined
    if (event.type === 'status') this.#resync(book, context.connection)
    // The base copies the records into its queue before the next frame is parsed. Overwritten, not
    // emptied and pushed: setting an array's length to 0 drops its storage in V8, and the next push
    // allocates a new 16-slot store (~150 B and ~50 ns a frame, measured in a loop).
    const out = this.#out
    out[0] = event
    return out
  }

  /** Each symbol's entry through its checksum-verified book; a mismatch resubscribes that symbol only. */
  #onBook(frame: KrakenBookMessage, context: FrameContext): MarketEvent[] {
    // Checked whole before any book changes: a frame naming an unsubscribed symbol is rejected whole.
    for (const data of frame.data) this.#config.subscribed.check('book', data?.symbol)
    const events: MarketEvent[] = []
    for (const data of frame.data) {
      const book = this.#books.get(data.symbol)
      if (book === undefined) throw new Error(`No instrument precision for ${data.symbol}; cannot verify its book`)
      const event = book.apply(frame.type === 'snapshot', data, context.receivedAt)
      if (event === undefined) continue
      events.push(event)
      if (event.type === 'status') this.#resync(book, context.connection)
    }
    return events
  }

  /**
   * Every trade goes through the continuity check, in id order within a snapshot (whose
   * order Kraken does not document). A symbol's first snapshot (50 trades from before the
   * feed started) is emitted only with `tradeSnapshot`; after a reconnect the snapshot
   * fills the hole, its repeats dropped as duplicates.
   */
  #onTrades(message: KrakenTradeMessage, receivedAt: number): MarketEvent[] {
    const trades = tradeEvents(message, receivedAt)
    for (const trade of trades) this.#config.subscribed.check('trades', trade.symbol)
    const isSnapshot = message.type === 'snapshot'
    if (isSnapshot) trades.sort(byId)
    const events: MarketEvent[] = []
    for (const trade of trades) {
      if (isSnapshot && !this.#config.tradeSnapshot && !this.hasTraded(trade.symbol)) continue
      this.acceptTrade(trade, events)
    }
    return events
  }

  #onOhlc(message: KrakenOhlcMessage, receivedAt: number): MarketEvent[] {
    for (const candle of message.data) this.#config.subscribed.check('bars', candle?.symbol, minutesToInterval(candle?.interval as number))
    const events: MarketEvent[] = []
    for (const bar of this.#bars.apply(message, receivedAt)) if (!this.#belowFloor(bar)) this.acceptBar(bar, events)
    return events
  }

  /** A bar at or before the consumer's resume point (checked here only when bar continuity, which does it, is off). */
  #belowFloor(bar: BarEvent): boolean {
    if (this.#barFloors.size === 0) return false
    const floor = this.#barFloors.get(`${bar.symbol}|${bar.interval}`)
    return floor !== undefined && bar.openTime <= floor
  }

  #onInstrument(message: KrakenInstrumentMessage, connection: Connection): void {
    const pairs = message.data.pairs ?? []
    const depth = this.#config.plan.bookDepth
    for (const pair of pairs) {
      if (depth === 0 || !this.#config.subscribed.hasSymbol(pair.symbol)) continue
      const book = this.#books.get(pair.symbol)
      if (book === undefined) this.#books.set(pair.symbol, new BookSync(pair.symbol, depth, pair.price_precision, pair.qty_precision))
      else book.setPrecision(pair.price_precision, pair.qty_precision)
    }
    if (message.type !== 'snapshot') return
    const listed = new Set(pairs.map((pair) => pair.symbol))
    this.#listed = listed
    try {
      checkSymbolsListed(EXCHANGE_ID, this.#config.plan.symbols, listed)
    } catch (error) {
      this.fail(error as Error)
      return
    }
    if (this.#subscribedOn === connection.id) return
    this.#subscribedOn = connection.id
    // After a reconnect the trade snapshot (50 most recent) covers what was missed, if it was short; so it does
    // after a restart, for a symbol resumed from a trade (its continuity starts at the resume point: hasTraded).
    const streaming = this.#config.plan.symbols.some((symbol) => this.hasTraded(symbol))
    const tradeSnapshot = streaming ? this.#config.recoverTrades : this.#config.tradeSnapshot
    for (const request of dataRequests(this.#config.plan, this.#nextReqId, tradeSnapshot)) {
      this.#nextReqId = request.req_id! + 1
      void this.#send(connection, request)
    }
  }

  #onAck(ack: KrakenAck): void {
    const error = ackError(ack)
    if (ack.result?.warnings !== undefined) this.logger.warn('kraken subscription warning', { ...ack.result })
    if (error === undefined || ack.method !== 'subscribe') {
      // Unsubscribe and pong failures are harmless (a resync may unsubscribe a book Kraken already dropped).
      if (error !== undefined) this.logger.debug('kraken request failed', { method: ack.method, error })
      return
    }
    const request = ack.req_id === undefined ? undefined : this.#requests.get(ack.req_id)
    const symbol = ack.symbol ?? ack.result?.symbol
    if (symbol !== undefined && /pair not supported|unknown (asset )?pair|invalid symbol/i.test(error)) {
      const valid = this.#listed === undefined ? [SYMBOL_FORMAT_DESCRIPTION] : [...this.#listed].sort()
      this.fail(new InvalidArgumentError(`${EXCHANGE_ID} symbol`, symbol, valid, `Kraken: ${error}`))
      return
    }
    const what = [request?.params.channel, symbol].filter(Boolean).join(' ')
    this.fail(new ExchangeError(EXCHANGE_ID, undefined, `subscribe${what ? ` ${what}` : ''} refused: ${error}`))
  }

  /** Drops one symbol's book subscription and takes it again: Kraken's next snapshot replaces the book. */
  #resync(book: BookSync, connection: Connection): void {
    if (book.mismatchStreak >= MAX_MISMATCH_STREAK) {
      const last = book.lastMismatch!
      this.fail(new ChecksumMismatchError(book.symbol, last.expected, last.computed))
      return
    }
    const depth = this.#config.plan.bookDepth
    void this.#send(connection, bookRequest('unsubscribe', [book.symbol], depth, this.#nextReqId++))
    void this.#send(connection, bookRequest('subscribe', [book.symbol], depth, this.#nextReqId++))
  }

  #send(connection: Connection, request: KrakenRequest): Promise<void> {
    if (request.req_id !== undefined) {
      this.#requests.set(request.req_id, request)
      if (this.#requests.size > REQUESTS_KEPT) this.#requests.delete(this.#requests.keys().next().value!)
    }
    return connection.send(request)
  }
}

const byId = (a: TradeEvent, b: TradeEvent): number => Number(a.id) - Number(b.id)
const toRecords = (event: MarketEvent): MarketEvent[] => [event]
