/**
 * A feed on a simulated OKX, read by an `EventCollector`, with the checks the feed tests share:
 * the consumer's books (built from the emitted events alone) against the simulator's true books,
 * and which fills the emitted trades account for.
 */
import type { BookEvent, MarketEvent, StatusEvent, TradeEvent } from '@dccd/core'
import { EventCollector, ReferenceBook } from '@dccd/testkit/helpers'
import { exchange } from '../../src/index.js'
import type { OkxFeedOptions } from '../../src/index.js'
import { SimulatedOkx } from './simulated-okx.js'
import type { SimulatedOkxOptions } from './simulated-okx.js'

export interface Harness {
  readonly sim: SimulatedOkx
  readonly collector: EventCollector
  readonly events: MarketEvent[]
  /** True when the consumer's book of `instId` equals OKX's true book. */
  bookMatches(instId: string): boolean
  /** Waits until every given instrument's consumer book equals the true one. */
  booksMatch(instIds: readonly string[]): Promise<void>
  statuses(status: StatusEvent['status'], symbol?: string): StatusEvent[]
  trades(instId: string): TradeEvent[]
  /** Fill ids the emitted trades of `instId` stand for (a live row: its count of fills ending at its id), in order. */
  coveredFills(instId: string): number[]
  close(): Promise<void>
}

/** Starts a simulated OKX and a feed on it (fast reconnects, URLs pointing at the simulator). */
export async function startHarness(feed: Partial<OkxFeedOptions> & Pick<OkxFeedOptions, 'symbols' | 'channels'>, sim: SimulatedOkxOptions = {}): Promise<Harness> {
  const simulator = await SimulatedOkx.start({ idleCloseMs: Infinity, ...sim })
  const options: OkxFeedOptions = { wsUrl: simulator.url, restUrl: simulator.restUrl, initialBackoffMs: 10, maxBackoffMs: 50, jitter: 0, ...feed }
  const collector = new EventCollector(exchange.createFeed(options), { timeoutMs: 8000 })
  const consumerBook = (instId: string): ReferenceBook => {
    const book = new ReferenceBook()
    for (const event of collector.events) if (event.type === 'book' && event.symbol === instId) book.apply(event as BookEvent)
    return book
  }
  const harness: Harness = {
    sim: simulator,
    collector,
    events: collector.events,
    bookMatches(instId) {
      const truth = simulator.bookOf(instId)
      const book = consumerBook(instId)
      const same = (levels: readonly (readonly [string, string, ...string[]])[], mine: readonly { price: number; amount: number }[]): boolean =>
        levels.length === mine.length && levels.every((level, i) => Number(level[0]) === mine[i]!.price && Number(level[1]) === mine[i]!.amount)
      return same(truth.bids, book.bids()) && same(truth.asks, book.asks())
    },
    async booksMatch(instIds) {
      await collector.until(() => instIds.every((instId) => harness.bookMatches(instId)), `books of ${instIds.join(', ')} equal to OKX's`)
    },
    statuses: (status, symbol) =>
      collector.events.filter((e): e is StatusEvent => e.type === 'status' && e.status === status && (symbol === undefined || e.symbol === symbol)),
    trades: (instId) => collector.events.filter((e): e is TradeEvent => e.type === 'trade' && e.symbol === instId),
    coveredFills(instId) {
      const rows = new Map(simulator.pushedTrades(instId).map((row) => [row.tradeId, row]))
      return harness.trades(instId).flatMap((trade) => {
        const id = Number(trade.id)
        const row = rows.get(trade.id)
        // A recovered fill shares its id with the row it was the last fill of, but not the row's total size.
        const count = row !== undefined && Number(row.sz) === trade.amount ? Number(row.count) : 1
        return Array.from({ length: count }, (_, k) => id - count + 1 + k)
      })
    },
    async close() {
      await collector.feed.stop()
      await simulator.close()
    },
  }
  return harness
}
