/**
 * `BinanceFeed`: Binance spot trades, bars and exactly-synced books over
 * combined streams. Sockets, reconnects, heartbeats and backpressure live in
 * `WebSocketBase`; this file wires URLs, subscriptions, parsing, rotation
 * handover (on the base's hooks) and the books together.
 */
import { setMaxListeners } from 'node:events'
import { checkSymbolsListed, ExchangeError, statusEvent, TradeContinuity } from '@dccd/core'
import type { Feed, MarketEvent, StatusKind } from '@dccd/core'
import { WebSocketBase } from '@dccd/transport'
import type { Connection, FrameContext, RestClient } from '@dccd/transport'
import { Books } from './books.js'
import type { BookProgress } from './books.js'
import { BarDedupe } from './dedupe.js'
import { resolveBinanceOptions } from './options.js'
import type { BinanceFeedOptions, ResolvedBinanceOptions } from './options.js'
import { parseBinanceFrame } from './parse.js'
import type { BinanceMessage } from './parse.js'
import { createBinanceRestClient, fetchExchangeInfo, fetchHistoricalTrades } from './rest.js'
import { SlotRouting } from './slot-routing.js'
import { subscribeMessages } from './subscriptions.js'
import { EXCHANGE_ID, MAX_CONTROL_MESSAGES_PER_SECOND } from './symbols.js'
import { historicalTradesSource } from './trades.js'
import { EXCHANGE_INFO_WEIGHT, HISTORICAL_TRADES_WEIGHT, weightLimitFrom } from './weight.js'

/**
 * Streams Binance spot market data as normalized {@link MarketEvent}s.
 * Usually created through `exchange.createFeed(options)`.
 *
 * @example
 * const feed = new BinanceFeed({ symbols: ['BTCUSDT'], channels: ['trades', 'book'] })
 * for await (const event of feed.stream()) console.log(event)
 * @throws InvalidArgumentError (synchronously) for malformed symbols, unknown channels or intervals, bad options
 */
export class BinanceFeed extends WebSocketBase<MarketEvent> implements Feed {
  /** Adapter id. */
  readonly exchange = EXCHANGE_ID
  readonly #config: ResolvedBinanceOptions
  readonly #books: Books
  readonly #routing: SlotRouting<BinanceMessage>[]
  readonly #bars = new BarDedupe()
  readonly #abort = new AbortController()
  readonly #rest: RestClient
  /** Every trade checked against the one before it; holes recovered from historicalTrades. */
  readonly #trades: TradeContinuity
  readonly #timers = new Set<ReturnType<typeof setTimeout>>()
  readonly #out: MarketEvent[] = []
  #nextMessageId = 1

