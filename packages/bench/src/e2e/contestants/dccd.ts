/**
 * dccd as a user runs it: `createFeed` of `@dccd/binance` (spot, or its
 * USDⓈ-M `futures`), `@dccd/kraken` or `@dccd/okx` with trades and books,
 * read through `feed.stream()`, with every check as shipped (Binance
 * update-id sync, Kraken CRC32 checksums, OKX's `seqId` chain, trade
 * continuity). With `keepBooks` the consumer also applies every event to
 * core's `OrderBookSet`, the way a consumer that wants books does.
 */
import { OrderBookSet } from '@dccd/core'
import type { BookLevel, Channel, Feed, MarketEvent } from '@dccd/core'
import { KRAKEN_DEPTH } from '../kraken-depth-book.js'
import { emptyTallies, type FlatBook } from '../session.js'
import { tallyTrade, type ContestantRun, type ContestantSpec, type Progress } from './run.js'

/**
 * The feed a user creates for this session, with the server's URLs. Binance's
 * symbols are validated against the venue's `exchangeInfo` before connecting,
 * as they are by default against Binance's own URLs (custom URLs turn the
 * default off): that request, outside the clock, is also what loads Node's
 * `fetch` (undici), so the first depth snapshot does not pay for it while the
 * stream floods (it took 400 ms instead of 90 in a fresh process; BENCHMARKS.md),
 * and the feed adopts the venue's REST weight limit. Other venues serve no
 * listing; `validateSymbols` forces validation there too.
 *
 * Only the adapter under test is loaded, as a user's process loads only the
 * adapters it uses: with all three, a Kraken contestant started its timed run
 * with an old generation ~3 MB larger, close enough to V8's first limit that
 * a full mark-compact (10 ms, plus 11–18 ms of incremental marking) fell into
 * its first 150 ms (`--trace-gc`; BENCHMARKS.md).
 */
export async function createE2eFeed(spec: ContestantSpec, validateSymbols = false): Promise<Feed> {
  const options = { symbols: [...spec.symbols], channels: ['trades', 'book'] as Channel[], wsUrl: spec.wsUrl, restUrl: spec.restUrl, validateSymbols }
  switch (spec.exchange) {
    // The venue floods one symbol at up to ~250,000 depth events/s, a thousand times a real `@100ms` stream, and
    // always serves the captured snapshot: a default 50,000-event buffer could outrun a snapshot answered late
    // on a loaded machine, and the snapshot would then never fit again (the run stalled, BENCHMARKS.md).
    case 'binance':
      return (await import('@dccd/binance')).exchange.createFeed({ ...options, validateSymbols: true, bookBufferLimit: spec.frames })
    case 'binance-futures':
      return (await import('@dccd/binance')).futures.createFeed({ ...options, validateSymbols: true, bookBufferLimit: spec.frames })
    case 'kraken':
      return (await import('@dccd/kraken')).exchange.createFeed({ ...options, bookDepth: KRAKEN_DEPTH })
    case 'okx':
      return (await import('@dccd/okx')).exchange.createFeed(options) // `books`: 400 levels, the capture's
  }
}

export async function runDccd(spec: ContestantSpec, progress: Progress, keepBooks: boolean, read: 'stream' | 'batches' = 'stream'): Promise<ContestantRun> {
  const feed = await createE2eFeed(spec)
  const books = keepBooks ? new OrderBookSet() : undefined
  const tallies = emptyTallies(spec.symbols)
  const problems: string[] = []
  let events = 0
  let first = 0
  let last = 0
  // Binance's feed also says how far its books synced (snapshots queued, in flight, fetched).
  progress.describe = () => JSON.stringify({ tallies, problems, stats: feed.stats, books: (feed as { bookProgress?: unknown }).bookProgress })
  /** Counts one event; true once the run has all it waits for. */
  const handle = (event: MarketEvent): boolean => {
    if (event.type === 'book') {
      tallies[event.symbol]!.bookEvents++
      books?.apply(event)
    } else if (event.type === 'trade') {
      tallyTrade(tallies[event.symbol]!, Number(event.id), problems, event.symbol)
    } else {
      if (event.type === 'status' && event.status !== 'connected') problems.push(`status ${event.status}: ${event.symbol ?? ''} ${event.reason ?? ''}`)
      return false
    }
    if (events === 0) first = performance.now()
    progress.items = ++events
    if (events < spec.events) return false
    last = performance.now()
    return true
  }
  if (read === 'batches') {
    // A batch may run past the last counted event; the rest is not read.
    reading: for await (const batch of feed.batches!()) {
      for (let i = 0; i < batch.length; i++) if (handle(batch[i]!)) break reading // ends the stream: stop() closes the socket
    }
  } else {
    for await (const event of feed.stream()) if (handle(event)) break // ends the stream: stop() closes the socket
  }
  const dump: Record<string, FlatBook> = {}
  for (const symbol of spec.symbols) {
    const book = books?.get(spec.exchange, symbol)
    if (book !== undefined) dump[symbol] = { bids: flat(book.bids()), asks: flat(book.asks()) }
  }
  return { elapsedMs: last - first, perSymbol: tallies, ...(keepBooks ? { books: dump } : {}), problems }
}

// Not book/impls.ts's dumpOrderBook: importing it would load the peer libraries into every contestant process.
const flat = (levels: readonly BookLevel[]): number[] => levels.flatMap((l) => [l.price, l.amount])
