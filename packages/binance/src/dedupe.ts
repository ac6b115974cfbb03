/**
 * De-duplication of bars across sockets (rotation overlap): a kline update
 * already delivered is never delivered again. Trades are de-duplicated (and
 * checked for holes) by core's `TradeContinuity`; depth updates by update id
 * inside the book sync.
 */
import type { BarEvent } from '@dccd/core'

/** Last kline update per (symbol, interval). */
export class BarDedupe {
  readonly #lastBar = new Map<string, { openTime: number; timestamp: number }>()

  /** True when the bar update is new (later open time, or the same bar with a later event time). */
  bar(event: BarEvent): boolean {
    const key = `${event.symbol}\u0000${event.interval}`
    const last = this.#lastBar.get(key)
    if (last !== undefined) {
      if (event.openTime < last.openTime) return false
      if (event.openTime === last.openTime && event.timestamp <= last.timestamp) return false
      last.openTime = event.openTime
      last.timestamp = event.timestamp
      return true
    }
    this.#lastBar.set(key, { openTime: event.openTime, timestamp: event.timestamp })
    return true
  }
}
