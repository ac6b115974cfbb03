/**
 * What a user writes for Kraken v2 books without a library: a bare `ws`
 * client, `JSON.parse`, and per symbol a sorted-array book cut to the
 * subscribed depth (../kraken-depth-book.ts). With `verifyChecksums` it also
 * subscribes to `instrument` for the precisions and checks every entry's
 * CRC32 the plain way (`toFixed`, strip, `zlib.crc32`); without it, it trusts
 * the stream, as the hand-written Kraken client did. Trade ids are
 * checked to be consecutive.
 */
import { KrakenDepthBook, type KrakenBookEntry, type KrakenPair } from '../kraken-depth-book.js'
import { emptyTallies } from '../session.js'
import { tallyTrade, type ContestantRun, type ContestantSpec, type Progress } from './run.js'
import { readFrames } from './frame-reader.js'

interface KrakenMessage {
  readonly channel?: string
  readonly type?: string
  readonly data?: unknown
}

/** Without checksums the precisions are never read. */
const NO_PRECISION: Omit<KrakenPair, 'symbol'> = { price_precision: 0, qty_precision: 0 }

export function runHandWrittenKraken(spec: ContestantSpec, progress: Progress, verifyChecksums: boolean): Promise<ContestantRun> {
  const books = new Map<string, KrakenDepthBook>()
  if (!verifyChecksums) for (const symbol of spec.symbols) books.set(symbol, new KrakenDepthBook({ symbol, ...NO_PRECISION }))
  const tallies = emptyTallies(spec.symbols)
  const problems: string[] = []
  const onMessage = (message: KrakenMessage): void => {
    if (message.channel === 'book') {
      const entries = message.data as KrakenBookEntry[]
      for (let i = 0; i < entries.length; i++) {
        const entry = entries[i]!
        const book = books.get(entry.symbol)!
        book.apply(entry, message.type === 'snapshot')
        if (verifyChecksums && book.checksum() !== entry.checksum) problems.push(`${entry.symbol}: checksum mismatch`)
        tallies[entry.symbol]!.bookEvents++
      }
    } else if (message.channel === 'trade') {
      for (const trade of message.data as { symbol: string; trade_id: number }[]) tallyTrade(tallies[trade.symbol]!, trade.trade_id, problems, trade.symbol)
    } else if (message.channel === 'instrument') {
      for (const pair of (message.data as { pairs: KrakenPair[] }).pairs) if (spec.symbols.includes(pair.symbol)) books.set(pair.symbol, new KrakenDepthBook(pair))
    }
  }
  return readFrames(spec, progress, {
    instrument: verifyChecksums,
    onMessage,
    finish: (elapsedMs, frames) => {
      const dump = Object.fromEntries([...books].map(([s, b]) => [s, b.dump()]))
      return { elapsedMs, frames, perSymbol: tallies, books: dump, problems }
    },
  })
}
