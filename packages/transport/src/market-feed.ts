/**
 * The base every exchange adapter's feed extends: `WebSocketBase` for
 * `MarketEvent`s plus what every market-data feed does the same way —
 * `connected`/`disconnected` markers per slot, trade continuity (core's
 * `TradeContinuity`, driven by the adapter's history source), bar updates
 * de-duplicated across sockets, and stopping all of it with the feed. An adapter adds only its exchange: URLs, subscriptions, the
 * frame parser and its book rule.
 */
import { BarContinuity, statusEvent, TradeContinuity } from '@dccd/core'
import type {
  BarEvent,
  BarHistorySource,
  BarResumePoint,
  Feed,
  MarketEvent,
  ResumePoints,
  StatusEvent,
  StatusKind,
  TradeEvent,
  TradeIdRule,
  TradeHistorySource,
  TradeResumePoint,
} from '@dccd/core'
import type { Connection } from './connection.js'
import type { WebSocketOptions } from './options.js'
import { WebSocketBase } from './websocket-base.js'

/** One connection of a feed: its URL and the symbols whose streams it carries. */
export interface MarketFeedSlot {
  readonly url: string
  readonly symbols: readonly string[]
  /**
   * The channels (`book`, `trades`, `bars:1m`…) of its symbols this connection carries, for a venue
   * that serves one symbol's channels on several connections (Binance USDⓈ-M routes books to
   * `/public` and trades to `/market`). Its `connected`/`disconnected` markers then name each
   * symbol and channel, so a lost trade socket does not read as a lost book. Absent: the
   * connection carries every channel of its symbols.
   */
  readonly channels?: readonly string[]
}

/** How a feed checks and recovers trades (venues whose trade ids are consecutive per symbol). */
export interface TradeRecoveryOptions {
  /** The venue's trade history; undefined: a hole is only reported as a gap (`recoverTrades: false`). */
  readonly history: TradeHistorySource | undefined
  /** Most ids recovered per hole and live trades held meanwhile; 0 only reports gaps. */
  readonly maxRecoveredTrades: number
  /** How the venue numbers trades (core's `TradeIdRule`). Default `consecutive`. */
  readonly ids?: TradeIdRule
  /** The first id a trade stands for, when the venue aggregates fills (core's `TradeContinuityOptions.firstId`). */
  readonly firstId?: (trade: TradeEvent) => number
}

/** How a feed checks and recovers closed bars. */
export interface BarRecoveryOptions {
  /** The venue's kline history; undefined: a missed close is only reported as a gap. */
  readonly history: BarHistorySource | undefined
  /** Most bars recovered per hole and live updates held meanwhile. Default 10 000. */
  readonly maxRecoveredBars?: number
  /** The reason of a gap for a missed close when there is no history. Default: no kline history. */
  readonly unrecoveredReason?: string
}

/** Default of {@link BarRecoveryOptions.maxRecoveredBars}: a week of 1-minute bars. */
const DEFAULT_MAX_RECOVERED_BARS = 10_000

/** Default of `maxResumeAgeMs`: 24 h. */
const DEFAULT_MAX_RESUME_AGE_MS = 86_400_000

/** What {@link MarketFeed} needs from its adapter. */
export interface MarketFeedSettings {
  /** The adapter's id (`binance`). */
  readonly exchange: string
  /** One slot per connection, in order. */
  readonly slots: readonly MarketFeedSlot[]
  /** Trade continuity; omit for a venue whose trade ids are not consecutive. */
  readonly trades?: TradeRecoveryOptions
  /** Closed-bar continuity; omit to pass bar updates through de-duplicated only. */
  readonly bars?: BarRecoveryOptions
  /** The consumer's resume points, checked by core's `resumeOption`. */
  readonly resume?: ResumePoints
  /** Resume points older than this are reported as gaps, ms. Default 24 h. */
  readonly maxResumeAgeMs?: number
}

