import type { Frame } from './frames.js'
import type { BookImpl } from './impls.js'

/** The obvious implementation: a `Map` per side, sorted on every read. */
export const naiveImpl: BookImpl = {
  name: 'naive Map + sort',
  replay(frames, count, mode, repeat) {
    const books = Array.from({ length: count }, () => ({ bids: new Map<number, number>(), asks: new Map<number, number>() }))
    let sum = 0
    const setAll = (side: Map<number, number>, levels: Frame['bids']): void => {
      for (let j = 0; j < levels.length; j++) {
        const { price, amount } = levels[j]!
        if (amount === 0) side.delete(price)
        else side.set(price, amount)
      }
    }
    for (let r = 0; r < repeat; r++) {
      sum = 0 // the last replay's reads are compared across implementations
      for (let i = 0; i < frames.length; i++) {
        const frame = frames[i]!
        const book = books[frame.book]!
        if (frame.isSnapshot) {
          book.bids.clear()
          book.asks.clear()
        }
        setAll(book.bids, frame.bids)
        setAll(book.asks, frame.asks)
        if (mode === 'bbo') {
          sum = naiveBest(book.bids, 1, sum)
          sum = naiveBest(book.asks, -1, sum)
        } else if (mode === 'top10') {
          sum = naiveTop(book.bids, 1, 10, sum)
          sum = naiveTop(book.asks, -1, 10, sum)
        }
      }
    }
    return { readSum: sum, dump: () => books.map((b) => ({ bids: naiveDump(b.bids, 1), asks: naiveDump(b.asks, -1) })) }
  },
}

// Both add into the running sum in the same order as the other implementations, so the sums match bit for bit.
function naiveBest(side: Map<number, number>, sign: 1 | -1, sum: number): number {
  let best = NaN
  for (const price of side.keys()) if (!(sign * price <= sign * best)) best = price
  return side.size === 0 ? sum : sum + (best + side.get(best)!)
}

function naiveTop(side: Map<number, number>, sign: 1 | -1, depth: number, sum: number): number {
  const prices = [...side.keys()].sort((a, b) => sign * (b - a))
  for (let j = 0; j < depth && j < prices.length; j++) sum += prices[j]! + side.get(prices[j]!)!
  return sum
}

function naiveDump(side: Map<number, number>, sign: 1 | -1): number[] {
  return [...side.keys()].sort((a, b) => sign * (b - a)).flatMap((p) => [p, side.get(p)!])
}
