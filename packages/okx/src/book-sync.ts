/**
 * One instrument's OKX book continuity rule
 * (https://www.okx.com/docs-v5/en/#order-book-trading-market-data-ws-order-book-channel,
 * protocols §4):
 * - a `snapshot` starts the book (its `prevSeqId` is -1);
 * - each `update`'s `prevSeqId` must be the last `seqId`. An update whose
 *   `prevSeqId` equals its `seqId` carries no change (OKX's keep-alive for a
 *   quiet book) and is not emitted; one whose `seqId` is the last one is
 *   that update again and is dropped. A `seqId` below the last one is OKX
 *   resetting its sequence after maintenance: a break like any other;
 * - the `checksum` (deprecated, 0 today) is verified whenever it is not 0:
 *   the book then keeps its wire strings (./checksum.ts). Captures from before
 *   OKX added `seqId` (2022) carry checksums only, which are then the check.
 *
 * On any break: `status: 'resync'` for this instrument, every update ignored
 * until the next snapshot, and the feed resubscribes this instrument's book
 * (OKX answers with a fresh snapshot) while the others stream on. `books5`
 * pushes are whole books: each one is a snapshot, with nothing to chain.
 *
 *   waiting ──snapshot──▶ live ──break──▶ waiting (resync, resubscribe)
 */
import { statusEvent } from '@dccd/core'
import type { MarketEvent } from '@dccd/core'
import { EXCHANGE_ID } from './capabilities.js'
import { ChecksumBook } from './checksum.js'
import type { OkxBookMessage } from './parse.js'

/** What a message did to the book: `resync` asks the feed for a fresh snapshot. */
export type BookVerdict = 'ok' | 'resync'

/**
 * @example
 * const sync = new BookSync('BTC-USDT')
 * if (sync.onMessage(message, out) === 'resync') resubscribe('BTC-USDT')
 */
export class BookSync {
  #live = false
  #lastSeqId: number | undefined
  /** Present while the book's checksums are verified (they were not 0 on its snapshot). */
  #checksums: ChecksumBook | undefined
  /** A non-zero checksum arrived on a book kept without strings once: a second time is only logged. */
  #askedForChecksums = false
  /** Updates that arrived with a non-zero checksum on a book that cannot verify it. */
  unverifiable = 0

  constructor(readonly symbol: string) {}

  /** True while the book is live: its snapshot applied and every update since proven contiguous. */
  get live(): boolean {
    return this.#live
  }

  /** True while checksums are verified. */
  get verifiesChecksums(): boolean {
    return this.#checksums !== undefined
  }

  /** One book message, in stream order. Appends what may go out to `out`. */
  onMessage(message: OkxBookMessage, out: MarketEvent[]): BookVerdict {
    if (message.channel === 'books5') {
      out.push(message.event)
      return 'ok'
    }
    if (message.isSnapshot) return this.#onSnapshot(message, out)
    // Never a delta before the snapshot it applies to.
    if (!this.#live) return 'ok'
    const { seqId, prevSeqId } = message
    const last = this.#lastSeqId
    if (seqId !== undefined && last !== undefined) {
      // The same update again (a replay sending it on two sockets): seqIds are unique, so it changes nothing.
      if (seqId === last && prevSeqId !== seqId) return 'ok'
      if (seqId < last) return this.#break(`seqId went backwards (${last} → ${seqId}): OKX reset its sequence`, message, out)
      if (prevSeqId !== last) return this.#break(`gap: expected prevSeqId ${last}, got ${String(prevSeqId)}`, message, out)
    } else if (seqId !== undefined || last !== undefined) {
      return this.#break(`seqId ${seqId === undefined ? 'missing on an update' : 'appeared on an update'} of a book that had ${last === undefined ? 'none' : 'them'}`, message, out)
    }
    this.#lastSeqId = seqId
    const { bids, asks } = message.event
    if (bids.length === 0 && asks.length === 0) return 'ok'
    if (message.checksum !== 0 || this.#checksums !== undefined) {
      const verdict = this.#verify(message, out)
      if (verdict !== 'ok') return verdict
    }
    out.push(message.event)
    return 'ok'
  }

  /** The stream feeding this book was lost: a live book gets a `resync`; updates wait for the next snapshot. */
  invalidate(reason: string, localTimestamp: number, out: MarketEvent[]): void {
    if (this.#live) out.push(statusEvent(EXCHANGE_ID, 'resync', { symbol: this.symbol, channel: 'book', reason }, localTimestamp))
    this.#live = false
  }

  #onSnapshot(message: OkxBookMessage, out: MarketEvent[]): BookVerdict {
    this.#live = true
    this.#lastSeqId = message.seqId
    // Checksums are verified when the snapshot has one, or when it is the only check there is (no seqId).
    this.#checksums = message.checksum !== 0 || message.seqId === undefined ? (this.#checksums ?? new ChecksumBook()) : undefined
    if (this.#checksums !== undefined) {
      this.#checksums.clear()
      const verdict = this.#verify(message, out)
      if (verdict !== 'ok') return verdict
    }
    out.push(message.event)
    return 'ok'
  }

  /** Applies the message to the checksum book and compares; a book kept without strings asks for a snapshot once. */
  #verify(message: OkxBookMessage, out: MarketEvent[]): BookVerdict {
    const book = this.#checksums
    if (book === undefined) {
      this.unverifiable++
      if (this.#askedForChecksums) return 'ok'
      this.#askedForChecksums = true
      return this.#break('a checksum arrived on a book kept without one: taking a fresh snapshot to verify it', message, out)
    }
    const wire = message.data
    // A scanned message keeps no wire strings: the feed never hands one to a book that verifies checksums.
    if (wire === undefined) throw new Error(`${message.symbol}: a book message without its wire levels cannot be checksummed`)
    book.apply('bids', wire.bids, message.event.bids)
    book.apply('asks', wire.asks, message.event.asks)
    if (message.checksum === 0) return 'ok'
    const computed = book.checksum()
    if (computed === message.checksum) return 'ok'
    return this.#break(`checksum mismatch: OKX sent ${message.checksum}, local book gives ${computed}`, message, out)
  }

  #break(reason: string, message: OkxBookMessage, out: MarketEvent[]): BookVerdict {
    this.#live = false
    this.#lastSeqId = undefined
    out.push(statusEvent(EXCHANGE_ID, 'resync', { symbol: this.symbol, channel: 'book', reason }, message.event.localTimestamp))
    return 'resync'
  }
}
