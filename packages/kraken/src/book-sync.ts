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
import { InvalidArgumentError, OrderBook } from '@dccd/core'
import type { BookEvent, BookLevel, StatusEvent } from '@dccd/core'
import { exchangeTime } from './parse.js'
import { SideDigits } from './side-digits.js'
import { BOOK_DEPTHS } from './subscriptions.js'
import type { KrakenBookData, KrakenBookLevel } from './wire.js'

const EXCHANGE = 'kraken'

interface SymbolBook {
  readonly book: OrderBook
  /** False until a snapshot verified; false again after a mismatch. */
  synced: boolean
  pricePrecision: number
  qtyPrecision: number
  /** Mismatches since the last verified update. */
  mismatches: number
  /** Kraken's and our checksum at the latest mismatch. */
  lastExpected: number
  lastComputed: number
  /** Checksum digits of each side's top 10, re-formatted only when that side's top 10 may have changed. */
  readonly askDigits: SideDigits
  readonly bidDigits: SideDigits
  asksDirty: boolean
  bidsDirty: boolean
  /** CRC32 of the ask digits (the first part of the checksum input). */
  askCrc: number
  /** Our checksum of the current top 10 while neither side is dirty. */
  checksum: number
}

/**
 * Checksum-verified Kraken books for any number of symbols at one depth.
 *
 * @example
 * const sync = new KrakenBookSync(10)
 * sync.setPrecision('BTC/USD', 1, 8)              // from the instrument channel
 * const event = sync.apply(true, frame.data[0], receivedAt) // BookEvent, resync StatusEvent, or undefined
 */
export class KrakenBookSync {
  readonly #books = new Map<string, SymbolBook>()

  /**
   * @param depth the subscribed book depth (10, 25, 100, 500 or 1000)
   * @throws InvalidArgumentError for any other depth
   */
  constructor(readonly depth: number) {
    // Kraken's depths are all >= the 10 checksummed levels, which the dirty-side tracking relies on.
    if (!BOOK_DEPTHS.includes(depth)) throw new InvalidArgumentError('book depth', depth, BOOK_DEPTHS.map(String))
  }

