/**
 * Keeps Kraken v2 books in sync and proves it (protocols §2.8):
 * apply a message's levels in array order, cut each side to the subscribed
 * depth (Kraken sends nothing for levels pushed out), then compare Kraken's
 * CRC32 over the top 10 with ours. The checksum is v2's only loss detector:
 * there are no sequence numbers.
 *
 * Emitted book events carry exactly the levels that changed, the implicit
 * removals from truncation included (as amount 0), so a consumer applying
 * them in order holds the same book. On a mismatch the book is dropped and a
 * `status: 'resync'` event is returned; the caller resubscribes, and every
 * update until the next snapshot is ignored.
 */
import { InvalidArgumentError, OrderBook, statusEvent } from '@dccd/core'
import type { BookEvent, BookLevel, StatusEvent } from '@dccd/core'
import { exchangeTime, plausibleTime } from './parse.js'
import { BOOK_DEPTHS, EXCHANGE_ID } from './capabilities.js'
import { CHECKSUM_DEPTH, SideDigits, checksumOf } from './checksum/side-digits.js'
import type { ScannedBookUpdate } from './book-scan.js'
import type { KrakenBookData, KrakenBookLevel } from './wire.js'

/**
 * One symbol's checksum-verified Kraken book at the subscribed depth. The feed
 * keeps one per symbol, created once the `instrument` channel gave the
 * symbol's precisions.
 *
 * @example
 * const sync = new BookSync('BTC/USD', 10, 1, 8)          // precisions from the instrument channel
 * const event = sync.apply(true, frame.data[0], receivedAt) // BookEvent, resync StatusEvent, or undefined
 */
export class BookSync {
  /** The local book (read-only use). */
  readonly book = new OrderBook()
  /** Checksum digits of each side's top 10, re-formatted only from the first rank an update may have changed. */
  readonly #askDigits = new SideDigits('asks')
  readonly #bidDigits = new SideDigits('bids')
  #pricePrecision: number
  #qtyPrecision: number
  #synced = false
  #mismatches = 0
  #lastExpected = 0
  #lastComputed = 0
  /** Per side, the first rank of its top 10 that may differ from the digits; CHECKSUM_DEPTH: none. */
  #askFrom = 0
  #bidFrom = 0
  /** Our checksum of the current top 10 while neither side changed. */
  #checksum = 0
  /** What an update hands `OrderBook.apply`, reused: one object fewer per frame. */
  readonly #delta: { readonly isSnapshot: false; bids: readonly BookLevel[]; asks: readonly BookLevel[] } = { isSnapshot: false, bids: [], asks: [] }

  /**
   * @param depth the subscribed book depth (10, 25, 100, 500 or 1000)
   * @param pricePrecision the instrument's `price_precision` (decimals in the checksum)
   * @param qtyPrecision the instrument's `qty_precision`
   * @throws InvalidArgumentError for any other depth
   */
  constructor(
    readonly symbol: string,
    readonly depth: number,
    pricePrecision: number,
    qtyPrecision: number,
  ) {
    // Kraken's depths are all >= the 10 checksummed levels, which the dirty-side tracking relies on.
    if (!BOOK_DEPTHS.includes(depth)) throw new InvalidArgumentError('book depth', depth, BOOK_DEPTHS.map(String))
    this.#pricePrecision = pricePrecision
    this.#qtyPrecision = qtyPrecision
  }

  /** True while the book holds a verified snapshot and every update since verified. */
  get synced(): boolean {
    return this.#synced
  }

  /** Mismatches since the last verified update (a persistent streak means wrong precision). */
  get mismatchStreak(): number {
    return this.#mismatches
  }

  /** Kraken's (`expected`) and the local (`computed`) checksum at the latest mismatch. */
  get lastMismatch(): { expected: number; computed: number } | undefined {
    return this.#mismatches === 0 ? undefined : { expected: this.#lastExpected, computed: this.#lastComputed }
  }

