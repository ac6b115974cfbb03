/**
 * Resume points: where a consumer's durable data ends, per symbol. A feed
 * started with them continues from there (missing trades and closed bars
 * are fetched from the exchange's history), and a running feed reports the
 * same shape as its positions, so what a consumer saves it can pass back.
 * The consumer owns the checkpoint: only it knows what it stored durably.
 */
import { InvalidArgumentError } from './errors.js'
import type { ParsedChannel } from './channels.js'
import { EARLIEST_EXCHANGE_TIME } from './time.js'

/** The last trade of a symbol the consumer holds. */
export interface TradeResumePoint {
  /** Its exchange trade id. */
  readonly lastId: string
  /** Its exchange time, µs (venues that page history by time start there). */
  readonly lastTimestamp: number
}

/** The last closed bar of a symbol and interval the consumer holds. */
export interface BarResumePoint {
  /** Its open time, µs. */
  readonly lastOpenTime: number
}

/** Where one symbol's data ends. */
export interface SymbolResumePoint {
  readonly trades?: TradeResumePoint
  /** Per bar interval (`1m`). */
  readonly bars?: Readonly<Record<string, BarResumePoint>>
}

/**
 * Per symbol, where the consumer's data ends: `FeedOptions.resume`, and what
 * `feed.positions()` returns.
 *
 * @example { BTCUSDT: { trades: { lastId: '3407512981', lastTimestamp: 1701388800123000 }, bars: { '1m': { lastOpenTime: 1701388740000000 } } } }
 */
export type ResumePoints = Readonly<Record<string, SymbolResumePoint>>

const DIGITS = /^\d{1,15}$/

/**
 * Checks `FeedOptions.resume` against the feed's symbols and channels: every
 * symbol subscribed, `trades` only with the trades channel, bars only for a
 * subscribed interval, ids of digits, times plausible µs. Returns it frozen
 * (a copy), or an empty object for `undefined`.
 *
 * @throws InvalidArgumentError naming the bad entry and what is valid there
 */
export function resumeOption(value: unknown, symbols: readonly string[], channels: readonly ParsedChannel[]): ResumePoints {
  if (value === undefined) return {}
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidArgumentError('option resume', value, ['an object: { [symbol]: { trades?, bars? } }'])
  }
  const hasTrades = channels.some((channel) => channel.kind === 'trades')
  const intervals = channels.flatMap((channel) => (channel.interval === undefined ? [] : [channel.interval]))
  const out: Record<string, SymbolResumePoint> = {}
  for (const [symbol, point] of Object.entries(value as Record<string, unknown>)) {
    if (!symbols.includes(symbol)) throw new InvalidArgumentError('option resume symbol', symbol, symbols)
    if (typeof point !== 'object' || point === null) {
      throw new InvalidArgumentError(`option resume.${symbol}`, point, ['an object: { trades?, bars? }'])
    }
    const { trades, bars, ...rest } = point as { trades?: unknown; bars?: unknown }
    const extra = Object.keys(rest)
    if (extra.length > 0) throw new InvalidArgumentError(`option resume.${symbol} key`, extra[0], ['trades', 'bars'])
    const entry: { trades?: TradeResumePoint; bars?: Record<string, BarResumePoint> } = {}
    if (trades !== undefined) {
      if (!hasTrades) throw new InvalidArgumentError(`option resume.${symbol}.trades`, trades, ['absent: the feed has no trades channel'])
      entry.trades = tradePoint(symbol, trades)
    }
    if (bars !== undefined) {
      if (typeof bars !== 'object' || bars === null) {
        throw new InvalidArgumentError(`option resume.${symbol}.bars`, bars, ['an object: { [interval]: { lastOpenTime } }'])
      }
      entry.bars = {}
      for (const [interval, bar] of Object.entries(bars as Record<string, unknown>)) {
        if (!intervals.includes(interval)) {
          throw new InvalidArgumentError(`option resume.${symbol}.bars interval`, interval, intervals.length > 0 ? intervals : ['none: the feed has no bars channel'])
        }
        entry.bars[interval] = barPoint(symbol, interval, bar)
      }
      Object.freeze(entry.bars)
    }
    out[symbol] = Object.freeze(entry)
  }
  return Object.freeze(out)
}

function tradePoint(symbol: string, value: unknown): TradeResumePoint {
  const { lastId, lastTimestamp } = (value ?? {}) as Partial<Record<keyof TradeResumePoint, unknown>>
  if (typeof lastId !== 'string' || !DIGITS.test(lastId)) {
    throw new InvalidArgumentError(`option resume.${symbol}.trades.lastId`, lastId, ['a trade id as a string of digits'])
  }
  if (!isTime(lastTimestamp)) {
    throw new InvalidArgumentError(`option resume.${symbol}.trades.lastTimestamp`, lastTimestamp, ['the trade time, integer µs since 1970'])
  }
  return Object.freeze({ lastId, lastTimestamp })
}

function barPoint(symbol: string, interval: string, value: unknown): BarResumePoint {
  const { lastOpenTime } = (value ?? {}) as { lastOpenTime?: unknown }
  if (!isTime(lastOpenTime)) {
    throw new InvalidArgumentError(`option resume.${symbol}.bars.${interval}.lastOpenTime`, lastOpenTime, ['the bar open time, integer µs since 1970'])
  }
  return Object.freeze({ lastOpenTime })
}

/** An integer µs time no earlier than the first exchange (catches ms and s passed by mistake). */
function isTime(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= EARLIEST_EXCHANGE_TIME
}