/** What the consumer has of one symbol: its last trade and closed bars (or gaps naming them). */
interface Position {
  /** Last trade id, or undefined before any (kept as fields: updated for every trade handed over). */
  tradeId: string | undefined
  tradeTime: number
  bars: Map<string, BarResumePoint> | undefined
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
  readonly #barContinuity: BarContinuity | undefined
  /** Last bar update emitted per (symbol, interval). */
  readonly #bars = new Map<string, BarEvent>()
  /** Per symbol, what `stream()` handed to the consumer (seeded from the resume points). */
  readonly #positions = new Map<string, Position>()

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
    const maxResumeAgeMicros = (settings.maxResumeAgeMs ?? DEFAULT_MAX_RESUME_AGE_MS) * 1000
    // Recovered and released items are produced off any frame: they join the stream through deliver().
    const emit = (event: MarketEvent): void => this.deliver(event, toRecords)
    this.#trades =
      trades === undefined
        ? undefined
        : new TradeContinuity({
            exchange: settings.exchange,
            history: trades.history,
            maxRecoveredTrades: trades.maxRecoveredTrades,
            ...(trades.ids === undefined ? {} : { ids: trades.ids }),
            ...(trades.firstId === undefined ? {} : { firstId: trades.firstId }),
            maxResumeAgeMicros,
            unrecoveredReason:
              trades.history === undefined
                ? 'trades missed; not recovered (recoverTrades is off)'
                : 'trades missed; not recovered (maxRecoveredTrades is 0)',
            emit,
            logger: this.logger,
          })
    const bars = settings.bars
    this.#barContinuity =
      bars === undefined
        ? undefined
        : new BarContinuity({
            exchange: settings.exchange,
            ...(bars.history === undefined ? {} : { history: bars.history }),
            maxRecoveredBars: bars.maxRecoveredBars ?? DEFAULT_MAX_RECOVERED_BARS,
            maxResumeAgeMicros,
            unrecoveredReason: bars.unrecoveredReason ?? 'bars missed; not recovered (no kline history)',
            emit,
            logger: this.logger,
          })
    for (const [symbol, point] of Object.entries(settings.resume ?? {})) {
      const position = this.#position(symbol)
      if (point.trades !== undefined) {
        this.#trades?.resume(symbol, point.trades)
        position.tradeId = point.trades.lastId
        position.tradeTime = point.trades.lastTimestamp
      }
      for (const [interval, bar] of Object.entries(point.bars ?? {})) {
        this.#barContinuity?.resume(symbol, interval, bar)
        ;(position.bars ??= new Map()).set(interval, bar)
      }
    }
    this.signal.addEventListener(
      'abort',
      () => {
        this.#trades?.stop()
        this.#barContinuity?.stop()
      },
      { once: true },
    )
  }

  /**
   * Per symbol, the last trade and last closed bar per interval that
   * `stream()` handed to the consumer (a `gap` marker counts for what it
   * names), starting from the resume points. Save it with the data; pass it
   * back as `resume`.
   */
  positions(): ResumePoints {
    const out: Record<string, { trades?: TradeResumePoint; bars?: Record<string, BarResumePoint> }> = {}
    for (const [symbol, position] of this.#positions) {
      const entry: { trades?: TradeResumePoint; bars?: Record<string, BarResumePoint> } = {}
      if (position.tradeId !== undefined) entry.trades = { lastId: position.tradeId, lastTimestamp: position.tradeTime }
      if (position.bars !== undefined) entry.bars = Object.fromEntries(position.bars)
      out[symbol] = entry
    }
    return out
  }

  /** Keeps the positions: what the consumer now has. */
  protected override onRecordTaken(record: MarketEvent): void {
    if (record.type === 'trade') {
      const position = this.#position(record.symbol)
      position.tradeId = record.id
      position.tradeTime = record.timestamp
    } else if (record.type === 'bar') {
      if (record.closed) (this.#position(record.symbol).bars ??= new Map()).set(record.interval, { lastOpenTime: record.openTime })
    } else if (record.type === 'status' && record.status === 'gap') {
      this.#coverGap(record)
    }
  }

  #coverGap(gap: StatusEvent): void {
    const { symbol, channel, toId } = gap
    if (symbol === undefined || channel === undefined || toId === undefined) return
    const position = this.#position(symbol)
    if (channel === 'trades') {
      // The time stays the last trade's before the hole: venues paging by time start from there.
      if (position.tradeId === undefined) position.tradeTime = gap.localTimestamp
      position.tradeId = toId
    } else if (channel.startsWith('bars:')) {
      ;(position.bars ??= new Map()).set(channel.slice('bars:'.length), { lastOpenTime: Number(toId) })
    }
  }

  #position(symbol: string): Position {
    let position = this.#positions.get(symbol)
    if (position === undefined) {
      position = { tradeId: undefined, tradeTime: 0, bars: undefined }
      this.#positions.set(symbol, position)
    }
    return position
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
   * One bar update: dropped when it is not newer than the last one of its
   * symbol and interval — an older bar, the same bar with an earlier event
   * time, or the same bar repeated at the same time with the same values (a
   * rotation overlap, a snapshot repeated on resubscribe) — then, with bar
   * continuity, checked for missed closes (recovered or reported as gaps);
   * appends what may go out now to `out`. Two different updates of one bar at
   * the same time both go out, in stream order: a venue that sends no event
   * time with a bar (OKX) stamps it with the receive time, which the frames of
   * one socket read share, and a venue's ms event time can repeat too.
   */
  protected acceptBar(bar: BarEvent, out: MarketEvent[]): void {
    const key = `${bar.symbol}\u0000${bar.interval}`
    const last = this.#bars.get(key)
    if (last !== undefined && bar.openTime <= last.openTime) {
      if (bar.openTime < last.openTime || bar.timestamp < last.timestamp) return
      if (bar.timestamp === last.timestamp && sameBarValues(bar, last)) return
    }
    this.#bars.set(key, bar)
    if (this.#barContinuity === undefined) out.push(bar)
    else this.#barContinuity.accept(bar, out)
  }

  /**
   * Trades of `symbol` may have been lost outside a connection loss (a
   * trade frame that could not be read, a resubscription): where ids only
   * increase, the next trade is checked for a hole. Connection losses are
   * reported for every symbol of the slot without this.
   */
  protected tradesInterrupted(symbol: string): void {
    this.#trades?.interrupted(symbol)
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
    const channels = this.#slots[connection.slot]?.channels
    if (this.#trades !== undefined && (channels === undefined || channels.includes('trades'))) {
      for (const symbol of this.symbolsOf(connection.slot)) this.#trades.interrupted(symbol)
    }
    const more = this.onStreamLost(connection.slot, reason)
    if (more !== undefined) for (const event of more) out.push(event)
    return out
  }

  /**
   * The stream of `slot` was lost: return what follows the `disconnected`
   * markers (a `resync` for every live book of the slot, say). Frames of the
   * next connection go through the usual checks, and trade continuity has
   * been told of the break already, so trades need nothing here.
   */
  protected onStreamLost(_slot: number, _reason: string): Iterable<MarketEvent> | void {}

  #markers(slot: number, status: StatusKind, reason: string | undefined): MarketEvent[] {
    const channels = this.#slots[slot]?.channels
    if (channels !== undefined) {
      return this.symbolsOf(slot).flatMap((symbol) => channels.map((channel) => statusEvent(this.exchange, status, { symbol, channel, reason })))
    }
    if (this.#slots.length === 1) return [statusEvent(this.exchange, status, { reason })]
    return this.symbolsOf(slot).map((symbol) => statusEvent(this.exchange, status, { symbol, reason }))
  }
}

const toRecords = (event: MarketEvent): MarketEvent[] => [event]

/** The same state of a bar: its prices, volume and whether it closed. */
function sameBarValues(a: BarEvent, b: BarEvent): boolean {
  return a.open === b.open && a.high === b.high && a.low === b.low && a.close === b.close && a.volume === b.volume && a.closed === b.closed
}
