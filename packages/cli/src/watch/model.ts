/**
 * What `dccd watch` shows, updated from the event stream: the book, the last
 * trades, the best bid/offer and derivative state (mark and index price,
 * funding, open interest) where the feed carries them, event rate,
 * connection state, reconnects, resyncs and gaps. Pure
 * state, no I/O, so the renderer can be tested on hand-made states. The book
 * is core's {@link OrderBookSet}: the view follows the same validity rules as
 * every other consumer (a snapshot makes it valid; `resync`, and
 * `disconnected` or `gap` for the book, hide it until the next snapshot).
 */
import { OrderBookSet } from '@dccd/core'
import type { MarketEvent, OrderBook, QuoteEvent, StatusEvent, TradeEvent } from '@dccd/core'
import { mergeDerivative } from './derivative-state.js'
import type { DerivativeState } from './derivative-state.js'

/** The last `gap` marker seen: data lost for good. */
export interface WatchGap {
  /** `trades`, `book`, or undefined when the whole stream is concerned. */
  readonly channel?: string
  /** First and last missing id, when the exchange numbers them (trades). */
  readonly fromId?: string
  readonly toId?: string
  readonly reason?: string
  /** Receive time, µs. */
  readonly localTimestamp: number
}

/** A snapshot of everything the view needs. */
export interface WatchState {
  readonly exchange: string
  readonly symbol: string
  /** The book while it is known to be right; undefined before the first snapshot and from a resync, disconnect or gap until the next. */
  readonly book: OrderBook | undefined
  /** Newest first. */
  readonly trades: readonly TradeEvent[]
  /** The last quote (best bid/offer, channel `quotes`); undefined before the first. */
  readonly quote?: QuoteEvent
  /** The last value of each derivative field (channel `derivatives`); undefined before the first message. */
  readonly derivative?: DerivativeState
  /** Events per second over the last measurement window. */
  readonly eventsPerSecond: number
  readonly totalEvents: number
  readonly connection: 'connecting' | 'connected' | 'disconnected'
  readonly reconnects: number
  readonly resyncs: number
  /** `gap` markers for the watched symbol (or its whole exchange). */
  readonly gaps: number
  readonly lastGap?: WatchGap
  /** Exchange time of the last market event (book, trade, quote, derivative, …) of the symbol, µs. */
  readonly lastTimestamp?: number
}

/** Folds events into a {@link WatchState}. */
export class WatchModel {
  readonly #books = new OrderBookSet()
  #trades: TradeEvent[] = []
  #quote: QuoteEvent | undefined
  #derivative: DerivativeState | undefined
  #total = 0
  #windowStart: number
  #windowCount = 0
  #rate = 0
  #connection: WatchState['connection'] = 'connecting'
  #resyncs = 0
  #gaps = 0
  #lastGap: WatchGap | undefined
  #disconnects = 0
  #lastTimestamp: number | undefined

  constructor(
    readonly exchange: string,
    readonly symbol: string,
    private readonly keepTrades = 50,
    nowMs = 0,
  ) {
    this.#windowStart = nowMs
  }

  /** Applies one event of the watched feed. */
  apply(event: MarketEvent): void {
    this.#total++
    this.#windowCount++
    this.#books.apply(event)
    if (event.type === 'status') {
      this.#onStatus(event)
      return
    }
    if (event.symbol !== this.symbol) return
    if (event.type === 'trade') {
      this.#trades.unshift(event)
      if (this.#trades.length > this.keepTrades) this.#trades.length = this.keepTrades
    } else if (event.type === 'quote') {
      this.#quote = event
    } else if (event.type === 'derivative') {
      this.#derivative = mergeDerivative(this.#derivative, event)
    }
    this.#lastTimestamp = event.timestamp
    this.#connection = 'connected'
  }

  #onStatus(event: StatusEvent): void {
    if (event.status === 'connected') this.#connection = 'connected'
    if (event.status === 'disconnected') {
      this.#connection = 'disconnected'
      this.#disconnects++
    }
    const concernsSymbol = event.symbol === undefined || event.symbol === this.symbol
    if (event.status === 'resync' && concernsSymbol) this.#resyncs++
    if (event.status === 'gap' && concernsSymbol) {
      this.#gaps++
      const { channel, fromId, toId, reason, localTimestamp } = event
      this.#lastGap = { localTimestamp, ...(channel === undefined ? {} : { channel }), ...(fromId === undefined ? {} : { fromId }), ...(toId === undefined ? {} : { toId }), ...(reason === undefined ? {} : { reason }) }
    }
  }

  /** Closes the rate window when at least a second has passed. */
  tick(nowMs: number): void {
    const elapsed = nowMs - this.#windowStart
    if (elapsed < 1000) return
    this.#rate = (this.#windowCount * 1000) / elapsed
    this.#windowCount = 0
    this.#windowStart = nowMs
  }

  /** The state to render; `reconnects` comes from the feed's counters when known. */
  state(reconnects?: number): WatchState {
    return {
      exchange: this.exchange,
      symbol: this.symbol,
      book: this.#books.get(this.exchange, this.symbol),
      trades: this.#trades,
      ...(this.#quote === undefined ? {} : { quote: this.#quote }),
      ...(this.#derivative === undefined ? {} : { derivative: this.#derivative }),
      eventsPerSecond: this.#rate,
      totalEvents: this.#total,
      connection: this.#connection,
      reconnects: reconnects ?? this.#disconnects,
      resyncs: this.#resyncs,
      gaps: this.#gaps,
      ...(this.#lastGap === undefined ? {} : { lastGap: this.#lastGap }),
      ...(this.#lastTimestamp === undefined ? {} : { lastTimestamp: this.#lastTimestamp }),
    }
  }
}
