/**
 * The sink's checkpoints: per exchange and symbol the last trade JetStream
 * acknowledged, per interval the last closed bar, moved only by events the
 * sink hands over in acknowledgement order (see sink.ts: an ack for a later
 * event never moves a checkpoint past an earlier unacknowledged one). Saved
 * to a core `CheckpointStore` under `nats/<stream>/…`, so they do not mix
 * with the file recorder's in the same folder, and read back as core
 * resume points for the feed's `resume` option.
 */
import { EARLIEST_EXCHANGE_TIME } from '@dccd/core'
import type { CheckpointStore, CheckpointValue, MarketEvent, ResumePoints, SymbolResumePoint } from '@dccd/core'

/**
 * One symbol the sink records: what {@link JetStreamSink.resumePoints} takes (the recorder's `RecordedSymbol`).
 *
 * @example { exchange: 'binance', symbol: 'BTCUSDT', trades: true, barIntervals: ['1m'] }
 */
export interface SinkStream {
  readonly exchange: string
  readonly symbol: string
  readonly trades: boolean
  readonly barIntervals: readonly string[]
}

interface TradePoint {
  lastId: string
  timestamp: number
}

interface BarPoint {
  lastOpenTime: number
}

const DIGITS = /^\d{1,15}$/

/** See the module comment. */
export class AckedCheckpoints {
  readonly #values = new Map<string, TradePoint | BarPoint>()
  readonly #dirty = new Set<string>()
  #saving: Promise<void> | undefined

  constructor(
    private readonly store: CheckpointStore,
    private readonly stream: string,
  ) {}

  /** Loads the checkpoints of `streams` not known yet. */
  async load(streams: readonly SinkStream[]): Promise<void> {
    for (const { exchange, symbol, trades, barIntervals } of streams) {
      const keys = [...(trades ? [this.#tradeKey(exchange, symbol)] : []), ...barIntervals.map((interval) => this.#barKey(exchange, interval, symbol))]
      for (const key of keys) {
        if (this.#values.has(key)) continue
        const value = (await this.store.load(key)) as unknown as TradePoint | BarPoint | undefined
        if (value !== undefined && value !== null) this.#values.set(key, value)
      }
    }
  }

  /** True for a trade or closed bar at or before its acknowledged checkpoint: JetStream has it already. */
  covers(event: MarketEvent): boolean {
    if (event.type === 'trade') {
      const point = this.#values.get(this.#tradeKey(event.exchange, event.symbol)) as TradePoint | undefined
      return point !== undefined && compareIds(event.id, point.lastId) <= 0
    }
    if (event.type === 'bar' && event.closed) {
      const point = this.#values.get(this.#barKey(event.exchange, event.interval, event.symbol)) as BarPoint | undefined
      return point !== undefined && event.openTime <= point.lastOpenTime
    }
    return false
  }

  /** `event` was acknowledged, and so was everything before it. */
  acknowledged(event: MarketEvent): void {
    if (event.type === 'trade') {
      this.#moveTrade(this.#tradeKey(event.exchange, event.symbol), event.id, event.timestamp)
    } else if (event.type === 'bar' && event.closed) {
      const key = this.#barKey(event.exchange, event.interval, event.symbol)
      const point = this.#values.get(key) as BarPoint | undefined
      if (point !== undefined && point.lastOpenTime >= event.openTime) return
      this.#values.set(key, { lastOpenTime: event.openTime })
      this.#dirty.add(key)
    } else if (event.type === 'status' && event.status === 'gap' && event.channel === 'trades' && event.symbol !== undefined && DIGITS.test(event.toId ?? '')) {
      // A trade gap accounts for the ids it names; the time stays the last trade's (venues that page by time start there).
      const key = this.#tradeKey(event.exchange, event.symbol)
      this.#moveTrade(key, event.toId!, (this.#values.get(key) as TradePoint | undefined)?.timestamp ?? event.localTimestamp)
    }
  }

  /** Saves what moved since the last save (one save at a time; a call during one waits for it). */
  async save(): Promise<void> {
    while (this.#saving !== undefined) await this.#saving
    const keys = [...this.#dirty]
    this.#dirty.clear()
    if (keys.length === 0) return
    this.#saving = (async () => {
      try {
        for (const key of keys) await this.store.save(key, this.#values.get(key) as unknown as CheckpointValue)
      } catch (error) {
        for (const key of keys) this.#dirty.add(key)
        throw error
      } finally {
        this.#saving = undefined
      }
    })()
    await this.#saving
  }

  /** Per exchange, where the acknowledged data of `streams` ends (loads what is not known yet). */
  async resumePoints(streams: readonly SinkStream[]): Promise<Record<string, ResumePoints>> {
    await this.load(streams)
    const out: Record<string, Record<string, SymbolResumePoint>> = {}
    for (const { exchange, symbol, trades, barIntervals } of streams) {
      const entry: { trades?: SymbolResumePoint['trades']; bars?: Record<string, { lastOpenTime: number }> } = {}
      const trade = trades ? (this.#values.get(this.#tradeKey(exchange, symbol)) as TradePoint | undefined) : undefined
      // Core's resumeOption takes digit ids and plausible µs times only; anything else starts live.
      if (trade !== undefined && DIGITS.test(trade.lastId) && isTime(trade.timestamp)) entry.trades = { lastId: trade.lastId, lastTimestamp: trade.timestamp }
      for (const interval of barIntervals) {
        const bar = this.#values.get(this.#barKey(exchange, interval, symbol)) as BarPoint | undefined
        if (bar !== undefined && isTime(bar.lastOpenTime)) entry.bars = { ...entry.bars, [interval]: { lastOpenTime: bar.lastOpenTime } }
      }
      if (entry.trades !== undefined || entry.bars !== undefined) (out[exchange] ??= {})[symbol] = entry
    }
    return out
  }

  #moveTrade(key: string, id: string, timestamp: number): void {
    const point = this.#values.get(key) as TradePoint | undefined
    if (point !== undefined && compareIds(id, point.lastId) <= 0) return
    this.#values.set(key, { lastId: id, timestamp })
    this.#dirty.add(key)
  }

  #tradeKey(exchange: string, symbol: string): string {
    return `nats/${this.stream}/${exchange}/trades/${symbol}`
  }

  #barKey(exchange: string, interval: string, symbol: string): string {
    return `nats/${this.stream}/${exchange}/bars-${interval}/${symbol}`
  }
}

/** Digit ids compare as numbers; other ids cannot be ordered, so a different one counts as later. */
function compareIds(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) return a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0
  return a === b ? 0 : 1
}

function isTime(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= EARLIEST_EXCHANGE_TIME
}
