import { OrderBook } from '@dccd/core'
import type { Frame } from './frames.js'
import { naiveImpl } from './naive.js'
import { sortedArrayImpl } from './sorted-array.js'
import { loadCcxtOrderBook, TardisOrderBook, type CcxtBook } from './peers.js'

/** What is read after every frame: nothing, best bid/ask, or the top 10 of both sides (what a checksum reads). */
export type ReadMode = 'apply' | 'bbo' | 'top10'

/** A book's final state: `[price, amount, price, amount, ...]` best-first per side. */
export type BookDump = { bids: number[]; asks: number[] }[]

/** What one replay returns: a sum of everything read (must match across implementations) and the final books. */
export interface ReplayResult {
  readonly readSum: number
  readonly dump: () => BookDump
}

/** One order book implementation under test. */
export interface BookImpl {
  readonly name: string
  /** Replays `frames` `repeat` times over fresh books, reading per `mode` after every frame. */
  replay(frames: readonly Frame[], books: number, mode: ReadMode, repeat: number): ReplayResult
}

// Each implementation has its own replay loop, so no call site in the hot
// loop sees more than one book class (a shared, polymorphic driver would
// penalise whichever implementation the JIT met second).

const oursImpl: BookImpl = {
  name: 'dccd OrderBook',
  replay(frames, count, mode, repeat) {
    const books = Array.from({ length: count }, () => new OrderBook())
    let sum = 0
    // A field, not a captured `let`: V8 boxes a captured number on every write, which would bill the bench's
    // own accumulator to the book.
    const sink = { sum: 0 }
    const visit = (price: number, amount: number): void => {
      sink.sum += price + amount
    }
    for (let r = 0; r < repeat; r++) {
      sum = 0 // the last replay's reads are compared across implementations
      for (let i = 0; i < frames.length; i++) {
        const frame = frames[i]!
        const book = books[frame.book]!
        book.apply(frame)
        if (mode === 'bbo') {
          const bid = book.bestBid()
          const ask = book.bestAsk()
          if (bid !== undefined) sum += bid.price + bid.amount
          if (ask !== undefined) sum += ask.price + ask.amount
        } else if (mode === 'top10') {
          sink.sum = sum
          book.forEachLevel('bids', 10, visit)
          book.forEachLevel('asks', 10, visit)
          sum = sink.sum
        }
      }
    }
    return {
      readSum: sum,
      dump: () => books.map(dumpOrderBook),
    }
  },
}

/** Ours read through the object API (`bids(10)`, `asks(10)`): what most users write first. */
const oursLevelsImpl: BookImpl = {
  name: 'dccd OrderBook, bids(10)/asks(10)',
  replay(frames, count, mode, repeat) {
    const books = Array.from({ length: count }, () => new OrderBook())
    let sum = 0
    for (let r = 0; r < repeat; r++) {
      sum = 0 // the last replay's reads are compared across implementations
      for (let i = 0; i < frames.length; i++) {
        const frame = frames[i]!
        const book = books[frame.book]!
        book.apply(frame)
        if (mode === 'top10') {
          const bids = book.bids(10)
          for (let j = 0; j < bids.length; j++) sum += bids[j]!.price + bids[j]!.amount
          const asks = book.asks(10)
          for (let j = 0; j < asks.length; j++) sum += asks[j]!.price + asks[j]!.amount
        } else if (mode === 'bbo') {
          const bid = book.bestBid()
          const ask = book.bestAsk()
          if (bid !== undefined) sum += bid.price + bid.amount
          if (ask !== undefined) sum += ask.price + ask.amount
        }
      }
    }
    return { readSum: sum, dump: () => books.map(dumpOrderBook) }
  },
}

/** Ours read through `copyLevels` into reused typed arrays (allocation-free, no callback). */
const oursCopyImpl: BookImpl = {
  name: 'dccd OrderBook, copyLevels',
  replay(frames, count, mode, repeat) {
    const books = Array.from({ length: count }, () => new OrderBook())
    const prices = new Float64Array(10)
    const amounts = new Float64Array(10)
    let sum = 0
    for (let r = 0; r < repeat; r++) {
      sum = 0 // the last replay's reads are compared across implementations
      for (let i = 0; i < frames.length; i++) {
        const frame = frames[i]!
        const book = books[frame.book]!
        book.apply(frame)
        if (mode === 'top10') {
          let n = book.copyLevels('bids', 10, prices, amounts)
          for (let j = 0; j < n; j++) sum += prices[j]! + amounts[j]!
          n = book.copyLevels('asks', 10, prices, amounts)
          for (let j = 0; j < n; j++) sum += prices[j]! + amounts[j]!
        } else if (mode === 'bbo') {
          const bid = book.bestBid()
          const ask = book.bestAsk()
          if (bid !== undefined) sum += bid.price + bid.amount
          if (ask !== undefined) sum += ask.price + ask.amount
        }
      }
    }
    return { readSum: sum, dump: () => books.map(dumpOrderBook) }
  },
}

