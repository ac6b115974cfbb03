/** Running a KrakenFeed against the testkit's fake exchange and reading what it yields. */
import { microsToIso, OrderBook } from '@dccd/core'
import type { MarketEvent } from '@dccd/core'
import { FakeExchange } from '@dccd/testkit'
import { KrakenFeed } from '../../src/index.js'
import type { KrakenFeedOptions } from '../../src/index.js'
import { ReferenceBook } from '../../scripts/reference-book.js'
import type { SessionLine } from '../../scripts/session.js'

/** Starts a fake exchange for `body` and always closes it. */
export async function withFake(body: (fx: FakeExchange) => Promise<void>): Promise<void> {
  const fx = await FakeExchange.start()
  try {
    await body(fx)
  } finally {
    await fx.close()
  }
}

/** A feed against `fx` with heartbeats off and quick reconnects; `options` win. */
export function feedFor(fx: FakeExchange, options: Partial<KrakenFeedOptions> & Pick<KrakenFeedOptions, 'symbols'>): KrakenFeed {
  return new KrakenFeed({
    channels: ['trades', 'book'],
    wsUrl: fx.wsUrl,
    restUrl: fx.restUrl,
    pingIntervalMs: 0,
    initialBackoffMs: 20,
    maxBackoffMs: 100,
    ...options,
  })
}

/**
 * Reads the feed until `done(events)` holds, then stops it. Rejects with the
 * stream's error, or after `timeoutMs` (a hang shows up as a failure, not a stuck run).
 */
export async function collect(feed: KrakenFeed, done: (events: MarketEvent[]) => boolean, timeoutMs = 10_000): Promise<MarketEvent[]> {
  const events: MarketEvent[] = []
  const iterator = feed.stream()
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${events.length} events: ${JSON.stringify(events.slice(-3))}`)), timeoutMs)
  })
  try {
    while (!done(events)) {
      const result = await Promise.race([iterator.next(), timeout])
      if (result.done === true) throw new Error(`stream ended after ${events.length} events`)
      events.push(result.value)
    }
    return events
  } finally {
    clearTimeout(timer)
    await feed.stop()
  }
}

/** The first error the stream rejects with (fails when it yields a non-status event first). */
export async function streamError(feed: KrakenFeed, timeoutMs = 10_000): Promise<{ error: unknown; before: MarketEvent[] }> {
  const before: MarketEvent[] = []
  try {
    await collect(
      feed,
      (events) => {
        const last = events.at(-1)
        if (last !== undefined && last.type !== 'status') throw new Error(`a ${last.type} event flowed: ${JSON.stringify(last)}`)
        before.splice(0, before.length, ...events)
        return false
      },
      timeoutMs,
    )
  } catch (error) {
    if (error instanceof Error && /a \w+ event flowed|timed out|stream ended/.test(error.message)) throw error
    return { error, before }
  }
  throw new Error('unreachable')
}

/** The sentinel's quantity: no captured or generated trade has it. */
const SENTINEL_QTY = 0.000123454321

/**
 * A trade frame to append to a session: reading until it arrives means everything before it
 * was processed. Its id follows the session's last trade of `symbol` (every trade is checked
 * for a hole), and its time the session's end.
 */
export function sentinelTrade(session: readonly SessionLine[], symbol: string): SessionLine {
  let lastId = 0
  for (const line of session) {
    const data = line.data as { channel?: string; data?: { symbol: string; trade_id: number }[] } | undefined
    if (line.dir !== 'in' || data?.channel !== 'trade') continue
    for (const trade of data.data ?? []) if (trade.symbol === symbol && trade.trade_id > lastId) lastId = trade.trade_id
  }
  const t = session.at(-1)?.t ?? 0
  return {
    t,
    dir: 'in',
    data: {
      channel: 'trade',
      type: 'update',
      data: [{ symbol, side: 'buy', price: 1, qty: SENTINEL_QTY, ord_type: 'limit', trade_id: lastId + 1, timestamp: microsToIso(Math.round(t * 1000)) }],
    },
  }
}

export const isSentinel = (event: MarketEvent | undefined): boolean => event?.type === 'trade' && event.amount === SENTINEL_QTY

/** Books built by a consumer from the feed's book events alone (a resync drops the symbol's book). */
export function consumerBooks(events: readonly MarketEvent[]): Map<string, OrderBook> {
  const books = new Map<string, OrderBook>()
  for (const event of events) {
    if (event.type === 'status' && event.status === 'resync' && event.symbol !== undefined) books.get(event.symbol)?.clear()
    if (event.type !== 'book') continue
    let book = books.get(event.symbol)
    if (book === undefined) books.set(event.symbol, (book = new OrderBook()))
    book.apply(event)
  }
  return books
}

/** Books rebuilt naively from a session's raw book frames, cut to `depth` after each message. */
export function referenceBooks(session: readonly SessionLine[], depth: number): Map<string, ReferenceBook> {
  const books = new Map<string, ReferenceBook>()
  for (const line of session) {
    if (line.dir !== 'in' || line.data?.channel !== 'book') continue
    for (const entry of line.data.data) {
      let book = books.get(entry.symbol)
      if (book === undefined) books.set(entry.symbol, (book = new ReferenceBook()))
      if (line.data.type === 'snapshot') book.load(entry.bids, entry.asks)
      else book.apply(entry.bids, entry.asks)
      book.truncate(depth)
    }
  }
  return books
}
