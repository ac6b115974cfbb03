/**
 * KrakenFeed: Kraken spot WebSocket v2 trades, bars and checksum-verified
 * books. The transport base owns sockets, reconnects, heartbeats and the
 * queue; this class supplies the subscriptions, the parsing and the hooks.
 */
import { ChecksumMismatchError, checkSymbolsListed, ExchangeError, InvalidArgumentError, statusEvent, TradeContinuity } from '@dccd/core'
import type { Feed, MarketEvent, TradeEvent } from '@dccd/core'
import { WebSocketBase } from '@dccd/transport'
import type { Connection, FrameContext } from '@dccd/transport'
import { fetchAssetPairs } from './asset-pairs.js'
import { BarTracker } from './bars.js'
import { KrakenBookSync } from './book-sync.js'
import { resolveKrakenOptions } from './options.js'
import type { KrakenFeedOptions, ResolvedKrakenOptions } from './options.js'
import { ackError, isChannelMessage, parseFrame, systemStatus, tradeEvents } from './parse.js'
import { krakenRestClient } from './rest.js'
import { bookRequest, dataRequests, instrumentRequest } from './subscriptions.js'
import { SYMBOL_FORMAT_DESCRIPTION } from './symbols.js'
import { krakenTradesSource } from './trades.js'
import type { KrakenAck, KrakenInstrumentMessage, KrakenRequest, KrakenTradeMessage } from './wire.js'

const EXCHANGE = 'kraken'
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
 * one `status: 'gap'`.
 *
 * @example
 * const feed = new KrakenFeed({ symbols: ['BTC/USD'], channels: ['trades'] })
 * for await (const event of feed.stream()) if (event.type === 'trade') console.log(event.price)
 */
export class KrakenFeed extends WebSocketBase<MarketEvent> implements Feed {
  /** The adapter id, `kraken`. */
  readonly exchange = EXCHANGE
  readonly #resolved: ResolvedKrakenOptions
  readonly #wanted: ReadonlySet<string>
  readonly #books: KrakenBookSync | undefined
  readonly #bars = new BarTracker()
  readonly #requests = new Map<number, KrakenRequest>()
  #nextReqId = 1
  /** Id of the connection whose data subscriptions have been sent. */
  #subscribedOn = 0
  /** Symbols Kraken lists, once known (REST or instrument snapshot). */
  #listed: ReadonlySet<string> | undefined
  /** v2 symbol → REST pair, fetched before connecting or on the first recovery. */
  #restPairs: Promise<Map<string, string>> | undefined
  readonly #trades: TradeContinuity

  /** @throws InvalidArgumentError for a malformed symbol, unknown channel or interval, or a bad option */
  constructor(options: KrakenFeedOptions) {
    const resolved = resolveKrakenOptions(options)
    super(resolved.wsUrl, options)
    this.#resolved = resolved
    this.#wanted = new Set(resolved.plan.symbols)
    this.#books = resolved.plan.bookDepth > 0 ? new KrakenBookSync(resolved.plan.bookDepth) : undefined
    this.#trades = new TradeContinuity({
      exchange: EXCHANGE,
      history: resolved.recoverTrades
        ? krakenTradesSource({ restUrl: resolved.restUrl, logger: this.logger, restPair: (symbol) => this.#restPair(symbol) })
        : undefined,
      maxRecoveredTrades: resolved.maxRecoveredTrades,
      unrecoveredReason: resolved.recoverTrades
        ? 'trades missed; not recovered (maxRecoveredTrades is 0)'
        : 'trades missed; not recovered (recoverTrades is off)',
      emit: (event) => this.push(event),
      logger: this.logger,
    })
  }

  /** Stops as the base does, and cancels trade recoveries in flight. */
  override stop(): Promise<void> {
    this.#trades.stop()
    return super.stop()
  }

