import { BookSide } from './book-side.js'
import { InvalidArgumentError } from './errors.js'
import type { BookLevel } from './events.js'

/** Which side of a book: `bids` (buy orders) or `asks` (sell orders). */
export type BookSideName = 'bids' | 'asks'

/** What {@link OrderBook.apply} needs from a `book` event. */
export interface BookUpdate {
  /** True: the levels replace the whole book. False: each level is set (amount 0 removes it). */
  readonly isSnapshot: boolean
  readonly bids: readonly BookLevel[]
  readonly asks: readonly BookLevel[]
}

/**
 * A local L2 order book, built for speed.
 *
 * Each side keeps its levels in sorted parallel `Float64Array`s with the best
 * price at the end, so the updates that dominate real traffic (near the top
 * of the book) are cheap. Costs, with n levels on the side touched:
 * - `bestBid()` / `bestAsk()`: O(1).
 * - `set()` / a delta level in `apply()`: O(log n) binary search; an amount
 *   change is in place and allocation-free; an insert or removal also moves
 *   the k levels better than the price (one memmove, so O(k), tiny near the
 *   top and at worst O(n) at the bottom). Storage doubles when full
 *   (amortised O(1) allocation).
 * - snapshot `apply()`: O(n) when levels come best-first without repeated
 *   prices (as exchanges send them), else O(n log n + moves).
 * - top-N reads (`forEachLevel`, `bids(depth)`, `asks(depth)`): O(N), no search.
 *
 * Reads return fresh `{ price, amount }` objects (safe to keep);
 * {@link OrderBook.forEachLevel} visits levels without allocating, which is
 * what per-update checksums should use. Do not mutate the book while
 * iterating `bids()` / `asks()`.
 *
 * @example
 * const book = new OrderBook()
 * book.apply({ isSnapshot: true, bids: [{ price: 100, amount: 2 }], asks: [{ price: 101, amount: 1 }] })
 * book.set('bids', 100.5, 3)
 * book.bestBid() // { price: 100.5, amount: 3 }
 */
export class OrderBook {
  readonly #bids = new BookSide(1)
  readonly #asks = new BookSide(-1)

  /** Number of bid levels. */
  get bidCount(): number {
    return this.#bids.count
  }

  /** Number of ask levels. */
  get askCount(): number {
    return this.#asks.count
  }

  /**
   * Applies one `book` event (or anything shaped like one). A snapshot
   * replaces the book; a delta sets each level, amount 0 removing it
   * (removing an absent level is a no-op). The event is validated before
   * anything changes, so a bad level leaves the book untouched.
   *
   * @throws InvalidArgumentError when a price is not finite or an amount is negative or not finite
   */
  apply(event: BookUpdate): void {
    const { bids, asks } = event
    for (let i = 0; i < bids.length; i++) checkLevel(bids[i]!.price, bids[i]!.amount)
    for (let i = 0; i < asks.length; i++) checkLevel(asks[i]!.price, asks[i]!.amount)
    if (event.isSnapshot) {
      this.#bids.replace(bids)
      this.#asks.replace(asks)
      return
    }
    for (let i = 0; i < bids.length; i++) this.#bids.set(bids[i]!.price, bids[i]!.amount)
    for (let i = 0; i < asks.length; i++) this.#asks.set(asks[i]!.price, asks[i]!.amount)
  }

  /**
   * Sets one level; amount 0 removes it (a no-op when absent). The fast path
   * for adapters: no event object needed, no allocation on amount changes.
   *
   * @throws InvalidArgumentError when `price` is not finite or `amount` is negative or not finite
   */
  set(side: BookSideName, price: number, amount: number): void {
    checkLevel(price, amount)
    this.#side(side).set(price, amount)
  }

