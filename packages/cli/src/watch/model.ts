/**
 * What `dccd watch` shows, updated from the event stream: the book, the last
 * trades, event rate, connection state, reconnects and resyncs. Pure state,
 * no I/O, so the renderer can be tested on hand-made states.
 */
import { OrderBook } from '@dccd/core'
import type { MarketEvent, TradeEvent } from '@dccd/core'

/** A snapshot of everything the view needs. */
export interface WatchState {
  readonly exchange: string
  readonly symbol: string
  readonly book: OrderBook
  /** False from a resync/disconnect until the next snapshot. */
  readonly bookValid: boolean
  /** Newest first. */
  readonly trades: readonly TradeEvent[]
  /** Events per second over the last measurement window. */
  readonly eventsPerSecond: number
  readonly totalEvents: number
  readonly connection: 'connecting' | 'connected' | 'disconnected'
  readonly reconnects: number
  readonly resyncs: number
  /** Exchange time of the last book or trade event, µs. */
  readonly lastTimestamp?: number
}

/** Folds events into a {@link WatchState}. */
export class WatchModel {
  readonly book = new OrderBook()
  #bookValid = false
  #trades: TradeEvent[] = []
  #total = 0
  #windowStart: number
  #windowCount = 0
  #rate = 0
  #connection: WatchState['connection'] = 'connecting'
  #resyncs = 0
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
    if (event.type === 'book' && event.symbol === this.symbol) {
      if (event.isSnapshot) this.#bookValid = true
      this.book.apply(event)
      this.#lastTimestamp = event.timestamp
      this.#connection = 'connected'
    } else if (event.type === 'trade' && event.symbol === this.symbol) {
      this.#trades.unshift(event)
      if (this.#trades.length > this.keepTrades) this.#trades.length = this.keepTrades
      this.#lastTimestamp = event.timestamp
      this.#connection = 'connected'
    } else if (event.type === 'status') {
      if (event.status === 'connected') this.#connection = 'connected'
      if (event.status === 'disconnected') {
        this.#connection = 'disconnected'
        this.#disconnects++
        this.#bookValid = false
      }
      if (event.status === 'resync' && (event.symbol === undefined || event.symbol === this.symbol)) {
        this.#resyncs++
        this.#bookValid = false
      }
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
      book: this.book,
      bookValid: this.#bookValid,
      trades: this.#trades,
      eventsPerSecond: this.#rate,
      totalEvents: this.#total,
      connection: this.#connection,
      reconnects: reconnects ?? this.#disconnects,
      resyncs: this.#resyncs,
      ...(this.#lastTimestamp === undefined ? {} : { lastTimestamp: this.#lastTimestamp }),
    }
  }
}