  /**
   * New decimals Kraken formats this pair with in its checksum (an instrument
   * update changed `price_precision` or `qty_precision`).
   */
  setPrecision(pricePrecision: number, qtyPrecision: number): void {
    this.#pricePrecision = pricePrecision
    this.#qtyPrecision = qtyPrecision
    this.#markDirty()
  }

  /**
   * Applies this symbol's entry of a `book` message.
   *
   * @param isSnapshot the message `type` was `snapshot`
   * @param receivedAt local receive time, µs
   * @returns the book event to emit; a `resync` status on a checksum mismatch;
   *   `undefined` for an update while no verified snapshot is held
   * @throws TypeError or InvalidArgumentError for a malformed level or time, before the book changes
   */
  apply(isSnapshot: boolean, data: KrakenBookData, receivedAt: number): BookEvent | StatusEvent | undefined {
    if (!isSnapshot && !this.#synced) return undefined
    // Read before the book changes: a time that throws after applying would leave the local book
    // ahead of the consumer's (both checksummed alike, so the drift would never show).
    const timestamp = data.timestamp === undefined ? receivedAt : exchangeTime(data.timestamp, receivedAt)
    const bids = toLevels(data.bids)
    const asks = toLevels(data.asks)
    return isSnapshot
      ? this.#applySnapshot(bids, asks, data.checksum, timestamp, receivedAt)
      : this.#applyDelta(bids, asks, data.checksum, timestamp, receivedAt)
  }

  /**
   * {@link apply} for an update the feed's scan read (./book-scan.ts): its levels are already book
   * levels, and become the event's.
   *
   * @throws as {@link apply}
   */
  applyUpdate(update: ScannedBookUpdate, receivedAt: number): BookEvent | StatusEvent | undefined {
    if (!this.#synced) return undefined
    return this.#applyDelta(update.bids, update.asks, update.checksum, plausibleTime(update.timestamp, receivedAt), receivedAt)
  }

  // Snapshots and updates take separate methods: the update path, run for almost every frame, is
  // then compiled without the snapshot's (a fresh feed runs slow code until it is).
  #applySnapshot(bids: BookLevel[], asks: BookLevel[], checksum: number, timestamp: number, receivedAt: number): BookEvent | StatusEvent {
    const book = this.book
    book.apply({ isSnapshot: true, bids, asks })
    if (book.bidCount > this.depth || book.askCount > this.depth) {
      // Thicker than subscribed (a replay or a server quirk): emit the book as kept.
      book.truncate(this.depth)
      bids = [...book.bids()]
      asks = [...book.asks()]
    }
    this.#markDirty()
    return this.#verify(true, bids, asks, checksum, timestamp, receivedAt)
  }

  #applyDelta(bids: BookLevel[], asks: BookLevel[], checksum: number, timestamp: number, receivedAt: number): BookEvent | StatusEvent {
    const book = this.book
    // Most updates of a deep book land below the top 10, which the checksum covers: a side whose
    // top 10 is untouched keeps its digits, and with both untouched the last checksum still holds.
    // A side of one level (most updates) whose digits are current is re-read for that level alone,
    // after applying (SideDigits.setLevel); otherwise the levels better than every updated price
    // keep their digits (and running CRC), and the rest is re-read from the book.
    const bid = bids.length === 1 && this.#bidFrom === CHECKSUM_DEPTH ? bids[0]! : undefined
    const ask = asks.length === 1 && this.#askFrom === CHECKSUM_DEPTH ? asks[0]! : undefined
    if (bid === undefined && this.#bidFrom !== 0) this.#bidFrom = firstRank(this.#bidDigits, bids, this.#bidFrom)
    if (ask === undefined && this.#askFrom !== 0) this.#askFrom = firstRank(this.#askDigits, asks, this.#askFrom)
    // apply() checks every level before it changes any: a malformed entry is rejected whole.
    const delta = this.#delta
    delta.bids = bids
    delta.asks = asks
    book.apply(delta)
    // Levels pushed past the depth vanish without a message: tell the consumer (never from the top 10).
    if (book.bidCount > this.depth || book.askCount > this.depth) book.truncate(this.depth, { bids, asks })
    let changed = false
    if (bid !== undefined) changed = this.#bidDigits.setLevel(book, bid.price, bid.amount, this.#pricePrecision, this.#qtyPrecision)
    if (ask !== undefined && this.#askDigits.setLevel(book, ask.price, ask.amount, this.#pricePrecision, this.#qtyPrecision)) changed = true
    return this.#verify(false, bids, asks, checksum, timestamp, receivedAt, changed)
  }

  /**
   * Compares Kraken's checksum with the book's: the event, or a resync on a mismatch.
   *
   * @param digitsChanged a side's digits changed in place (SideDigits.setLevel): the last checksum no longer holds
   */
  #verify(isSnapshot: boolean, bids: BookLevel[], asks: BookLevel[], checksum: number, timestamp: number, receivedAt: number, digitsChanged = false): BookEvent | StatusEvent {
    if (this.#askFrom < CHECKSUM_DEPTH || this.#bidFrom < CHECKSUM_DEPTH || digitsChanged) this.#checksum = this.#computeChecksum()
    const computed = this.#checksum
    if (computed !== checksum) return this.#mismatch(checksum, computed, receivedAt)
    if (isSnapshot) this.#synced = true
    else this.#mismatches = 0
    return { type: 'book', exchange: EXCHANGE_ID, symbol: this.symbol, isSnapshot, bids, asks, timestamp, localTimestamp: receivedAt }
  }

  /** Forgets the book (after a disconnect), keeping the precisions; updates are ignored until a new snapshot. */
  reset(): void {
    this.#synced = false
    this.book.clear()
    this.#markDirty()
  }

  #mismatch(expected: number, computed: number, receivedAt: number): StatusEvent {
    this.#synced = false
    this.#mismatches++
    this.#lastExpected = expected
    this.#lastComputed = computed
    this.book.clear()
    this.#markDirty()
    const reason = `checksum mismatch: Kraken sent ${expected}, local book gives ${computed}`
    return statusEvent(EXCHANGE_ID, 'resync', { symbol: this.symbol, channel: 'book', reason }, receivedAt)
  }

  #markDirty(): void {
    this.#askFrom = 0
    this.#bidFrom = 0
  }

  /** Re-formats the changed ranks of each side and combines: CRC32 over asks then bids. */
  #computeChecksum(): number {
    if (this.#askFrom < CHECKSUM_DEPTH) {
      this.#askDigits.format(this.book, this.#pricePrecision, this.#qtyPrecision, this.#askFrom)
      this.#askFrom = CHECKSUM_DEPTH
    }
    if (this.#bidFrom < CHECKSUM_DEPTH) {
      this.#bidDigits.format(this.book, this.#pricePrecision, this.#qtyPrecision, this.#bidFrom)
      this.#bidFrom = CHECKSUM_DEPTH
    }
    return checksumOf(this.#askDigits, this.#bidDigits)
  }
}

/**
 * The first rank of one side's top 10 that an update's levels may change,
 * or `from` if that is earlier. Checked before applying, against the top 10
 * as last formatted (still current up to `from`); truncation never reaches
 * the top 10, as every Kraken depth is at least 10.
 */
function firstRank(digits: SideDigits, levels: readonly BookLevel[], from: number): number {
  for (let i = 0; i < levels.length && from !== 0; i++) {
    const rank = digits.rankOf(levels[i]!.price)
    if (rank < from) from = rank
  }
  return from
}

/**
 * Wire levels → book levels, in order. Their values are checked by
 * `OrderBook.apply`, before the book changes (a half-applied entry would leave
 * unverified levels below the checksummed top 10).
 *
 * @throws TypeError when `levels` is not an array or holds a non-object
 */
function toLevels(levels: readonly KrakenBookLevel[]): BookLevel[] {
  if (!Array.isArray(levels)) throw new TypeError(`Kraken book levels are not an array: ${JSON.stringify(levels)}`)
  const out: BookLevel[] = new Array(levels.length)
  for (let i = 0; i < levels.length; i++) out[i] = { price: levels[i]!.price, amount: levels[i]!.qty }
  return out
}
