/**
 * `OkxFeed`: `MarketFeed` (transport) owns sockets, reconnects, liveness,
 * markers and trade and bar continuity; this class adds OKX: the
 * connections and their subscriptions, the text `ping` OKX expects, the
 * parser, one `BookSync` per instrument and the resubscription that answers
 * a book break (for that instrument only), the REST histories that recover
 * missed trades and closes, and the fan-out of index prices and the
 * filtering of liquidations, which OKX keys by index and by instrument type.
 */
import { checkSymbolsListed, ExchangeError, nowMicros, silentLogger } from '@dccd/core'
import type { MarketEvent } from '@dccd/core'
import { MarketFeed } from '@dccd/transport'
import type { Connection, FrameContext, RestClient } from '@dccd/transport'
import { AggregateCounts } from './aggregates.js'
import { candleHistory } from './bars.js'
import { scanBookUpdate } from './book-scan.js'
import { BookSync } from './book-sync.js'
import { EXCHANGE_ID, indexOf, instTypeOf } from './capabilities.js'
import type { OkxInstType } from './capabilities.js'
import { resolveOptions } from './options.js'
import type { OkxFeedOptions, ResolvedOkxOptions } from './options.js'
import { parseFrame } from './parse.js'
import type { OkxMessage } from './parse.js'
import { RequestBudget } from './request-budget.js'
import { createRestClient, fetchInstruments } from './rest.js'
import { planConnections, resubscribeBook, subscribeRequests } from './subscriptions.js'
import type { ConnectionPlan } from './subscriptions.js'
import { tradeHistory } from './trades.js'
import type { OkxEventFrame } from './wire.js'

/** OKX's answers that no retry can change: the feed stops with them. */
const REFUSALS = new Set(['60018' /* doesn't exist */, '60012' /* invalid request */, '64001' /* channel moved to /business */])

/** OKX accepts 3 connection requests a second per IP: many slots spread their first connects over this much per 3 slots, ms. */
const CONNECT_SPREAD_PER_3_SLOTS_MS = 1000

/**
 * Streams OKX market data as normalized events. Usually created through `exchange.createFeed(options)`.
 *
 * @example
 * const feed = new OkxFeed({ symbols: ['BTC-USDT', 'BTC-USDT-SWAP'], channels: ['trades', 'book'] })
 * for await (const event of feed.stream()) console.log(event)
 * @throws InvalidArgumentError (synchronously) for a malformed symbol, an unknown channel or interval, or a bad option
 */
export class OkxFeed extends MarketFeed {
  readonly #config: ResolvedOkxOptions
  readonly #plans: readonly ConnectionPlan[]
  readonly #rest: RestClient
  readonly #books = new Map<string, BookSync>()
  /** Per index (`BTC-USDT`), the subscribed instruments whose derivative state it prices. */
  readonly #indexes = new Map<string, string[]>()
  readonly #budgets = new WeakMap<Connection, RequestBudget>()
  /** Per slot, the instruments whose book it subscribed to. */
  readonly #bookSlots: readonly ReadonlySet<string>[]
  /** Fill counts of recent aggregated trade rows, for recovery (./aggregates.ts). */
  readonly #aggregates: AggregateCounts

