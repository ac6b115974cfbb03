/**
 * `ohlc` messages → bar events. Kraken has no "closed" flag: it sends the
 * current candle's absolute values on every trade (protocols §2.7). Messages
 * are ordered, so a candle is final once one with a later `interval_begin`
 * arrives for the same symbol and interval; the closed bar is then re-emitted
 * with `closed: true` (its last values) before the new one.
 */
import type { BarEvent } from '@dccd/core'
import { EXCHANGE_ID, minutesToInterval } from './capabilities.js'
import { exchangeTime } from './parse.js'
import type { KrakenCandle, KrakenOhlcMessage } from './wire.js'


/** Turns `ohlc` messages into bar events, remembering each (symbol, interval)'s open bar. */
export class BarTracker {
  readonly #last = new Map<string, BarEvent>()

  /**
   * Forgets every open candle (the stream was lost): a candle may have traded
   * after its last update seen, so it is not closed from those values when a
   * later one arrives; bar continuity recovers its close instead.
   */
  reset(): void {
    this.#last.clear()
  }

  /**
   * @param receivedAt local receive time, µs
   * @returns bar events in message order, each preceded by the close of the bar it follows
   */
  apply(message: KrakenOhlcMessage, receivedAt: number): BarEvent[] {
    // Every time is read (and checked) before any state changes: a bad one rejects the message whole.
    const timestamp = message.timestamp === undefined ? receivedAt : exchangeTime(message.timestamp, receivedAt)
    const candles = message.data
    const openTimes = candles.map((candle) => exchangeTime(candle.interval_begin, receivedAt))
    // A snapshot holds many candles per key: all but each key's latest are closed already.
    const latest = candles.length > 1 ? latestBegins(candles, openTimes) : undefined
    const events: BarEvent[] = []
    for (let i = 0; i < candles.length; i++) {
      const candle = candles[i]!
      const key = `${candle.symbol}|${candle.interval}`
      const openTime = openTimes[i]!
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

function latestBegins(candles: readonly KrakenCandle[], openTimes: readonly number[]): Map<string, number> {
  const latest = new Map<string, number>()
  for (let i = 0; i < candles.length; i++) {
    const candle = candles[i]!
    const key = `${candle.symbol}|${candle.interval}`
    const begin = openTimes[i]!
    if (!(latest.get(key)! >= begin)) latest.set(key, begin)
  }
  return latest
}

function toBar(candle: KrakenCandle, openTime: number, closed: boolean, timestamp: number, receivedAt: number): BarEvent {
  return {
    type: 'bar',
    exchange: EXCHANGE_ID,
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
