/**
 * What a user writes for Binance books without a library: bare `ws` clients
 * (./frame-reader.ts), `JSON.parse`, and per symbol a sorted-array book synced
 * the way Binance documents it: buffer the depth events, fetch the REST
 * snapshot, drop the events it covers, then prove each event follows the
 * one before. Spot: `U` = previous `u` + 1 (`/api/v3/depth`, `@trade` ids
 * `t`). USDⓈ-M futures: the first event kept spans the snapshot's
 * `lastUpdateId` (one ending exactly there only starts the chain), then each
 * `pu` = previous `u` (`/fapi/v1/depth`, `@aggTrade` ids `a`). Trade ids are
 * checked to be consecutive. Levels are read with `Number()`.
 */
import { SortedArraySide } from '../../book/sorted-array.js'
import { emptyTallies } from '../session.js'
import { readFrames } from './frame-reader.js'
import { tallyTrade, type ContestantRun, type ContestantSpec, type Progress } from './run.js'

type Pair = [string, string]

interface Depth {
  readonly e: 'depthUpdate'
  readonly s: string
  readonly U: number
  readonly u: number
  /** Futures only: the previous event's `u`. */
  readonly pu?: number
  readonly b: Pair[]
  readonly a: Pair[]
}

interface Trade {
  readonly e: 'trade' | 'aggTrade'
  readonly s: string
  /** Spot trade id. */
  readonly t?: number
  /** Futures aggregate id. */
  readonly a?: number
}

class Book {
  readonly bids = new SortedArraySide(true)
  readonly asks = new SortedArraySide(false)
  /** Final update id applied (the snapshot's `lastUpdateId` right after it); -1 while waiting for the snapshot. */
  lastId = -1
  /** True from the snapshot until the first event that continues it. */
  fresh = false
  buffered: Depth[] = []
}

function applyLevels(side: SortedArraySide, levels: readonly Pair[]): void {
  for (let i = 0; i < levels.length; i++) side.set(+levels[i]![0], +levels[i]![1])
}

export function runHandWrittenBinance(spec: ContestantSpec, progress: Progress): Promise<ContestantRun> {
  const futures = spec.exchange === 'binance-futures'
  const books = new Map(spec.symbols.map((s) => [s, new Book()]))
  const tallies = emptyTallies(spec.symbols)
  const problems: string[] = []
  const snapshots: Promise<void>[] = []

  /** Applies `event` to a synced book, unless the snapshot holds it; a break in the chain is a problem. */
  const applyDepth = (book: Book, event: Depth): void => {
    if (futures) {
      if (book.fresh) {
        if (event.u < book.lastId) return // before the snapshot
        if (event.U > book.lastId) problems.push(`${event.s}: depth ${event.U}..${event.u} does not span the snapshot's ${book.lastId}`)
        book.fresh = false
        if (event.u === book.lastId) return // ends at the snapshot: in it already; only starts the chain
      } else if (event.pu !== book.lastId) {
        problems.push(`${event.s}: depth pu ${event.pu} after ${book.lastId}`)
      }
    } else {
      if (event.u <= book.lastId) return // covered by the snapshot
      if (event.U > book.lastId + 1) problems.push(`${event.s}: depth ${event.U}..${event.u} after ${book.lastId}`)
    }
    applyLevels(book.bids, event.b)
    applyLevels(book.asks, event.a)
    book.lastId = event.u
    tallies[event.s]!.bookEvents++
  }

  const fetchSnapshot = async (symbol: string, book: Book): Promise<void> => {
    const response = await fetch(`${spec.restUrl}${futures ? '/fapi/v1' : '/api/v3'}/depth?symbol=${symbol}&limit=1000`)
    const snapshot = (await response.json()) as { lastUpdateId: number; bids: Pair[]; asks: Pair[] }
    applyLevels(book.bids, snapshot.bids)
    applyLevels(book.asks, snapshot.asks)
    book.lastId = snapshot.lastUpdateId
    book.fresh = true
    tallies[symbol]!.bookEvents++
    for (const event of book.buffered) applyDepth(book, event)
    book.buffered = []
  }

  const onMessage = ({ data: event }: { stream: string; data: Depth | Trade }): void => {
    if (event.e === 'depthUpdate') {
      const book = books.get(event.s)!
      if (book.lastId !== -1) {
        applyDepth(book, event)
      } else {
        if (book.buffered.length === 0) snapshots.push(fetchSnapshot(event.s, book))
        book.buffered.push(event)
      }
    } else if (event.e === (futures ? 'aggTrade' : 'trade')) {
      tallyTrade(tallies[event.s]!, (futures ? event.a : event.t)!, problems, event.s)
    }
  }

  return readFrames(spec, progress, {
    instrument: false,
    onMessage,
    // A snapshot may still be on its way when the last frame arrives: its book is complete once it is applied.
    finish: async (elapsedMs, frames) => {
      await Promise.all(snapshots)
      const dump = Object.fromEntries([...books].map(([s, b]) => [s, { bids: b.bids.dump(), asks: b.asks.dump() }]))
      return { elapsedMs, frames, perSymbol: tallies, books: dump, problems }
    },
  })
}