  constructor(options: OkxFeedOptions) {
    const config = resolveOptions(options)
    const logger = options.logger ?? silentLogger
    const rest = createRestClient(config.restUrl, logger)
    const plans = planConnections(config)
    const aggregates = new AggregateCounts()
    const bars = config.subscribed.hasChannel('bars')
    super(
      {
        exchange: EXCHANGE_ID,
        slots: plans,
        trades: {
          history: config.recoverTrades ? tradeHistory(rest) : undefined,
          maxRecoveredTrades: config.maxRecoveredTrades,
          // Fill ids grow by one per instrument in practice, not by documentation: every jump is checked (trades.ts).
          ids: 'checked',
          firstId: (trade) => aggregates.firstFill(trade.symbol, Number(trade.id)),
        },
        ...(bars
          ? {
              bars: config.recoverBars
                ? { history: candleHistory(rest) }
                : { history: undefined, unrecoveredReason: 'bars missed; not recovered (recoverBars is off)' },
            }
          : {}),
        resume: config.resume,
        maxResumeAgeMs: config.maxResumeAgeMs,
      },
      { connectSpreadMs: Math.max(0, Math.ceil(plans.length / 3) - 1) * CONNECT_SPREAD_PER_3_SLOTS_MS, ...options },
    )
    this.#config = config
    this.#plans = plans
    this.#rest = rest
    this.#aggregates = aggregates
    this.#bookSlots = plans.map((plan) => new Set(plan.channels!.includes('book') ? plan.symbols : []))
    if (config.subscribed.hasChannel('book')) for (const symbol of config.symbols) this.#books.set(symbol, new BookSync(symbol))
    if (config.subscribed.hasChannel('derivatives')) {
      for (const symbol of config.symbols) {
        if (instTypeOf(symbol) === 'SPOT') continue
        const index = indexOf(symbol)
        this.#indexes.set(index, [...(this.#indexes.get(index) ?? []), symbol])
      }
    }
  }

