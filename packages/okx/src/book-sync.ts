/**
 * One symbol's book continuity rule: a snapshot (its `prevSeqId` is -1), then
 * only updates whose `prevSeqId` is the last applied `seqId`. Anything else is
 * a break: `status: 'resync'` for this symbol, every update ignored until the
 * next snapshot, and the feed asks for one (it resubscribes the symbol's book).
 * TODO(new adapter): the exchange's own rule, with a link to where it is documented.
 *
 *   waiting ──snapshot──▶ live ──prevSeqId ≠ last seqId──▶ waiting (resync)
 */
import { statusEvent } from '@dccd/core'
import type { MarketEvent } from '@dccd/core'
import { EXCHANGE_ID } from './capabilities.js'
import type { OKXBookMessage } from './parse.js'

/**
 * @example
 * const sync = new BookSync('BTCUSDT')
 * const verdict = sync.onMessage(parseFrame(raw, receivedAt) as OKXBookMessage, out) // 'ok' or 'resync'
 */
export class BookSync {
  #live = false
  #lastSeqId = 0

  constructor(readonly symbol: string) {}

  /** True while the book is live: its snapshot applied and every update since proven contiguous. */
  get live(): boolean {
    return this.#live
  }

  /** One book message. Returns `'resync'` when the book broke: the caller asks for a fresh snapshot. */
  onMessage(message: OKXBookMessage, out: MarketEvent[]): 'ok' | 'resync' {
    if (message.event.isSnapshot) {
      this.#live = true
      this.#lastSeqId = message.seqId
      out.push(message.event)
      return 'ok'
    }
    // Never a delta before the snapshot it applies to.
    if (!this.#live) return 'ok'
    if (message.prevSeqId !== this.#lastSeqId) {
      this.#live = false
      const reason = `gap: expected prevSeqId ${this.#lastSeqId}, got ${message.prevSeqId}`
      out.push(statusEvent(EXCHANGE_ID, 'resync', { symbol: this.symbol, channel: 'book', reason }, message.event.localTimestamp))
      return 'resync'
    }
    this.#lastSeqId = message.seqId
    out.push(message.event)
    return 'ok'
  }

  /** The stream feeding this book was lost: a live book gets a `resync`; updates wait for the next snapshot. */
  invalidate(reason: string, localTimestamp: number, out: MarketEvent[]): void {
    if (this.#live) out.push(statusEvent(EXCHANGE_ID, 'resync', { symbol: this.symbol, channel: 'book', reason }, localTimestamp))
    this.#live = false
  }
}
