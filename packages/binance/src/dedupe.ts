/**
 * De-duplication of trades and bars across sockets (rotation overlap): a
 * trade id or kline update already delivered is never delivered again.
 * Depth updates de-duplicate by update id inside the book sync.
 */
import type { BarEvent, TradeEvent } from '@dccd/core'

/** Result of {@link StreamDedupe.trade}. */
export type TradeCheck =
  | { readonly kind: 'new' }
  | { readonly kind: 'duplicate' }
  /** Trades `fromId`..`toId` never arrived (only checked where asked, see `expectContiguous`). */
  | { readonly kind: 'gap'; readonly fromId: number; readonly toId: number }

const NEW: TradeCheck = { kind: 'new' }
const DUPLICATE: TradeCheck = { kind: 'duplicate' }

/** Last trade id per symbol, last kline update per (symbol, interval). */
export class StreamDedupe {
  readonly #lastTrade = new Map<string, number>()
  readonly #lastBar = new Map<string, { openTime: number; timestamp: number }>()
  readonly #checkNext = new Set<string>()

  /**
   * The next trade of each of `symbols` should follow the last one delivered
   * (after a reconnect or a rotation handover): a jump is reported as a gap.
   * Binance trade ids grow by 1 per symbol; within one socket they are not
   * checked, since the documents do not promise it.
   */
  expectContiguous(symbols: Iterable<string>): void {
    for (const symbol of symbols) if (this.#lastTrade.has(symbol)) this.#checkNext.add(symbol)
  }

  trade(event: TradeEvent): TradeCheck {
    const id = Number(event.id)
    const last = this.#lastTrade.get(event.symbol)
    if (last !== undefined && id <= last) return DUPLICATE
    this.#lastTrade.set(event.symbol, id)
    if (last !== undefined && this.#checkNext.size > 0 && this.#checkNext.delete(event.symbol) && id > last + 1) {
      return { kind: 'gap', fromId: last + 1, toId: id - 1 }
    }
    return NEW
  }

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
