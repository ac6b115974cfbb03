/**
 * The base every exchange adapter's feed extends: `WebSocketBase` for
 * `MarketEvent`s plus what every market-data feed does the same way —
 * `connected`/`disconnected` markers per slot, trade continuity (core's
 * `TradeContinuity`, driven by the adapter's history source), bar updates
 * de-duplicated across sockets, and stopping all of it with the feed. An adapter adds only its exchange: URLs, subscriptions, the
 * frame parser and its book rule.
 */
import { statusEvent, TradeContinuity } from '@dccd/core'
import type { BarEvent, Feed, MarketEvent, StatusKind, TradeEvent, TradeHistorySource, TradePosition } from '@dccd/core'
import type { Connection } from './connection.js'
import type { WebSocketOptions } from './options.js'
import { WebSocketBase } from './websocket-base.js'

/** One connection of a feed: its URL and the symbols whose streams it carries. */
export interface MarketFeedSlot {
  readonly url: string
  readonly symbols: readonly string[]
}

/** How a feed checks and recovers trades (venues whose trade ids are consecutive per symbol). */
export interface TradeRecoveryOptions {
  /** The venue's trade history; undefined: a hole is only reported as a gap (`recoverTrades: false`). */
  readonly history: TradeHistorySource | undefined
  /** Most ids recovered per hole and live trades held meanwhile; 0 only reports gaps. */
  readonly maxRecoveredTrades: number
}

/** What {@link MarketFeed} needs from its adapter. */
export interface MarketFeedSettings {
  /** The adapter's id (`binance`). */
  readonly exchange: string
  /** One slot per connection, in order. */
  readonly slots: readonly MarketFeedSlot[]
  /** Trade continuity; omit for a venue whose trade ids are not consecutive. */
  readonly trades?: TradeRecoveryOptions
}

/**
 * @example
 * class DemoFeed extends MarketFeed {
 *   constructor(options: DemoFeedOptions) {
 *     super({ exchange: 'demo', slots: [{ url: 'wss://demo.test/ws', symbols: options.symbols }] }, options)
 *   }
 *   protected parseMessage(raw: string, context: FrameContext): MarketEvent[] { … }
 * }
 */
export abstract class MarketFeed extends WebSocketBase<MarketEvent> implements Feed {
  /** The adapter's id. */
  readonly exchange: string
  readonly #slots: readonly MarketFeedSlot[]
  readonly #trades: TradeContinuity | undefined
  /** Last bar update emitted per (symbol, interval): open time and event time. */
  readonly #bars = new Map<string, { openTime: number; timestamp: number }>()

  /**
   * @param options the connection options (`WebSocketOptions`); invalid values throw `InvalidArgumentError`
   */
  constructor(settings: MarketFeedSettings, options: WebSocketOptions = {}) {
    super(
      settings.slots.map((slot) => slot.url),
      options,
    )
    this.exchange = settings.exchange
    this.#slots = settings.slots
    const trades = settings.trades
    this.#trades =
      trades === undefined
        ? undefined
        : new TradeContinuity({
            exchange: settings.exchange,
            history: trades.history,
            maxRecoveredTrades: trades.maxRecoveredTrades,
            unrecoveredReason:
              trades.history === undefined
                ? 'trades missed; not recovered (recoverTrades is off)'
                : 'trades missed; not recovered (maxRecoveredTrades is 0)',
            // Recovered and released trades are produced off any frame: they join the stream through deliver().
            emit: (event) => this.deliver(event, toRecords),
            logger: this.logger,
          })
    this.signal.addEventListener('abort', () => this.#trades?.stop(), { once: true })
  }

  /**
   * The last trade received per symbol (id and exchange time, µs), for the
   * symbols that have traded since the feed started.
   */
  tradePositions(): ReadonlyMap<string, TradePosition> {
    const positions = new Map<string, TradePosition>()
    if (this.#trades === undefined) return positions
    for (const slot of this.#slots) {
      for (const symbol of slot.symbols) {
        const position = this.#trades.position(symbol)
        if (position !== undefined) positions.set(symbol, position)
      }
    }
    return positions
  }

  /** The symbols whose streams slot `slot` carries. */
  protected symbolsOf(slot: number): readonly string[] {
    return this.#slots[slot]?.symbols ?? []
  }

  /**
   * One trade, in stream order, through the continuity check (duplicates
   * dropped, holes recovered or reported): appends what may go out now to `out`.
   * Without trade continuity the trade goes out as it is.
   */
  protected acceptTrade(trade: TradeEvent, out: MarketEvent[]): void {
    if (this.#trades === undefined) out.push(trade)
    else this.#trades.accept(trade, out)
  }

  /**
   * One bar update: emitted (appended to `out`) unless it is not newer than the
   * last one of its symbol and interval — an older bar, or the same bar with an
   * event time not after the last (a rotation overlap, a snapshot repeated on
   * resubscribe).
   */
  protected acceptBar(bar: BarEvent, out: MarketEvent[]): void {
    const key = `${bar.symbol}\u0000${bar.interval}`
    const last = this.#bars.get(key)
    if (last === undefined) {
      this.#bars.set(key, { openTime: bar.openTime, timestamp: bar.timestamp })
    } else {
      if (bar.openTime < last.openTime || (bar.openTime === last.openTime && bar.timestamp <= last.timestamp)) return
      last.openTime = bar.openTime
      last.timestamp = bar.timestamp
    }
    out.push(bar)
  }

  /** True once `symbol` has had a trade since the feed started. */
  protected hasTraded(symbol: string): boolean {
    return this.#trades?.has(symbol) ?? false
  }

  /** `connected` markers: one for a one-connection feed, one per symbol of the slot when it is sharded. */
  protected override onStreamStart(connection: Connection): Iterable<MarketEvent> | void {
    return this.#markers(connection.slot, 'connected', undefined)
  }

  /** `disconnected` markers, then whatever the adapter reports for the lost stream ({@link onStreamLost}). */
  protected override onDisconnect(connection: Connection, reason: string): Iterable<MarketEvent> | void {
    const out = this.#markers(connection.slot, 'disconnected', reason)
    const more = this.onStreamLost(connection.slot, reason)
    if (more !== undefined) for (const event of more) out.push(event)
    return out
  }

  /**
   * The stream of `slot` was lost: return what follows the `disconnected`
   * markers (a `resync` for every live book of the slot, say). Frames of the
   * next connection go through the usual checks, so trades need nothing here.
   */
  protected onStreamLost(_slot: number, _reason: string): Iterable<MarketEvent> | void {}

  #markers(slot: number, status: StatusKind, reason: string | undefined): MarketEvent[] {
    if (this.#slots.length === 1) return [statusEvent(this.exchange, status, { reason })]
    return this.symbolsOf(slot).map((symbol) => statusEvent(this.exchange, status, { symbol, reason }))
  }
}

const toRecords = (event: MarketEvent): MarketEvent[] => [event]