  /** Unknown instruments never produce data: check OKX's listing of each instrument type asked for before connecting. */
  protected override async beforeConnect(): Promise<void> {
    if (!this.#config.validateSymbols) return
    const types = new Set<OkxInstType>(this.#config.symbols.map(instTypeOf))
    const listed = new Set<string>()
    for (const type of types) {
      for (const instrument of await fetchInstruments(this.#rest, type, this.signal)) {
        listed.add(instrument.instId)
        if (instrument.state !== undefined && instrument.state !== 'live' && this.#config.symbols.includes(instrument.instId)) {
          this.logger.warn('instrument is not live; its channels may stay silent', { symbol: instrument.instId, state: instrument.state })
        }
      }
    }
    checkSymbolsListed(EXCHANGE_ID, this.#config.symbols, listed)
  }

  protected override async onConnect(connection: Connection): Promise<void> {
    const requests = subscribeRequests(this.#plans[connection.slot]!.args)
    const budget = new RequestBudget()
    budget.trySpend(requests.length)
    this.#budgets.set(connection, budget)
    for (const request of requests) await connection.send(request)
  }

  /** OKX's liveness probe is the text `ping` (answered `pong`); it closes connections idle for 30 s. */
  protected override sendHeartbeat(connection: Connection): void {
    void connection.send('ping')
  }

  /** The slot's books resync from the snapshots the next connection's subscriptions bring. */
  protected override onStreamLost(slot: number, reason: string): MarketEvent[] {
    const out: MarketEvent[] = []
    if (!this.#plans[slot]!.channels!.includes('book')) return out
    const now = nowMicros()
    for (const symbol of this.symbolsOf(slot)) this.#books.get(symbol)?.invalidate(`connection lost: ${reason}`, now, out)
    return out
  }

  protected parseMessage(raw: string, context: FrameContext): MarketEvent[] | undefined {
    // `books` updates of the layout OKX sends are read without JSON.parse (./book-scan.ts), unless their
    // book verifies checksums (it needs the wire strings); any other frame goes through parseFrame.
    const update = scanBookUpdate(raw, context.receivedAt)
    if (update !== undefined && this.#books.get(update.symbol)?.verifiesChecksums === false) {
      const out: MarketEvent[] = []
      this.#process(update, context.connection, out)
      return out
    }
    let message: OkxMessage
    try {
      message = parseFrame(raw, context.receivedAt)
    } catch (error) {
      this.#onUnreadable(raw)
      throw error
    }
    if (message.type === 'pong') return undefined
    const out: MarketEvent[] = []
    this.#process(message, context.connection, out)
    return out
  }

  #process(message: OkxMessage, connection: Connection, out: MarketEvent[]): void {
    const subscribed = this.#config.subscribed
    switch (message.type) {
      case 'trades': {
        const { trades, counts } = message
        for (let i = 0; i < trades.length; i++) {
          const trade = trades[i]!
          subscribed.check('trades', trade.symbol)
          if (counts !== undefined) this.#aggregates.note(trade.symbol, Number(trade.id), counts[i]!)
          this.acceptTrade(trade, out)
        }
        return
      }
      case 'book':
        subscribed.check('book', message.symbol)
        // OKX sends a book on the connection that subscribed it; a copy on another (a replay that sends every
        // frame to every socket) would break the chain of the one that did.
        if (!this.#bookSlots[connection.slot]!.has(message.symbol)) {
          throw new TypeError(`${message.channel} data for ${message.symbol} on a connection that did not subscribe to it`)
        }
        if (this.#books.get(message.symbol)!.onMessage(message, out) === 'resync') this.#resubscribeBook(message.symbol, connection)
        return
      case 'bars':
        for (const bar of message.bars) {
          subscribed.check('bars', bar.symbol, bar.interval)
          this.acceptBar(bar, out)
        }
        return
      case 'quote':
        subscribed.check('quotes', message.quote.symbol)
        out.push(message.quote)
        return
      case 'derivatives':
        for (const event of message.events) subscribed.check('derivatives', event.symbol)
        out.push(...message.events)
        return
      case 'index': {
        const symbols = this.#indexes.get(message.index)
        if (symbols === undefined) throw new TypeError(`index-tickers data for ${message.index}, which this feed did not subscribe to`)
        for (const symbol of symbols) {
          out.push({ type: 'derivative', exchange: EXCHANGE_ID, symbol, indexPrice: message.price, timestamp: message.timestamp, localTimestamp: message.localTimestamp })
        }
        return
      }
      case 'liquidations':
        // OKX sends every instrument of the type: keep the subscribed ones.
        for (const event of message.events) if (subscribed.hasSymbol(event.symbol)) out.push(event)
        return
      case 'event':
        this.#onEvent(message.frame, connection)
        return
    }
  }

  /** One instrument's book again, on the same connection while its request budget allows; else a new connection. */
  #resubscribeBook(symbol: string, connection: Connection): void {
    const requests = resubscribeBook(symbol, this.#config.bookDepth)
    if (this.#budgets.get(connection)?.trySpend(requests.length) === false) {
      this.logger.warn('subscription budget of the connection spent; replacing it to resync the book', { symbol, connection: connection.id })
      this.rotate(connection, 'subscription request budget spent')
      return
    }
    for (const request of requests) void connection.send(request)
  }

  #onEvent(frame: OkxEventFrame, connection: Connection): void {
    if (frame.event === 'error') {
      const reason = `${frame.msg ?? 'no message'} (code ${frame.code ?? '?'})`
      if (REFUSALS.has(frame.code ?? '')) this.fail(new ExchangeError(EXCHANGE_ID, frame.code, `subscription refused: ${reason}`))
      else this.logger.warn('OKX answered with an error', { reason, connection: connection.id })
    } else if (frame.event === 'notice') {
      // OKX announces service upgrades this way (code 64008): move to a new connection before it is cut.
      this.logger.warn('OKX notice; replacing the connection', { message: frame.msg, code: frame.code })
      this.rotate(connection, `OKX notice: ${frame.msg ?? frame.code ?? ''}`)
    }
  }

  /** A trade frame that cannot be read may have held trades: the instrument's next trade is checked for a hole. */
  #onUnreadable(raw: string): void {
    const match = /"channel":"trades","instId":"([^"]{1,64})"/.exec(raw)
    if (match !== null && this.#config.subscribed.hasSymbol(match[1]!)) this.tradesInterrupted(match[1]!)
  }
}