  constructor(options: BinanceFeedOptions) {
    const config = resolveBinanceOptions(options)
    super(
      config.connections.map((plan) => plan.url),
      { ...options, maxConnectionAgeMs: config.maxConnectionAgeMs, sendRatePerSecond: MAX_CONTROL_MESSAGES_PER_SECOND },
    )
    this.#config = config
    // Every in-flight request listens on this one signal (snapshot concurrency can exceed Node's default of 10).
    setMaxListeners(0, this.#abort.signal)
    this.#routing = config.connections.map(() => new SlotRouting<BinanceMessage>())
    this.#rest = createBinanceRestClient({
      restUrl: config.restUrl,
      logger: this.logger,
      usedWeightHeader: () => this.#books.usedWeightHeader,
      onUsedWeight: (used) => this.#books.observeUsedWeight(used),
    })
    this.#books = new Books(
      {
        rest: this.#rest,
        signal: this.#abort.signal,
        logger: this.logger,
        push: (event) => this.push(event),
        fail: (error) => this.fail(error),
        later: (delayMs, task) => this.#later(delayMs, task),
      },
      config.hasBook ? config.symbols : [],
      { snapshotLimit: config.snapshotLimit, concurrency: config.snapshotConcurrency, restWeightShare: config.restWeightShare },
    )
    this.#trades = new TradeContinuity({
      exchange: EXCHANGE_ID,
      history: config.recoverTrades
        ? historicalTradesSource((symbol, fromId, limit, signal) =>
            this.#books.restRequest(HISTORICAL_TRADES_WEIGHT, () => fetchHistoricalTrades(this.#rest, symbol, fromId, limit, signal)),
          )
        : undefined,
      maxRecoveredTrades: config.maxRecoveredTrades,
      unrecoveredReason: config.recoverTrades
        ? 'trades missed; not recovered (maxRecoveredTrades is 0)'
        : 'trades missed; not recovered (recoverTrades is off)',
      emit: (event) => this.push(event),
      logger: this.logger,
    })
  }

  /** How far book synchronisation got: books live; snapshots queued, in flight, fetched, failed. */
  get bookProgress(): BookProgress {
    return this.#books.progress
  }

  override async stop(): Promise<void> {
    this.#abort.abort(new Error('feed stopped'))
    this.#books.stop()
    this.#trades.stop()
    for (const timer of this.#timers) clearTimeout(timer)
    this.#timers.clear()
    return super.stop()
  }

  /** Checks symbols against exchangeInfo (when enabled) and adopts its REST weight limit. */
  protected override async beforeConnect(): Promise<void> {
    if (!this.#config.validateSymbols) return
    const info = await fetchExchangeInfo(this.#rest, this.#abort.signal)
    checkSymbolsListed(EXCHANGE_ID, this.#config.symbols, new Set(info.symbols.map((entry) => entry.symbol)))
    for (const entry of info.symbols) {
      if (entry.status !== undefined && entry.status !== 'TRADING' && this.#config.symbols.includes(entry.symbol)) {
        this.logger.warn('symbol is not trading; its streams may stay silent', { symbol: entry.symbol, status: entry.status })
      }
    }
    const limit = weightLimitFrom(info.rateLimits)
    if (limit !== undefined) this.#books.adoptWeightLimit(limit, EXCHANGE_INFO_WEIGHT)
  }

  protected override async onConnect(connection: Connection): Promise<void> {
    const slot = connection.slot
    const plan = this.#config.connections[slot]!
    if (this.#routing[slot]!.connected(connection.id) === 'fresh') this.#startStream(slot, undefined)
    // Streams beyond the URL; paced by sendRatePerSecond (Binance counts them against 5 messages/s).
    for (const message of subscribeMessages(plan.subscribeLater, this.#nextMessageId)) {
      this.#nextMessageId++
      await connection.send(message)
    }
  }

  protected override onDisconnect(connection: Connection, reason: string): void {
    this.#lose(connection.slot, connection.id, reason)
  }

  /** A socket feeding `slot` is gone: markers, books invalidated, and a replacement in progress takes over. */
  #lose(slot: number, connectionId: number, reason: string): void {
    const routing = this.#routing[slot]!
    const lost = routing.lost(connectionId)
    if (lost === undefined) return
    const out: MarketEvent[] = []
    this.#markers(slot, 'disconnected', reason, out)
    this.#books.invalidate(this.#config.connections[slot]!.symbols, `connection lost: ${reason}`, out)
    for (const event of out) this.push(event)
    // A replacement that was being subscribed carries on as the reconnect.
    if (lost.taken !== undefined) this.#startStream(slot, lost.taken)
  }

  protected override onReplacementFailed(connection: Connection): void {
    this.#routing[connection.slot]!.replacementFailed(connection.id)
  }

  /** The old socket has closed (its last frame already parsed): the replacement's held messages go through de-duplication. */
  protected override onRotationComplete(_previous: Connection, next: Connection): void {
    const slot = next.slot
    const held = this.#routing[slot]!.complete(next.id)
    if (held === undefined) return
    const out: MarketEvent[] = []
    for (const message of held) this.#process(message, out)
    for (const event of out) this.push(event)
    this.logger.info('rotation handover', { slot, replayed: held.length, emitted: out.length })
  }

  protected parseMessage(raw: string, context: FrameContext): MarketEvent[] | undefined {
    const message = parseBinanceFrame(raw, context.receivedAt)
    if (message === undefined) return undefined
    const slot = context.connection.slot
    if (message.type === 'control' || message.type === 'serverShutdown') {
      this.#control(message, context.connection)
      return undefined
    }
    checkSubscribed(message, this.#config)
    const routing = this.#routing[slot]!
    const route = routing.route(context.connection.id)
    if (route === 'ignore') return undefined
    if (route === 'hold') {
      routing.hold(message)
      return undefined
    }
    const out = this.#out
    out.length = 0
    this.#process(message, out)
    return out
  }

  /** One message to consumers: de-duplicated trades and bars; depth through its book sync. */
  #process(message: BinanceMessage, out: MarketEvent[]): void {
    if (message.type === 'depthUpdate') {
      this.#books.onUpdate(message, out)
    } else if (message.type === 'trade') {
      this.#trades.accept(message, out)
    } else if (message.type === 'bar') {
      if (this.#bars.bar(message)) out.push(message)
    }
  }

  #control(message: BinanceMessage, connection: Connection): void {
    if (message.type === 'serverShutdown') {
      const routing = this.#routing[connection.slot]!
      // A socket already being replaced (or unknown) is on its way out anyway.
      if (routing.route(connection.id) === 'ignore' || routing.isBeingReplaced(connection.id)) return
      // Replace it before the server cuts it: a rotation, so consumers see no disconnect.
      this.logger.warn('server is shutting down; rotating the connection', { slot: connection.slot, connection: connection.id })
      this.rotate(connection.slot, 'server shutdown')
    } else if (message.type === 'control' && message.error !== undefined) {
      this.fail(new ExchangeError(EXCHANGE_ID, message.error.code, `subscription rejected: ${message.error.msg}`))
    }
  }

  /** A slot carries data again: `connected` markers, trade-gap checks, and messages it already received. */
  #startStream(slot: number, taken: BinanceMessage[] | undefined): void {
    const out: MarketEvent[] = []
    this.#markers(slot, 'connected', undefined, out)
    for (const message of taken ?? []) this.#process(message, out)
    for (const event of out) this.push(event)
  }

  /** One marker for a single-connection feed; one per symbol of the slot when the feed is sharded. */
  #markers(slot: number, status: StatusKind, reason: string | undefined, out: MarketEvent[]): void {
    if (this.#config.connections.length === 1) {
      out.push(statusEvent(EXCHANGE_ID, status, { reason }))
      return
    }
    for (const symbol of this.#config.connections[slot]!.symbols) out.push(statusEvent(EXCHANGE_ID, status, { symbol, reason }))
  }

  #later(delayMs: number, task: () => void): void {
    if (this.#abort.signal.aborted) return
    const timer = setTimeout(() => {
      this.#timers.delete(timer)
      task()
    }, delayMs)
    this.#timers.add(timer)
  }
}

/**
 * A trade, bar or depth event for a symbol or channel this feed never subscribed to is a
 * parse error: taken, it would create streams (and recorder folders) from frame data alone.
 *
 * @throws TypeError naming the symbol and channel
 */
function checkSubscribed(message: BinanceMessage, config: ResolvedBinanceOptions): void {
  let subscribed: boolean
  if (message.type === 'trade') subscribed = config.hasTrades && config.symbolSet.has(message.symbol)
  else if (message.type === 'depthUpdate') subscribed = config.hasBook && config.symbolSet.has(message.symbol)
  else if (message.type === 'bar') subscribed = config.barIntervals.has(message.interval) && config.symbolSet.has(message.symbol)
  else return
  if (!subscribed) {
    const channel = message.type === 'bar' ? `bars:${message.interval}` : message.type === 'trade' ? 'trades' : 'book'
    throw new TypeError(`${channel} event for ${JSON.stringify(message.symbol).slice(0, 60)}, which this feed did not subscribe to`)
  }
}
