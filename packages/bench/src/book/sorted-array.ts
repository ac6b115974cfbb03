import type { Frame } from './frames.js'
import type { BookImpl } from './impls.js'

/**
 * What a user writes by hand instead of a library: per side, plain arrays of
 * prices and amounts kept best-first, a binary search, `splice` to insert or
 * delete. The top 10 is the first ten entries. The bar our `OrderBook` must
 * not fall below on a top-10 read (issue 17), and the book of the
 * end-to-end bench's hand-written client.
 */
export class SortedArraySide {
  prices: number[] = []
  amounts: number[] = []

  /** @param descending true for bids (best = highest first) */
  constructor(private readonly descending: boolean) {}

  set(price: number, amount: number): void {
    const prices = this.prices
    // First index whose price is not better than `price`.
    let lo = 0
    let hi = prices.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      const better = this.descending ? prices[mid]! > price : prices[mid]! < price
      if (better) lo = mid + 1
      else hi = mid
    }
    if (lo < prices.length && prices[lo] === price) {
      if (amount === 0) {
        prices.splice(lo, 1)
        this.amounts.splice(lo, 1)
      } else {
        this.amounts[lo] = amount
      }
    } else if (amount !== 0) {
      prices.splice(lo, 0, price)
      this.amounts.splice(lo, 0, amount)
    }
  }

  clear(): void {
    this.prices = []
    this.amounts = []
  }

  /** Keeps the best `depth` levels (Kraken: levels pushed past the subscribed depth vanish without a message). */
  truncate(depth: number): void {
    if (this.prices.length <= depth) return
    this.prices.length = depth
    this.amounts.length = depth
  }

  /** The best `depth` levels as `[price, amount, …]` (what Kraken's checksum reads at 10). */
  top(depth: number): number[] {
    const out: number[] = []
    for (let i = 0; i < depth && i < this.prices.length; i++) out.push(this.prices[i]!, this.amounts[i]!)
    return out
  }

  /** `[price, amount, …]` best first, the bench's book dump format. */
  dump(): number[] {
    return this.prices.flatMap((price, i) => [price, this.amounts[i]!])
  }
}

export const sortedArrayImpl: BookImpl = {
  name: 'hand-written sorted arrays',
  replay(frames, count, mode, repeat) {
    const books = Array.from({ length: count }, () => ({ bids: new SortedArraySide(true), asks: new SortedArraySide(false) }))
    let sum = 0
    for (let r = 0; r < repeat; r++) {
      sum = 0 // the last replay's reads are compared across implementations
      for (let i = 0; i < frames.length; i++) {
        const frame = frames[i]!
        const book = books[frame.book]!
        if (frame.isSnapshot) {
          book.bids.clear()
          book.asks.clear()
        }
        apply(book.bids, frame.bids)
        apply(book.asks, frame.asks)
        if (mode === 'bbo') {
          if (book.bids.prices.length > 0) sum += book.bids.prices[0]! + book.bids.amounts[0]!
          if (book.asks.prices.length > 0) sum += book.asks.prices[0]! + book.asks.amounts[0]!
        } else if (mode === 'top10') {
          const { prices: bp, amounts: ba } = book.bids
          for (let j = 0; j < 10 && j < bp.length; j++) sum += bp[j]! + ba[j]!
          const { prices: ap, amounts: aa } = book.asks
          for (let j = 0; j < 10 && j < ap.length; j++) sum += ap[j]! + aa[j]!
        }
      }
    }
    return { readSum: sum, dump: () => books.map((b) => ({ bids: b.bids.dump(), asks: b.asks.dump() })) }
  },
}

function apply(side: SortedArraySide, levels: Frame['bids']): void {
  for (let j = 0; j < levels.length; j++) side.set(levels[j]!.price, levels[j]!.amount)
}
