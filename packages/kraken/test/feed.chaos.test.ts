/**
 * Seeded fault injection against a simulated live Kraken market (support/chaos-market.ts): three
 * symbols whose books overflow the subscribed depth and who trade with consecutive ids, while the
 * market drops, closes and stalls connections (mid-tick and mid-handshake), corrupts a level or a
 * checksum, sends malformed frames, throttles REST, skips trade frames on the healthy socket, and
 * holds a REST trade recovery while the socket dies or two unreadable trade frames hit
 * (support/chaos-trade-faults.ts). Whatever happens, the product's promises hold: the book a consumer
 * builds from the events is never silently wrong (invariant A), and no trade is silently lost or
 * repeated (invariant B); see support/chaos-invariants.ts and support/chaos-lost-trades.ts.
 *
 * A failing seed prints its fault plan and what struck when; rerun it alone with
 * `pnpm vitest run --project kraken feed.chaos -t "seed 3:"`. The market's moves replay exactly per
 * seed; the tick a fault lands on can shift with timing.
 */
import type { MarketEvent } from '@dccd/core'
import { FakeExchange } from '@dccd/testkit'
import { afterEach, describe, expect, it } from 'vitest'
import type { KrakenFeed } from '../src/index.js'
import { everySeed } from './support/chaos-faults.js'
import type { DuringRecovery } from './support/chaos-faults.js'
import { bookViolations, connectionViolations, resyncViolations, tradeViolations } from './support/chaos-invariants.js'
import { dropWindowViolations, lostTradeViolations, recoveryViolations, runsSeen } from './support/chaos-lost-trades.js'
import { ChaosMarket } from './support/chaos-market.js'
import { collect, feedFor } from './support/feed-harness.js'
import { MALFORMED_FRAMES } from './support/malformed-frames.js'
import type { PairSpec } from './support/market-book.js'

// Three price precisions, 1e-8 quantities (written `1e-8` in JSON), and REST names with XBT and XDG.
const PAIRS: readonly PairSpec[] = [
  { symbol: 'BTC/USD', pricePrecision: 1, qtyPrecision: 8, midTick: 600_000 },
  { symbol: 'ETH/EUR', pricePrecision: 2, qtyPrecision: 8, midTick: 300_000 },
  { symbol: 'DOGE/USD', pricePrecision: 7, qtyPrecision: 8, midTick: 1_500_000 },
]
const SYMBOLS = PAIRS.map((pair) => pair.symbol)

/** What each symbol must show, stamped after the last fault, before a run ends: proof the feed recovered. */
const RECOVERED_BOOKS = 20
const RECOVERED_TRADES = 5

interface ChaosCase {
  readonly seed: number
  readonly depth: 10 | 25
  readonly restTrades: 'ok' | 'fail'
  readonly tradeSnapshot: boolean
  /** REST Trades rows per page; small makes a recovery read several pages (each a second: the feed paces them). */
  readonly pageSize: number
  /** What strikes while a REST trade recovery is held: the socket dies, or two unreadable trade frames ~250 ms apart. */
  readonly duringRecovery: DuringRecovery
}

const CASES: readonly ChaosCase[] = [
  { seed: 1, depth: 10, restTrades: 'ok', tradeSnapshot: false, pageSize: 1000, duringRecovery: 'terminate' },
  { seed: 2, depth: 25, restTrades: 'ok', tradeSnapshot: true, pageSize: 1000, duringRecovery: 'unreadable' },
  { seed: 3, depth: 25, restTrades: 'ok', tradeSnapshot: false, pageSize: 60, duringRecovery: 'terminate' },
  { seed: 4, depth: 10, restTrades: 'ok', tradeSnapshot: true, pageSize: 1000, duringRecovery: 'unreadable' },
  { seed: 5, depth: 25, restTrades: 'fail', tradeSnapshot: false, pageSize: 1000, duringRecovery: 'unreadable' },
  { seed: 6, depth: 10, restTrades: 'fail', tradeSnapshot: true, pageSize: 1000, duringRecovery: 'terminate' },
]

