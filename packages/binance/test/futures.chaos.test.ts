/**
 * Chaos on a generated COIN-M market (support/coinm-market.ts): update ids
 * shared with contracts nobody watches, so only `pu` proves a book
 * contiguous. Seeded faults hit the feed while it streams: depth events
 * missing on a healthy socket, sockets killed, snapshots answered 429 or
 * older than the buffered stream, trades missing on a healthy socket. Every
 * event the feed emits is checked as it is read (support/feed-checker.ts):
 * after every book event the consumer's book equals the generator's at the
 * id the event brings it to, and no trade is lost or repeated.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { FakeExchange, SeededRandom } from '@dccd/testkit'
import type { FakeConnection } from '@dccd/testkit'
import { BinanceDeliveryFeed } from '../src/index.js'
import { CoinmMarket } from './support/coinm-market.js'
import type { CoinmSnapshotFault } from './support/coinm-market.js'
import { FeedChecker } from './support/feed-checker.js'
import { Reader } from './support/reader.js'
import { readChaosRun } from './support/chaos-run.js'

const SYMBOLS = ['BTCUSD_PERP', 'ETHUSD_PERP', 'BTCUSD_250627']
/** Deltas and trades every symbol must deliver after the last fault: the feed recovered, it did not just survive. */
const AFTER_LAST_FAULT = 20
const FEED_OPTIONS = {
  initialBackoffMs: 10,
  maxBackoffMs: 40,
  jitter: 0,
  closeTimeoutMs: 100,
  bookSnapshotLimit: 100,
  // Reads the market's exchangeInfo (6000/min): snapshots and recoveries stay far inside the budget.
  validateSymbols: true,
}

type FaultKind = { kind: 'drop' | 'terminate' | 'tradeSkip' } | { kind: 'snapshot'; snapshot: CoinmSnapshotFault }
type Fault = FaultKind & { symbol: string; afterTicks: number }

/** Every kind at least once (a 429 and a stale snapshot each come with a drop that makes the feed ask), then seeded extras, in seeded order. */
function planFaults(prng: SeededRandom): Fault[] {
  const base: FaultKind[] = [
    { kind: 'drop' },
    { kind: 'drop' },
    { kind: 'terminate' },
    { kind: 'tradeSkip' },
    { kind: 'tradeSkip' },
    { kind: 'snapshot', snapshot: '429' },
    { kind: 'snapshot', snapshot: 'stale' },
  ]
  for (let n = prng.int(1, 3); n > 0; n--) base.push(prng.pick(base))
  return prng.shuffle(base).map((fault) => ({ ...fault, symbol: prng.pick(SYMBOLS), afterTicks: prng.int(3, 30) }))
}

let fx: FakeExchange | undefined
let market: CoinmMarket | undefined
let feed: BinanceDeliveryFeed | undefined
afterEach(async () => {
  market?.stop()
  await feed?.stop()
  await fx?.close()
  fx = market = feed = undefined
})

