/**
 * What a user writes for Binance books without a library: a bare `ws`
 * client, `JSON.parse`, and per symbol a sorted-array book synced the way
 * Binance documents it (buffer the depth events, fetch the REST snapshot,
 * drop events it covers, then require each `U` to follow the previous `u`).
 * Trade ids are checked to be consecutive. Levels are read with `Number()`.
 */
import WebSocket from 'ws'
import { SortedArraySide } from '../../book/sorted-array.js'
import { emptyTallies } from '../session.js'
import { tallyTrade, type ContestantRun, type ContestantSpec, type Progress } from './run.js'
import { socketUrl } from './wire.js'

type Pair = [string, string]

interface Depth {
  readonly e: 'depthUpdate'
  readonly s: string
  readonly U: number
  readonly u: number
  readonly b: Pair[]
  readonly a: Pair[]
}

interface Trade {
  readonly e: 'trade'
  readonly s: string
  readonly t: number
}

class Book {
  readonly bids = new SortedArraySide(true)
  readonly asks = new SortedArraySide(false)
  /** Final update id applied; -1 while waiting for the snapshot. */
  lastId = -1
  buffered: Depth[] = []
}

function applyLevels(side: SortedArraySide, levels: readonly Pair[]): void {
  for (let i = 0; i < levels.length; i++) side.set(+levels[i]![0], +levels[i]![1])
}

export function runHandWrittenBinance(spec: ContestantSpec, progress: Progress): Promise<ContestantRun> {
  return new Promise((resolve, reject) => {
    const books = new Map(spec.symbols.map((s) => [s, new Book()]))
    const tallies = emptyTallies(spec.symbols)
    const problems: string[] = []
    const ws = new WebSocket(socketUrl(spec))
    let frames = 0
    let first = 0
    let live = 0
    let elapsedMs = 0

    const finishIfDone = (): void => {
      if (frames < spec.frames || live < books.size) return
      ws.close()
      const dump = Object.fromEntries([...books].map(([s, b]) => [s, { bids: b.bids.dump(), asks: b.asks.dump() }]))
      resolve({ elapsedMs, frames, perSymbol: tallies, books: dump, problems })
    }

    const applyDepth = (book: Book, event: Depth): void => {
      if (event.u <= book.lastId) return // covered by the snapshot
      if (event.U > book.lastId + 1) problems.push(`${event.s}: depth ${event.U}..${event.u} after ${book.lastId}`)
      applyLevels(book.bids, event.b)
      applyLevels(book.asks, event.a)
      book.lastId = event.u
      tallies[event.s]!.bookEvents++
    }

    const fetchSnapshot = async (symbol: string, book: Book): Promise<void> => {
      const response = await fetch(`${spec.restUrl}/api/v3/depth?symbol=${symbol}&limit=1000`)
      const snapshot = (await response.json()) as { lastUpdateId: number; bids: Pair[]; asks: Pair[] }
      applyLevels(book.bids, snapshot.bids)
      applyLevels(book.asks, snapshot.asks)
      book.lastId = snapshot.lastUpdateId
      tallies[symbol]!.bookEvents++
      for (const event of book.buffered) applyDepth(book, event)
      book.buffered = []
      live++
      finishIfDone()
    }

    ws.on('error', reject)
    ws.on('message', (data) => {
      const event = (JSON.parse(data.toString()) as { data: Depth | Trade }).data
      if (frames === 0) first = performance.now()
      progress.items = ++frames
      if (event.e === 'depthUpdate') {
        const book = books.get(event.s)!
        if (book.lastId !== -1) {
          applyDepth(book, event)
        } else {
          if (book.buffered.length === 0) fetchSnapshot(event.s, book).catch(reject)
          book.buffered.push(event)
        }
      } else if (event.e === 'trade') {
        tallyTrade(tallies[event.s]!, event.t, problems, event.s)
      }
      if (frames === spec.frames) {
        elapsedMs = performance.now() - first
        finishIfDone()
      }
    })
  })
}