  /** Highest bid, or `undefined` when there are no bids. O(1). */
  bestBid(): BookLevel | undefined {
    return best(this.#bids)
  }

  /** Lowest ask, or `undefined` when there are no asks. O(1). */
  bestAsk(): BookLevel | undefined {
    return best(this.#asks)
  }

  /**
   * Bids in descending price order, as a new array of new level objects;
   * the best `depth` only when given (default: all). For a read after every
   * update (a checksum, a top-N snapshot) use {@link forEachLevel} or
   * {@link copyLevels}, which allocate nothing.
   */
  bids(depth?: number): BookLevel[] {
    return levels(this.#bids, depth === undefined ? Infinity : checkDepth(depth))
  }

  /** Asks in ascending price order; otherwise as {@link bids}. */
  asks(depth?: number): BookLevel[] {
    return levels(this.#asks, depth === undefined ? Infinity : checkDepth(depth))
  }

  /**
   * Copies the best `depth` levels of one side, best first, into the
   * caller's arrays (reused across reads: nothing is allocated) and returns
   * how many were copied (fewer when the side is shallower, or the arrays
   * shorter).
   *
   * @example
   * const prices = new Float64Array(10), amounts = new Float64Array(10)
   * const n = book.copyLevels('bids', 10, prices, amounts) // prices[0] is the best bid
   */
  copyLevels(side: BookSideName, depth: number, prices: Float64Array | number[], amounts: Float64Array | number[]): number {
    const s = this.#side(side)
    const { keys, amounts: held, sign } = s
    const n = Math.min(s.count, checkDepth(depth), prices.length, amounts.length)
    for (let i = 0, j = s.count - 1; i < n; i++, j--) {
      prices[i] = sign * keys[j]!
      amounts[i] = held[j]!
    }
    return n
  }

  /**
   * Calls `visit(price, amount)` for the best `depth` levels of one side,
   * best first, without allocating. `depth` may exceed the level count.
   *
   * @example
   * book.forEachLevel('asks', 10, (price, amount) => { crc.update(price, amount) })
   */
  forEachLevel(side: BookSideName, depth: number, visit: (price: number, amount: number) => void): void {
    const s = this.#side(side)
    const { keys, amounts, sign } = s
    const stop = Math.max(0, s.count - checkDepth(depth))
    for (let i = s.count - 1; i >= stop; i--) visit(sign * keys[i]!, amounts[i]!)
  }

  /**
   * Drops levels beyond `depth` on both sides (exchanges that stream a
   * fixed-depth book expect the consumer to forget levels that fall out).
   * Each dropped level is pushed as `{ price, amount: 0 }` into `removed`
   * when given, best first.
   */
  truncate(depth: number, removed?: { bids: BookLevel[]; asks: BookLevel[] }): void {
    depth = checkDepth(depth)
    if (removed) {
      collectBeyond(this.#bids, depth, removed.bids)
      collectBeyond(this.#asks, depth, removed.asks)
    }
    this.#bids.dropWorst(depth)
    this.#asks.dropWorst(depth)
  }

  /** Removes every level. */
  clear(): void {
    this.#bids.clear()
    this.#asks.clear()
  }

  #side(side: BookSideName): BookSide {
    if (side === 'bids') return this.#bids
    if (side === 'asks') return this.#asks
    throw new InvalidArgumentError('book side', side, ['bids', 'asks'])
  }
}

function best(side: BookSide): BookLevel | undefined {
  const n = side.count
  return n === 0 ? undefined : { price: side.priceAt(n - 1), amount: side.amounts[n - 1]! }
}

// A plain loop into a sized array: a generator cost a resumable frame and an iterator result per level.
function levels(side: BookSide, depth: number): BookLevel[] {
  const out: BookLevel[] = []
  const { keys, amounts, sign } = side
  const stop = Math.max(0, side.count - depth)
  for (let i = side.count - 1; i >= stop; i--) out.push({ price: sign * keys[i]!, amount: amounts[i]! })
  return out
}

function collectBeyond(side: BookSide, depth: number, into: BookLevel[]): void {
  for (let i = side.count - depth - 1; i >= 0; i--) into.push({ price: side.priceAt(i), amount: 0 })
}

function checkLevel(price: number, amount: number): void {
  // Written as negated range checks so NaN fails them too; a NaN key would break the sort order.
  // The typeof checks keep out null and numeric strings, which comparisons would coerce (null >= 0).
  if (typeof price !== 'number' || !(price > -Infinity && price < Infinity)) {
    throw new InvalidArgumentError('book price', price, ['a finite number'])
  }
  if (typeof amount !== 'number' || !(amount >= 0 && amount < Infinity)) {
    throw new InvalidArgumentError('book amount', amount, ['a finite number >= 0'])
  }
}

/** Validates a depth and rounds it down to a whole number of levels. */
function checkDepth(depth: number): number {
  if (!(depth >= 0)) throw new InvalidArgumentError('book depth', depth, ['a number >= 0 (Infinity allowed)'])
  return Math.floor(depth)
}