  protected override async beforeConnect(): Promise<void> {
    if (!this.#resolved.validateSymbols) return
    const pairs = await this.#fetchAssetPairs()
    this.#restPairs = Promise.resolve(pairs)
    this.#listed = new Set(pairs.keys())
    checkSymbolsListed(EXCHANGE, this.#resolved.plan.symbols, this.#listed)
  }

  protected override async onConnect(connection: Connection): Promise<void> {
    this.#books?.reset()
    // Data subscriptions follow the instrument snapshot: books need its precisions.
    await this.#send(connection, instrumentRequest(this.#nextReqId++))
    this.push(statusEvent(EXCHANGE, 'connected'))
  }

  protected override onDisconnect(_connection: Connection, reason: string): void {
    this.#books?.reset()
    this.push(statusEvent(EXCHANGE, 'disconnected', { reason }))
  }

  /** Kraken's application-level ping; the `pong` (like any frame) proves the connection alive. */
  protected override sendHeartbeat(connection: Connection): void {
    void connection.send({ method: 'ping', req_id: this.#nextReqId++ })
  }

  protected parseMessage(raw: string, context: FrameContext): MarketEvent[] | undefined {
    const frame = parseFrame(raw)
    if (!isChannelMessage(frame)) {
      this.#onAck(frame)
      return undefined
    }
    switch (frame.channel) {
      case 'book': {
        const books = this.#books
        for (const data of frame.data) if (books === undefined || !this.#wanted.has(data?.symbol)) throw unsubscribed('book', data?.symbol)
        const events: MarketEvent[] = []
        for (const data of frame.data) {
          const event = books!.apply(frame.type === 'snapshot', data, context.receivedAt)
          if (event === undefined) continue
          events.push(event)
          if (event.type === 'status') this.#resync(data.symbol, context.connection)
        }
        return events
      }
      case 'trade':
        return this.#onTrades(frame, context.receivedAt)
      case 'ohlc':
        for (const candle of frame.data) {
          if (!this.#wanted.has(candle?.symbol) || !this.#resolved.plan.barMinutes.includes(candle.interval)) {
            throw unsubscribed(`bars (${candle?.interval} min)`, candle?.symbol)
          }
        }
        return this.#bars.apply(frame, context.receivedAt)
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

  #onInstrument(message: KrakenInstrumentMessage, connection: Connection): void {
    const pairs = message.data.pairs ?? []
    for (const pair of pairs) {
      if (this.#wanted.has(pair.symbol)) this.#books?.setPrecision(pair.symbol, pair.price_precision, pair.qty_precision)
    }
    if (message.type !== 'snapshot') return
    const listed = new Set(pairs.map((pair) => pair.symbol))
    this.#listed = listed
    try {
      checkSymbolsListed(EXCHANGE, this.#resolved.plan.symbols, listed)
    } catch (error) {
      this.fail(error as Error)
      return
    }
    if (this.#subscribedOn === connection.id) return
    this.#subscribedOn = connection.id
    // After a reconnect the trade snapshot (50 most recent) covers what was missed, if it was short.
    const streaming = this.#resolved.plan.symbols.some((symbol) => this.#trades.has(symbol))
    const tradeSnapshot = streaming ? this.#resolved.recoverTrades : this.#resolved.tradeSnapshot
    for (const request of dataRequests(this.#resolved.plan, this.#nextReqId, tradeSnapshot)) {
      this.#nextReqId = request.req_id! + 1
      void this.#send(connection, request)
    }
  }

  /**
   * Every trade goes through the continuity check, in id order within a snapshot (whose
   * order Kraken does not document). A symbol's first snapshot (50 trades from before the
   * feed started) is emitted only with `tradeSnapshot`; after a reconnect the snapshot
   * fills the hole, its repeats dropped as duplicates.
   */
  #onTrades(message: KrakenTradeMessage, receivedAt: number): MarketEvent[] {
    const trades = tradeEvents(message, receivedAt)
    for (const trade of trades) if (!this.#resolved.plan.trades || !this.#wanted.has(trade.symbol)) throw unsubscribed('trades', trade.symbol)
    const isSnapshot = message.type === 'snapshot'
    if (isSnapshot) trades.sort(byId)
    const events: MarketEvent[] = []
    for (const trade of trades) {
      if (isSnapshot && !this.#resolved.tradeSnapshot && !this.#trades.has(trade.symbol)) continue
      this.#trades.accept(trade, events)
    }
    return events
  }

  async #restPair(symbol: string): Promise<string> {
    this.#restPairs ??= this.#fetchAssetPairs().catch((error: unknown) => {
      this.#restPairs = undefined // the next recovery asks again
      throw error
    })
    const pair = (await this.#restPairs).get(symbol)
    if (pair === undefined) throw new Error(`AssetPairs has no pair whose wsname is ${symbol}`)
    return pair
  }

  #fetchAssetPairs(): Promise<Map<string, string>> {
    return fetchAssetPairs(krakenRestClient(this.#resolved.restUrl, this.logger))
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
      this.fail(new InvalidArgumentError(`${EXCHANGE} symbol`, symbol, valid, `Kraken: ${error}`))
      return
    }
    const what = [request?.params.channel, symbol].filter(Boolean).join(' ')
    this.fail(new ExchangeError(EXCHANGE, undefined, `subscribe${what ? ` ${what}` : ''} refused: ${error}`))
  }

  /** Drops one symbol's book subscription and takes it again: Kraken's next snapshot replaces the book. */
  #resync(symbol: string, connection: Connection): void {
    const books = this.#books!
    if (books.mismatchStreak(symbol) >= MAX_MISMATCH_STREAK) {
      const last = books.lastMismatch(symbol)!
      this.fail(new ChecksumMismatchError(symbol, last.expected, last.computed))
      return
    }
    const depth = this.#resolved.plan.bookDepth
    void this.#send(connection, bookRequest('unsubscribe', [symbol], depth, this.#nextReqId++))
    void this.#send(connection, bookRequest('subscribe', [symbol], depth, this.#nextReqId++))
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

/**
 * Data for a symbol or channel the feed did not subscribe to: a parse error. Taken, it
 * would create streams (and recorder folders) from frame data alone.
 */
function unsubscribed(channel: string, symbol: unknown): TypeError {
  return new TypeError(`${channel} data for ${String(JSON.stringify(symbol)).slice(0, 60)}, which this feed did not subscribe to`)
}