async function chaos(seed: number) {
  const prng = new SeededRandom(seed)
  const label = `seed ${seed}`
  fx = await FakeExchange.start()
  const m = (market = new CoinmMarket(fx, { symbols: SYMBOLS, tickMs: 5, prng: prng.fork(), restPrng: prng.fork() }))
  const plan = planFaults(prng.fork())
  // The first snapshot of one symbol is refused once: the feed waits out Retry-After and asks again.
  m.armSnapshotFault(SYMBOLS[0]!, '429')
  const f = (feed = new BinanceDeliveryFeed({ symbols: SYMBOLS, channels: ['trades', 'book'], wsUrl: fx.wsUrl, restUrl: fx.restUrl, ...FEED_OPTIONS }))
  const checker = new FeedChecker(m, SYMBOLS, label, 'binance-delivery')
  const reader = new Reader(f, 15_000)
  const applied: string[] = []
  let disconnects = 0

  const live = (): FakeConnection | undefined => {
    const connection = m.newest()
    return connection !== undefined && f.bookProgress.live === SYMBOLS.length && fx!.openConnections === 1 ? connection : undefined
  }
  async function drive(): Promise<void> {
    for (const fault of plan) {
      const start = m.ticks
      await m.untilTick(() => m.ticks >= start + fault.afterTicks && live() !== undefined && m.pending === 0)
      const connection = live()!
      applied.push(`tick ${m.ticks}: ${fault.kind}${fault.kind === 'snapshot' ? ` ${fault.snapshot}` : ''} ${fault.symbol}`)
      const resyncs = checker.resyncs.length
      switch (fault.kind) {
        case 'terminate':
          connection.terminate()
          disconnects++
          break
        case 'tradeSkip':
          m.skipNextTrade(connection, fault.symbol)
          break
        case 'snapshot':
          m.armSnapshotFault(fault.symbol, fault.snapshot)
          m.dropNextDepth(connection, fault.symbol)
          break
        case 'drop':
          m.dropNextDepth(connection, fault.symbol)
          break
      }
      // Each fault settles before the next: its resync is out (and, for a trade, the trade after the hole).
      if (fault.kind === 'drop' || fault.kind === 'snapshot') await m.untilTick(() => checker.resyncs.length > resyncs)
      if (fault.kind === 'tradeSkip') {
        await m.untilTick(() => m.pending === 0)
        const skipped = m.skippedTrades.at(-1)!
        await m.untilTick(() => (checker.progress(skipped.symbol).lastTrade ?? 0) > skipped.id)
      }
    }
    await m.untilTick(() => m.pending === 0 && live() !== undefined)
  }

  const context = (): string => `\n  plan applied: ${applied.join(' | ')}\n  state: ${checker.describe()}`
  await readChaosRun({ reader, checker, market: m, symbols: SYMBOLS, afterLastFault: AFTER_LAST_FAULT, drive, label, context })
  return { m, checker, label, disconnects, context }
}

describe('BinanceDeliveryFeed under chaos on a generated COIN-M market', () => {
  it.each([11, 12, 13])('seed %i: books equal the generator\'s after every event, resyncs only where pu broke or a socket died, no trade lost or repeated', async (seed) => {
    const { m, checker, label, disconnects, context } = await chaos(seed)
    try {
      // Each dropped depth event: one resync of its symbol, naming the pu it expected and the one it got.
      expect(m.dropped.length, label).toBeGreaterThanOrEqual(4)
      expect(
        checker.resyncs.filter((r) => r.reason.startsWith('gap:')).map((r) => [r.symbol, r.reason]),
        label,
      ).toEqual(m.dropped.map((d) => [d.symbol, expect.stringContaining(`expected an event with pu ${d.previous}, got pu ${d.final}`)]))
      for (const r of checker.resyncs) if (!r.reason.startsWith('gap:')) expect(r.reason, label).toMatch(/^connection lost: /)
      expect(disconnects, label).toBeGreaterThanOrEqual(1)
      // Refused and stale snapshots were asked again; no stale one reached the consumer.
      expect(m.snapshotFaultsServed.filter((fault) => fault === '429').length, label).toBeGreaterThanOrEqual(2)
      expect(m.staleServed.length, label).toBeGreaterThanOrEqual(1)
      for (const { symbol, lastUpdateId } of m.staleServed) expect(checker.snapshotIds.get(symbol), label).not.toContain(lastUpdateId)
      // Trades skipped on a healthy socket were recovered from /dapi/v1/aggTrades: emitted, no gap.
      expect(m.skippedTrades.length, label).toBeGreaterThanOrEqual(2)
      for (const { symbol, id } of m.skippedTrades) expect(checker.tradeOutcome(symbol, id), `${label}: ${symbol} trade ${id}`).toBe('trade')
      expect(checker.gaps, label).toEqual([])
      for (const symbol of SYMBOLS) expect(checker.book(symbol).valid, `${label}: ${symbol} book live at the end`).toBe(true)
    } catch (error) {
      if (error instanceof Error) error.message += context()
      throw error
    }
  })
})