  /**
   * Records the decimals Kraken formats this pair with in its checksum
   * (`price_precision`, `qty_precision` from the `instrument` channel). Call
   * again when an instrument update changes them.
   */
  setPrecision(symbol: string, pricePrecision: number, qtyPrecision: number): void {
    const state = this.#books.get(symbol)
    if (state === undefined) {
      this.#books.set(symbol, {
        book: new OrderBook(),
        synced: false,
        pricePrecision,
        qtyPrecision,
        mismatches: 0,
        lastExpected: 0,
        lastComputed: 0,
        askDigits: new SideDigits(),
        bidDigits: new SideDigits(),
        asksDirty: true,
        bidsDirty: true,
        askCrc: 0,
        checksum: 0,
      })
    } else {
      state.pricePrecision = pricePrecision
      state.qtyPrecision = qtyPrecision
      markDirty(state)
    }
  }

  /** True when the symbol's precision is known. */
  hasPrecision(symbol: string): boolean {
    return this.#books.has(symbol)
  }

  /**
   * Applies one symbol's entry of a `book` message.
   *
   * @param isSnapshot the message `type` was `snapshot`
   * @param receivedAt local receive time, µs
   * @returns the book event to emit; a `resync` status on a checksum mismatch;
   *   `undefined` for an update while no verified snapshot is held
   * @throws Error when the symbol's precision was never set (the instrument channel comes first);
   *   TypeError or InvalidArgumentError for a malformed level, before the book changes
   */
  apply(isSnapshot: boolean, data: KrakenBookData, receivedAt: number): BookEvent | StatusEvent | undefined {
    const state = this.#books.get(data.symbol)
    if (state === undefined) throw new Error(`No instrument precision for ${data.symbol}; cannot verify its book`)
    if (!isSnapshot && !state.synced) return undefined
    // Read before the book changes: a time that throws after applying would leave the local book
    // ahead of the consumer's (both checksummed alike, so the drift would never show).
    const timestamp = data.timestamp === undefined ? receivedAt : exchangeTime(data.timestamp, receivedAt)
    const book = state.book
    let bids = toLevels(data.bids)
    let asks = toLevels(data.asks)
    if (isSnapshot) {
      book.apply({ isSnapshot: true, bids, asks })
      if (book.bidCount > this.depth || book.askCount > this.depth) {
        // Thicker than subscribed (a replay or a server quirk): emit the book as kept.
        book.truncate(this.depth)
        bids = [...book.bids()]
        asks = [...book.asks()]
      }
      markDirty(state)
    } else {
      // Most updates of a deep book land below the top 10, which the checksum covers: a side whose
      // top 10 is untouched keeps its digits, and with both untouched the last checksum still holds.
      if (!state.bidsDirty && reachesTop(state.bidDigits, bids, true)) state.bidsDirty = true
      if (!state.asksDirty && reachesTop(state.askDigits, asks, false)) state.asksDirty = true
      // apply() checks every level before it changes any: a malformed entry is rejected whole.
      book.apply({ isSnapshot: false, bids, asks })
      // Levels pushed past the depth vanish without a message: tell the consumer.
      if (book.bidCount > this.depth || book.askCount > this.depth) book.truncate(this.depth, { bids, asks })
    }
    if (state.asksDirty || state.bidsDirty) state.checksum = checksumOf(state)
    const computed = state.checksum
    if (computed !== data.checksum) return this.#mismatch(state, data, computed, receivedAt)
    if (isSnapshot) state.synced = true
    else state.mismatches = 0
    return {
      type: 'book',
      exchange: EXCHANGE,
      symbol: data.symbol,
      isSnapshot,
      bids,
      asks,
      timestamp,
      localTimestamp: receivedAt,
    }
  }

  /** Mismatches for `symbol` since its last verified update (a persistent streak means wrong precision). */
  mismatchStreak(symbol: string): number {
    return this.#books.get(symbol)?.mismatches ?? 0
  }

  /** Kraken's (`expected`) and the local (`computed`) checksum at the symbol's latest mismatch. */
  lastMismatch(symbol: string): { expected: number; computed: number } | undefined {
    const state = this.#books.get(symbol)
    return state === undefined || state.mismatches === 0 ? undefined : { expected: state.lastExpected, computed: state.lastComputed }
  }

  /** The local book (read-only use), or `undefined` before the symbol's precision is known. */
  book(symbol: string): OrderBook | undefined {
    return this.#books.get(symbol)?.book
  }

  /** True while the symbol holds a verified book. */
  isSynced(symbol: string): boolean {
    return this.#books.get(symbol)?.synced ?? false
  }

  /** Forgets every book (after a disconnect), keeping precisions; updates are ignored until new snapshots. */
  reset(): void {
    for (const state of this.#books.values()) {
      state.synced = false
      state.book.clear()
      markDirty(state)
    }
  }

  #mismatch(state: SymbolBook, data: KrakenBookData, computed: number, receivedAt: number): StatusEvent {
    state.synced = false
    state.mismatches++
    state.lastExpected = data.checksum
    state.lastComputed = computed
    state.book.clear()
    markDirty(state)
    return {
      type: 'status',
      exchange: EXCHANGE,
      status: 'resync',
      symbol: data.symbol,
      channel: 'book',
      reason: `checksum mismatch: Kraken sent ${data.checksum}, local book gives ${computed}`,
      localTimestamp: receivedAt,
    }
  }
}

function markDirty(state: SymbolBook): void {
  state.asksDirty = true
  state.bidsDirty = true
}

/** Re-formats the dirty sides and combines: CRC32 over asks then bids. */
function checksumOf(state: SymbolBook): number {
  const { book, pricePrecision, qtyPrecision } = state
  if (state.asksDirty) {
    state.askDigits.format(book, 'asks', pricePrecision, qtyPrecision)
    state.askCrc = state.askDigits.crc()
  }
  if (state.bidsDirty) state.bidDigits.format(book, 'bids', pricePrecision, qtyPrecision)
  state.asksDirty = false
  state.bidsDirty = false
  return state.bidDigits.crc(state.askCrc) >>> 0
}

/**
 * True when an update's levels on one side may change that side's top 10.
 * Checked before applying, against the top 10 as last formatted (still
 * current, since the side is not dirty); truncation never reaches the top 10,
 * as every Kraken depth is at least 10.
 */
function reachesTop(digits: SideDigits, levels: readonly BookLevel[], isBids: boolean): boolean {
  for (let i = 0; i < levels.length; i++) if (digits.reaches(levels[i]!.price, isBids)) return true
  return false
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
