/**
 * What a user writes for OKX books without a library: a bare `ws` client
 * (./frame-reader.ts), `JSON.parse`, and per instrument a sorted-array book:
 * the `books` snapshot replaces it, then each update must name the last
 * `seqId` as its `prevSeqId` (OKX's sequence rule; the checksum, 0 today, is
 * not read). Levels are `[px, sz, …]` text read with `Number()`, size 0
 * deleting. Trade ids are checked to be consecutive (each row one fill:
 * the session's rows carry no `count`).
 */
import { SortedArraySide } from '../../book/sorted-array.js'
import { emptyTallies } from '../session.js'
import { readFrames } from './frame-reader.js'
import { tallyTrade, type ContestantRun, type ContestantSpec, type Progress } from './run.js'

type Level = [string, string, string, string]

interface OkxMessage {
  readonly arg?: { readonly channel: string; readonly instId: string }
  readonly event?: string
  readonly action?: 'snapshot' | 'update'
  readonly data?: unknown[]
}

interface BookRow {
  readonly bids: Level[]
  readonly asks: Level[]
  readonly prevSeqId: number
  readonly seqId: number
}

class Book {
  readonly bids = new SortedArraySide(true)
  readonly asks = new SortedArraySide(false)
  /** The last `seqId` applied; undefined before the snapshot. */
  seqId: number | undefined
}

function applyLevels(side: SortedArraySide, levels: readonly Level[]): void {
  for (let i = 0; i < levels.length; i++) side.set(+levels[i]![0], +levels[i]![1])
}

export function runHandWrittenOkx(spec: ContestantSpec, progress: Progress): Promise<ContestantRun> {
  const books = new Map(spec.symbols.map((s) => [s, new Book()]))
  const tallies = emptyTallies(spec.symbols)
  const problems: string[] = []
  const onMessage = (message: OkxMessage): void => {
    if (message.event !== undefined || message.arg === undefined) return
    const symbol = message.arg.instId
    if (message.arg.channel === 'books') {
      const row = message.data![0] as BookRow
      const book = books.get(symbol)!
      if (message.action === 'snapshot') {
        book.bids.clear()
        book.asks.clear()
      } else if (row.prevSeqId !== book.seqId) {
        problems.push(`${symbol}: prevSeqId ${row.prevSeqId} after seqId ${book.seqId}`)
      }
      book.seqId = row.seqId
      applyLevels(book.bids, row.bids)
      applyLevels(book.asks, row.asks)
      tallies[symbol]!.bookEvents++
    } else if (message.arg.channel === 'trades') {
      for (const row of message.data as { tradeId: string }[]) tallyTrade(tallies[symbol]!, Number(row.tradeId), problems, symbol)
    }
  }
  return readFrames(spec, progress, {
    instrument: false,
    onMessage,
    finish: (elapsedMs, frames) => {
      const dump = Object.fromEntries([...books].map(([s, b]) => [s, { bids: b.bids.dump(), asks: b.asks.dump() }]))
      return { elapsedMs, frames, perSymbol: tallies, books: dump, problems }
    },
  })
}
