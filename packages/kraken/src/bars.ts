/**
 * `ohlc` messages → bar events. Kraken has no "closed" flag: it sends the
 * current candle's absolute values on every trade (protocols §2.7). Messages
 * are ordered, so a candle is final once one with a later `interval_begin`
 * arrives for the same symbol and interval; the closed bar is then re-emitted
 * with `closed: true` (its last values) before the new one.
 */
import { isoToMicros } from '@dccd/core'
import type { BarEvent } from '@dccd/core'
import { minutesToInterval } from './intervals.js'
import type { KrakenCandle, KrakenOhlcMessage } from './wire.js'

const EXCHANGE = 'kraken'

/** Turns `ohlc` messages into bar events, remembering each (symbol, interval)'s open bar. */
export class BarTracker {
  readonly #last = new Map<string, BarEvent>()

  /**
   * @param receivedAt local receive time, µs
   * @returns bar events in message order, each preceded by the close of the bar it follows
   */
  apply(message: KrakenOhlcMessage, receivedAt: number): BarEvent[] {
    const timestamp = message.timestamp === undefined ? receivedAt : isoToMicros(message.timestamp)
    const candles = message.data
    // A snapshot holds many candles per key: all but each key's latest are closed already.
    const latest = candles.length > 1 ? latestBegins(candles) : undefined
    const events: BarEvent[] = []
    for (const candle of candles) {
      const key = `${candle.symbol}|${candle.interval}`
      const openTime = isoToMicros(candle.interval_begin)
      const previous = this.#last.get(key)
      if (previous !== undefined && openTime > previous.openTime && !previous.closed) {
        events.push({ ...previous, closed: true, timestamp, localTimestamp: receivedAt })
      }
      const isOld = previous !== undefined && openTime < previous.openTime
      const closed = isOld || (latest !== undefined && openTime < latest.get(key)!)
      const bar = toBar(candle, openTime, closed, timestamp, receivedAt)
      events.push(bar)
      if (!isOld) this.#last.set(key, bar)
    }
    return events
  }
}

function latestBegins(candles: readonly KrakenCandle[]): Map<string, number> {
  const latest = new Map<string, number>()
  for (const candle of candles) {
    const key = `${candle.symbol}|${candle.interval}`
    const begin = isoToMicros(candle.interval_begin)
    if (!(latest.get(key)! >= begin)) latest.set(key, begin)
  }
  return latest
}

function toBar(candle: KrakenCandle, openTime: number, closed: boolean, timestamp: number, receivedAt: number): BarEvent {
  return {
    type: 'bar',
    exchange: EXCHANGE,
    symbol: candle.symbol,
    interval: minutesToInterval(candle.interval) ?? `${candle.interval}min`,
    openTime,
    open: candle.open,
    high: candle.high,
    low: candle.low,
    close: candle.close,
    volume: candle.volume,
    closed,
    timestamp,
    localTimestamp: receivedAt,
  }
}