describe('KrakenFeed under seeded faults', () => {
  let fx: FakeExchange | undefined
  let market: ChaosMarket | undefined
  let feed: KrakenFeed | undefined

  afterEach(async () => {
    market?.stop()
    await feed?.stop()
    await fx?.close()
    fx = market = feed = undefined
  })

  const title = 'seed $seed: depth $depth, REST Trades $restTrades (pages of $pageSize), tradeSnapshot $tradeSnapshot, $duringRecovery during a recovery'
  it.each(CASES)(title, async ({ seed, depth, restTrades, tradeSnapshot, pageSize, duringRecovery }) => {
    fx = await FakeExchange.start()
    const chaos = (market = new ChaosMarket(fx, { seed, pairs: PAIRS, depth, restTrades, restPageSize: pageSize, duringRecovery }))
    feed = feedFor(fx, {
      symbols: SYMBOLS,
      channels: ['trades', 'book'],
      bookDepth: depth,
      tradeSnapshot,
      // Fast liveness and reconnects: a stalled connection is noticed within about 140 ms. Not much faster: the
      // market shares the event loop, so a long GC pause would look like a stall too (harmless, but noise).
      pingIntervalMs: 40,
      staleTimeoutMs: 100,
      initialBackoffMs: 5,
      maxBackoffMs: 20,
      jitter: 0.5,
      closeTimeoutMs: 50,
    })
    // Ends early once the market saw something it should not have: waiting on would only turn that into a timeout.
    const done = (seen: MarketEvent[]): boolean => chaos.unexpected.length > 0 || chaos.recoveredIn(seen, RECOVERED_BOOKS, RECOVERED_TRADES)
    const events = await collect(feed, done, 12_000).catch((error: Error) => {
      throw new Error(`${error.message}\n${runReport(chaos, seed)}`)
    })
    chaos.stop()
    const report = runReport(chaos, seed)

    // The invariants. Each list names every violation with its event index; soft, so one run shows them all.
    expect.soft(chaos.unexpected, report).toEqual([])
    expect.soft(bookViolations(events, chaos), report).toEqual([])
    expect.soft(tradeViolations(events, chaos, { restTrades, tradeSnapshot }), report).toEqual([])
    expect.soft(resyncViolations(events, chaos, SYMBOLS), report).toEqual([])
    expect.soft(connectionViolations(events), report).toEqual([])
    // Trades lost on a live connection: each a hole fetched from REST (recovered, or exactly one gap), and no reconnect.
    expect.soft(lostTradeViolations(events, chaos, restTrades), report).toEqual([])
    expect.soft(dropWindowViolations(events, chaos), report).toEqual([])
    expect.soft(recoveryViolations(chaos), report).toEqual([])

    // The run exercised what it claims: every kind of fault struck, and the feed saw the effects.
    // A level corruption included: it waits for a tick whose update sets a top-10 level (it used to turn into a checksum
    // one instead, and seed 3 at depth 25 then corrupted no level in 1 of 2 measured runs).
    const struck = new Set(chaos.faults.map((fault) => fault.kind))
    for (const kind of everySeed(duringRecovery)) expect(struck, report).toContain(kind)
    expect(events.some((event) => event.type === 'status' && event.status === 'resync'), report).toBe(true)
    const stalls = chaos.faults.filter((fault) => fault.kind === 'stall').length
    expect(feed.stats.staleTimeouts, report).toBeGreaterThanOrEqual(stalls)
    // Malformed and unreadable trade frames: one parse error each, for every one the feed demonstrably read, and never more than were sent.
    const seen = chaos.framesSeen(events)
    const isRead = (frame: { connection: number; seq: number }): boolean => (seen.get(frame.connection) ?? 0) > frame.seq
    const read = chaos.malformed.filter(isRead).length
    const unreadable = chaos.unreadable.filter(isRead).length
    expect(new Set(chaos.malformed.map((frame) => frame.name)).size, report).toBe(MALFORMED_FRAMES.length)
    expect(read, report).toBeGreaterThan(0)
    expect(unreadable, report).toBe(duringRecovery === 'unreadable' ? 2 : 0)
    expect(feed.stats.parseErrors, report).toBeGreaterThanOrEqual(read + unreadable)
    expect(feed.stats.parseErrors, report).toBeLessThanOrEqual(chaos.malformed.length + chaos.unreadable.length)
    // The trade faults bit: the feed read past a skipped run on the healthy socket (so it saw that hole there), and past the recovery fault's.
    const bit = runsSeen(events, chaos)
    expect(bit.some((run) => run.how.every((how) => how === 'withheld')), report).toBe(true)
    for (const fault of chaos.faults.filter((f) => f.kind.startsWith('recovery-'))) expect(bit.some((run) => fault.runs?.includes(run)), report).toBe(true)
    // Trades: the first disconnect outran the snapshot for every symbol, so REST recovery ran.
    const answers = new Set(chaos.restCalls.map((call) => call.answer))
    if (restTrades === 'ok') {
      expect([...answers].sort(), report).toEqual(['page', 'throttled'])
      // With short pages some recovery went on from a page's `last` cursor (1 ns before it: trades sharing that time are asked again).
      const cursors = new Set(chaos.restCalls.map((call) => `${call.symbol} ${call.last}`))
      const paged = chaos.restCalls.some((call) => /^\d+$/.test(call.since) && cursors.has(`${call.symbol} ${BigInt(call.since) + 1n}`))
      expect(paged, report).toBe(pageSize < 100)
    } else {
      expect([...answers], report).toEqual(['error'])
      expect(events.some((event) => event.type === 'status' && event.status === 'gap'), report).toBe(true)
    }
    // Recovered: collect() returned only once every symbol had RECOVERED_BOOKS book events and RECOVERED_TRADES
    // trades stamped after the last fault, and it awaited feed.stop() (a hang would have timed out). Nothing is left open.
    expect(chaos.recoveredIn(events, RECOVERED_BOOKS, RECOVERED_TRADES)).toBe(true)
    expect(feed.stats.openConnections).toBe(0)
    await fx.waitUntil(() => fx!.openConnections === 0)
  })
})

/** The seed, its plan, what struck and the state of trade recovery, for failure messages. */
function runReport(market: ChaosMarket, seed: number): string {
  const faults = market.faults.map((fault) => `  ${fault.ms} ms: ${fault.kind} on connection ${fault.connection}: ${fault.detail}`)
  const inProgress = market.faultInProgress
  const calls = market.restCalls.map((call) => {
    const ids = call.firstId === undefined ? '' : ` ${call.firstId}..${call.lastId}`
    return `${call.ms} ms ${call.symbol} since ${call.since} ${call.answer}${call.held ? ' (held)' : ''}${ids}`
  })
  return [
    `seed ${seed}; plan: ${market.plan.join(', ')} (${market.ticks} ticks)`,
    'struck:',
    ...faults,
    ...(inProgress === undefined ? [] : [`in progress: ${inProgress}`]),
    `REST Trades calls (answered at): ${calls.join('; ') || 'none'}`,
    `now: ${market.elapsedMs} ms`,
  ].join('\n')
}
