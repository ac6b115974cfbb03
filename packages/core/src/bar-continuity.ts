/**
 * Bar continuity: consecutive closed bars of a symbol and interval open
 * exactly one interval apart. (The class comes with the shared continuity
 * engine; these are the types adapters implement.)
 */
import type { BarEvent } from './events.js'

/** Closed bars `fromOpenTime`..`toOpenTime` (open times, µs, inclusive) of one symbol and interval that must be fetched. */
export interface BarHole {
  readonly symbol: string
  readonly interval: string
  readonly fromOpenTime: number
  readonly toOpenTime: number
}

/** Where missed closed bars come from: an exchange's kline/OHLC history (REST). */
export interface BarHistorySource {
  /** Names the endpoint in gap reasons, e.g. `GET /api/v3/klines`. */
  readonly name: string
  /**
   * Pages of closed bars ascending by open time, from `hole.fromOpenTime` on.
   * A page may run past `toOpenTime`: a bar after the hole proves that
   * intervals the exchange returned nothing for had no bar (no trades), so
   * they are not gaps. Ends when the hole is covered or the venue has nothing
   * more; rejects on failure. Never yields a bar that is still open.
   */
  fetch(hole: BarHole, signal: AbortSignal): AsyncIterable<readonly BarEvent[]>
}