const tardisImpl: BookImpl = {
  name: 'tardis-dev OrderBook',
  replay(frames, count, mode, repeat) {
    const books = Array.from({ length: count }, () => new TardisOrderBook())
    let sum = 0
    for (let r = 0; r < repeat; r++) {
      sum = 0 // the last replay's reads are compared across implementations
      for (let i = 0; i < frames.length; i++) {
        const frame = frames[i]!
        const book = books[frame.book]!
        // tardis copies inserted levels ({ ...level }) and only reads these three fields.
        book.update(frame as unknown as Parameters<TardisOrderBook['update']>[0])
        if (mode === 'bbo') {
          const bid = book.bestBid()
          const ask = book.bestAsk()
          if (bid !== undefined) sum += bid.price + bid.amount
          if (ask !== undefined) sum += ask.price + ask.amount
        } else if (mode === 'top10') {
          let n = 0
          for (const level of book.bids()) {
            if (n++ === 10) break
            sum += level.price + level.amount
          }
          n = 0
          for (const level of book.asks()) {
            if (n++ === 10) break
            sum += level.price + level.amount
          }
        }
      }
    }
    return {
      readSum: sum,
      dump: () =>
        books.map((b) => ({ bids: [...b.bids()].flatMap((l) => [l.price, l.amount]), asks: [...b.asks()].flatMap((l) => [l.price, l.amount]) })),
    }
  },
}

function ccxtImpl(CcxtOrderBook: new () => CcxtBook): BookImpl {
  return {
    name: 'ccxt ws OrderBook',
    replay(frames, count, mode, repeat) {
      const books = Array.from({ length: count }, () => new CcxtOrderBook())
      let sum = 0
      for (let r = 0; r < repeat; r++) {
        sum = 0
      sum = 0 // the last replay's reads are compared across implementations
        for (let i = 0; i < frames.length; i++) {
          const frame = frames[i]!
          const book = books[frame.book]!
          if (frame.isSnapshot) {
            // ccxt keeps the [price, amount] arrays it is given (and mutates them later), so each must be fresh,
            // as ccxt's own parsers make them.
            book.reset({ bids: frame.bids.map((l) => [l.price, l.amount]), asks: frame.asks.map((l) => [l.price, l.amount]) })
          } else {
            // What ccxt's exchanges do per delta level (handleDelta → bookside.store).
            for (let j = 0; j < frame.bids.length; j++) book.bids.store(frame.bids[j]!.price, frame.bids[j]!.amount)
            for (let j = 0; j < frame.asks.length; j++) book.asks.store(frame.asks[j]!.price, frame.asks[j]!.amount)
          }
          if (mode === 'bbo') {
            const bid = book.bids[0]
            const ask = book.asks[0]
            if (bid !== undefined) sum += bid[0] + bid[1]
            if (ask !== undefined) sum += ask[0] + ask[1]
          } else if (mode === 'top10') {
            for (let j = 0; j < 10 && j < book.bids.length; j++) sum += book.bids[j]![0] + book.bids[j]![1]
            for (let j = 0; j < 10 && j < book.asks.length; j++) sum += book.asks[j]![0] + book.asks[j]![1]
          }
        }
      }
      return {
        readSum: sum,
        dump: () => books.map((b) => ({ bids: b.bids.flatMap((l) => [l[0], l[1]]), asks: b.asks.flatMap((l) => [l[0], l[1]]) })),
      }
    },
  }
}

/** Every implementation, ours first. Loads ccxt's book module on first call. */
export async function allImpls(): Promise<BookImpl[]> {
  return [oursImpl, oursLevelsImpl, oursCopyImpl, tardisImpl, ccxtImpl(await loadCcxtOrderBook()), sortedArrayImpl, naiveImpl]
}

/** Our read variants differ only in how the top 10 is read: in the other modes the first stands for all. */
export function isOurReadVariant(impl: BookImpl): boolean {
  return impl === oursLevelsImpl || impl === oursCopyImpl
}

/** One of our books as a dump entry (best-first `[price, amount, ...]` per side). */
export function dumpOrderBook(book: OrderBook): BookDump[number] {
  return { bids: [...book.bids()].flatMap((l) => [l.price, l.amount]), asks: [...book.asks()].flatMap((l) => [l.price, l.amount]) }
}
