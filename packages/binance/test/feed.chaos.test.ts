/**
 * Chaos: a seeded market streams three symbols while the exchange misbehaves at
 * random moments (sockets killed or hung, a depth event missing, malformed frames,
 * snapshots refused, late or too old, reconnects refused, replays on resume, trades
 * skipped on a healthy socket, a socket killed while a trade hole is being recovered;
 * see support/chaos-plan.ts), and every event the feed emits is checked as it is read
 * (see support/feed-checker.ts): books are never silently wrong, trades are never
 * silently lost or duplicated. A failing seed replays the same market and the same
 * fault plan (timing may differ).
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { MarketEvent } from '@dccd/core'
import { FakeExchange } from '@dccd/testkit'
import type { FakeConnection } from '@dccd/testkit'
import { BinanceFeed } from '../src/index.js'
import { ChaosMarket } from './support/chaos-market.js'
import { describeFault, planFaults } from './support/chaos-plan.js'
import type { Fault } from './support/chaos-plan.js'
import { FeedChecker } from './support/feed-checker.js'
import { SeededRandom } from '@dccd/testkit'
import { Reader } from './support/reader.js'
import { readChaosRun } from './support/chaos-run.js'
import type { DroppedTrade } from './support/trade-faults.js'

const SYMBOLS = ['BTCUSDT', 'ETHUSDT', 'BNBUSDT']
const TICK_MS = 5
/** Deltas and trades every symbol must deliver after the last fault: the feed recovered, it did not just survive. */
const AFTER_LAST_FAULT = 20
/** Events to wait for a fault's visible effect (a resync, a parse error) before going on without it; the end checks then fail with a precise message instead of a timeout. */
const SETTLE_EVENTS = 60

const FEED_OPTIONS = {
  // Reconnect at once, and call a hung socket stale within ~0.2 s, so many faults fit in a short run.
  initialBackoffMs: 10,
  maxBackoffMs: 40,
  jitter: 0,
  closeTimeoutMs: 100,
  pingIntervalMs: 50,
  staleTimeoutMs: 150,
  bookSnapshotLimit: 100,
  // Reads the market's exchangeInfo (6000/min): the run's snapshots and recoveries stay far inside the budget.
  validateSymbols: true,
}

let fx: FakeExchange | undefined
let market: ChaosMarket | undefined
let feed: BinanceFeed | undefined
afterEach(async () => {
  market?.stop()
  await feed?.stop()
  await fx?.close()
  fx = market = feed = undefined
})

/** One chaos run; resolves with what the end checks need. */
async function chaos(seed: number, historicalTrades: 'served' | 'failing') {
  const prng = new SeededRandom(seed)
  const label = `seed ${seed} (historicalTrades ${historicalTrades})`
  fx = await FakeExchange.start()
  const m = (market = new ChaosMarket(fx, { symbols: SYMBOLS, tickMs: TICK_MS, prng: prng.fork(), restPrng: prng.fork(), historicalTrades }))
  const plan = planFaults(prng.fork(), SYMBOLS)
  for (const { symbol, fault } of plan.initialSnapshotFaults) m.armSnapshotFault(symbol, fault)
  // The class rather than exchange.createFeed: the driver reads bookProgress and the transport's staleTimeouts.
  const f = (feed = new BinanceFeed({ symbols: SYMBOLS, channels: ['trades', 'book'], wsUrl: fx.wsUrl, restUrl: fx.restUrl, ...FEED_OPTIONS }))
  const checker = new FeedChecker(m, SYMBOLS, label)
  const reader = new Reader(f, 12_000)

  const applied: string[] = []
  let phase = 'starting'
  let expectedParseErrors = 0
  let disconnects = 0
  let stalls = 0
  /** Per trade-drop fault: the trades skipped, and the feed's reconnects and the server's connections before and after it. */
  const tradeDrops: Array<{ fault: string; dropped: DroppedTrade[]; reconnects: [number, number]; connections: [number, number] }> = []

  /** Applies the plan at market ticks; every wait is on the market's clock or on events read. */
  async function drive(): Promise<void> {
    for (const fault of plan.faults) {
      phase = `waiting to apply ${describeFault(fault)}`
      await m.afterTicks(fault.afterTicks)
      await m.untilTick(() => ready(fault))
      applied.push(`tick ${m.ticks}: ${describeFault(fault)}`)
      phase = `settling ${describeFault(fault)}`
      await apply(fault, m.newestLive()!)
    }
    phase = 'waiting for every armed fault to be served'
    await m.untilTick(() => m.pendingSnapshotFaults === 0 && !m.replayPending && m.pendingDrops === 0 && m.pendingTradeDrops === 0)
    phase = 'waiting for recovery after the last fault'
  }

  function ready(fault: Fault): boolean {
    const connection = m.newestLive()
    if (connection === undefined || connection.sentCount === 0) return false
    // A drop must hit a live book on the only socket, so its resync can be asserted exactly.
    if (fault.kind === 'drop') return f.bookProgress.live === SYMBOLS.length && fx!.openConnections === 1
    // Trades skipped once every symbol traded on a socket the feed has taken up: each skipped id is then
    // a hole (never a symbol's first trade), and the reconnect counter read now is final.
    if (fault.kind === 'tradeDrop' || fault.kind === 'recoveryDisconnect') {
      return checker.streaming && SYMBOLS.every((s) => checker.progress(s).lastTrade !== undefined)
    }
    return true
  }

  /** Applies one fault and waits for its visible effect (or, for some, just for its moment). */
  async function apply(fault: Fault, connection: FakeConnection): Promise<void> {
    const before = checker.checked
    if (fault.snapshot !== undefined) m.armSnapshotFault(fault.symbol, fault.snapshot)
    switch (fault.kind) {
      case 'terminate':
        if (fault.replayTicks > 0) m.replayOnNextConnection(fault.replayTicks)
        if (fault.refuse > 0) fx!.refuseConnections(fault.refuse)
        connection.terminate()
        disconnects++
        return
      case 'stall':
        connection.stall()
        disconnects++
        stalls++
        return
      case 'drop':
        m.dropNextDepth(connection, fault.symbol)
        // Its resync, or enough later events that the end checks will say what is missing.
        await m.untilTick(
          () => m.pendingDrops === 0 && (checker.resyncs.some((r) => r.index >= before && r.symbol === fault.symbol) || checker.checked > before + SETTLE_EVENTS),
        )
        return
      case 'malformed':
        for (const malformed of fault.malformed) {
          connection.send(malformed.frame(m, fault.symbol))
          if (malformed.parseError) expectedParseErrors++
        }
        // Frames on one socket arrive in order: once later events are read, the malformed ones were parsed.
        await m.untilTick(() => f.stats.parseErrors >= expectedParseErrors || checker.checked > before + SETTLE_EVENTS)
        return
      case 'tradeDrop':
        return dropTrades(fault, connection)
      case 'recoveryDisconnect':
        return disconnectDuringRecovery(fault, connection)
    }
  }

  /** Trades skipped on the healthy socket; settled once the trade after each hole is out (no reconnect may happen meanwhile). */
  async function dropTrades(fault: Fault, connection: FakeConnection): Promise<void> {
    const reconnects = f.stats.reconnects
    const connections = fx!.connections.length
    const from = m.trades.dropped.length
    if (fault.window !== undefined) m.trades.window(connection.id, m.ticks + fault.window.ticks, fault.window.probability, fault.window.prng)
    else m.trades.burst(connection.id, fault.symbol, fault.burst)
    await m.untilTick(() => m.pendingTradeDrops === 0)
    const dropped = m.trades.dropped.slice(from)
    // Each hole shows at the next trade of its symbol on this same socket; filled or reported before that trade goes out.
    await m.untilTick(() => dropped.every((d) => (checker.progress(d.symbol).lastTrade ?? 0) > d.id))
    tradeDrops.push({ fault: describeFault(fault), dropped, reconnects: [reconnects, f.stats.reconnects], connections: [connections, fx!.connections.length] })
  }

  /**
   * A hole being recovered (its historicalTrades answer held) when the socket dies; the next
   * connection skips its first new trade of the symbol, so a second hole queues behind the first.
   * The answer is released only once the feed has read past that second hole: the market sends a
   * marker frame (a parse error) right after the trade that shows it, on the same socket.
   */
  async function disconnectDuringRecovery(fault: Fault, connection: FakeConnection): Promise<void> {
    const holds = m.trades.holds.length
    m.trades.burst(connection.id, fault.symbol, fault.burst, true)
    phase = `${describeFault(fault)}: waiting for the held historicalTrades request`
    await m.untilTick(() => m.trades.holds[holds]?.state === 'held')
    if (fault.replayTicks > 0) m.replayOnNextConnection(fault.replayTicks)
    m.trades.onNextConnection(fault.symbol)
    const markers = m.trades.markersSent
    expectedParseErrors++
    if (fault.refuse > 0) fx!.refuseConnections(fault.refuse)
    connection.terminate()
    disconnects++
    phase = `${describeFault(fault)}: waiting for the next connection to show the second hole`
    await m.untilTick(() => m.trades.markersSent > markers && f.stats.parseErrors >= expectedParseErrors)
    m.trades.release()
    phase = `${describeFault(fault)}: waiting for both holes to be filled or reported`
    const second = m.trades.dropped.findLast((d) => d.where === 'resume')!
    await m.untilTick(() => (checker.progress(fault.symbol).lastTrade ?? 0) > second.id)
  }

  /** What a failure message adds after the seed: the phase, the plan, the faults applied, the state. */
  const context = (): string =>
    `\n  phase: ${phase}\n  plan: ${plan.faults.map(describeFault).join(' | ')}\n  faults applied: ${applied.join(' | ')}\n  state: ${checker.describe()}`
  await readChaosRun({ reader, checker, market: m, symbols: SYMBOLS, afterLastFault: AFTER_LAST_FAULT, drive, label, context })
  phase = 'end checks'
  return { m, f, checker, events: reader.events, expectedParseErrors, disconnects, stalls, tradeDrops, label, context }
}

/** Checks every chaos run makes, whatever historicalTrades does. */
function expectFaultsHandled(run: Awaited<ReturnType<typeof chaos>>): void {
  const { m, f, checker, events, label } = run
  // Each dropped depth event: one resync of its symbol naming the missing id; no other gap resyncs.
  const gapResyncs = checker.resyncs.filter((r) => r.reason.startsWith('gap:'))
  expect(m.dropped.length, label).toBeGreaterThanOrEqual(1)
  expect(
    gapResyncs.map((r) => [r.symbol, r.reason]),
    label,
  ).toEqual(m.dropped.map((d) => [d.symbol, expect.stringContaining(`update id ${d.first}, got ${d.final + 1}..`)]))
  // Every other resync is a lost connection's.
  for (const r of checker.resyncs) if (!r.reason.startsWith('gap:')) expect(r.reason, label).toMatch(/^connection lost: /)
  expectResyncsIsolated(events, checker.resyncs, label)

  // A snapshot older than the buffered stream was refetched, never emitted.
  expect(m.staleServed.length, label).toBeGreaterThanOrEqual(1)
  for (const { symbol, lastUpdateId } of m.staleServed) expect(checker.snapshotIds.get(symbol), label).not.toContain(lastUpdateId)
  expect(m.snapshotFaultsServed.map((s) => s.fault).sort(), label).toEqual(['429', '500', '503', 'delay', 'stale', 'stale'])

  // Malformed frames were counted and skipped (the feed never failed: the run reached its end).
  expect(run.expectedParseErrors, label).toBeGreaterThanOrEqual(1)
  expect(f.stats.parseErrors, label).toBe(run.expectedParseErrors)

  // A replay on resume sent trades again; the checker saw none of them twice.
  expect(m.duplicateTradesSent, label).toBeGreaterThanOrEqual(1)

  // Killed and hung sockets were replaced; a hung one was found by the heartbeat.
  expect(fx!.connections.length, label).toBeGreaterThanOrEqual(1 + run.disconnects)
  expect(f.stats.staleTimeouts, label).toBeGreaterThanOrEqual(run.stalls)
  for (const symbol of SYMBOLS) expect(checker.book(symbol).valid, `${label}: ${symbol} book live at the end`).toBe(true)
}

/**
 * Trades skipped on the wire: each was asked of historicalTrades, and then emitted (served)
 * or lies in a gap (failing); a hole on a healthy socket is reported as exactly its skipped
 * ids, consecutive ones merged. Skipping trades never cost a reconnect, and the recovery held
 * while its socket died was answered (after the feed had read the second hole).
 */
function expectTradeFaultsHandled(run: Awaited<ReturnType<typeof chaos>>, historicalTrades: 'served' | 'failing'): void {
  const { m, checker, label } = run
  const dropped = m.trades.dropped
  const live = dropped.filter((d) => d.where === 'live')
  // At least the burst and the held recovery's burst on a healthy socket, and one trade on the resumed one.
  expect(live.length, label).toBeGreaterThanOrEqual(2)
  expect(dropped.filter((d) => d.where === 'resume'), label).toHaveLength(1)
  expect(m.trades.holds.map((h) => h.state), label).toEqual(['released'])
  expect(m.trades.markersSent, label).toBe(1)

  const requests = fx!.restRequests.filter((r) => r.path === '/api/v3/historicalTrades')
  const asked = (d: DroppedTrade): boolean =>
    requests.some((r) => {
      const fromId = Number(r.query.get('fromId'))
      return r.query.get('symbol') === d.symbol && fromId <= d.id && d.id < fromId + Number(r.query.get('limit'))
    })
  expect(dropped.filter((d) => !asked(d)), `${label}: trades skipped but never asked of historicalTrades`).toEqual([])

  for (const drop of run.tradeDrops) {
    const change = { fault: drop.fault, reconnects: drop.reconnects[1] - drop.reconnects[0], connections: drop.connections[1] - drop.connections[0] }
    expect(change, label).toEqual({ fault: drop.fault, reconnects: 0, connections: 0 })
  }

  const outcome = historicalTrades === 'served' ? 'trade' : 'gap'
  const outcomes = (list: readonly DroppedTrade[], as: (d: DroppedTrade) => string): string[] => list.map((d) => `${d.symbol} ${d.id} (${d.where}): ${as(d)}`)
  expect(outcomes(dropped, (d) => checker.tradeOutcome(d.symbol, d.id)), label).toEqual(outcomes(dropped, () => outcome))
  if (historicalTrades === 'failing') {
    const reported = checker.gaps.filter((g) => live.some((d) => d.symbol === g.symbol && g.fromId <= d.id && d.id <= g.toId))
    expect(reported.map((g) => `${g.symbol} ${g.fromId}..${g.toId}`).sort(), `${label}: gaps over trades skipped on a healthy socket`).toEqual(ranges(live).sort())
  }
}

/** `SYMBOL from..to` for each run of consecutive ids of a symbol. */
function ranges(trades: readonly DroppedTrade[]): string[] {
  const sorted = [...trades].sort((a, b) => a.symbol.localeCompare(b.symbol) || a.id - b.id)
  const out: Array<{ symbol: string; from: number; to: number }> = []
  for (const { symbol, id } of sorted) {
    const last = out.at(-1)
    if (last !== undefined && last.symbol === symbol && last.to === id - 1) last.to = id
    else out.push({ symbol, from: id, to: id })
  }
  return out.map((r) => `${r.symbol} ${r.from}..${r.to}`)
}

/** Runs end checks; a failure names the seed and carries the run's plan, faults applied and state. */
function withContext(run: Awaited<ReturnType<typeof chaos>>, checks: () => void): void {
  try {
    checks()
  } catch (error) {
    if (error instanceof Error) error.message += run.context()
    throw error
  }
}

/**
 * A gap resync of one symbol touches no other: between it and that symbol's next
 * snapshot, the others get neither a resync nor a snapshot (unless the socket dropped meanwhile).
 */
function expectResyncsIsolated(events: readonly MarketEvent[], resyncs: FeedChecker['resyncs'], label: string): void {
  for (const resync of resyncs.filter((r) => r.reason.startsWith('gap:'))) {
    for (let i = resync.index + 1; i < events.length; i++) {
      const e = events[i]!
      if (e.type === 'status' && e.status === 'disconnected') break
      if (e.type === 'book' && e.isSnapshot && e.symbol === resync.symbol) break
      const disturbed = (e.type === 'status' && e.status === 'resync') || (e.type === 'book' && e.isSnapshot)
      expect(disturbed, `${label}: event #${i} (${JSON.stringify(e)}) while only ${resync.symbol} was resyncing`).toBe(false)
    }
  }
}

describe('BinanceFeed under chaos', () => {
  it.each([1, 2, 3])(
    'seed %i: books exact after every event, no trade lost or repeated, and no gap since historicalTrades fills every hole, those on a healthy socket and those queued behind a recovery included',
    async (seed) => {
      const run = await chaos(seed, 'served')
      withContext(run, () => {
        expectFaultsHandled(run)
        expectTradeFaultsHandled(run, 'served')
        expect(run.checker.gaps, run.label).toEqual([])
      })
    },
  )

  it.each([4, 5])(
    'seed %i: with historicalTrades failing (500), gap markers cover exactly the trades missed, a hole on a healthy socket exactly its skipped ids',
    async (seed) => {
      const run = await chaos(seed, 'failing')
      withContext(run, () => {
        expectFaultsHandled(run)
        expectTradeFaultsHandled(run, 'failing')
        // The checker proved the markers cover exactly the ids not emitted; here: there were holes, and they say why.
        expect(run.checker.gaps.length, run.label).toBeGreaterThanOrEqual(1)
        for (const gap of run.checker.gaps) expect(gap.reason, run.label).toContain('GET /api/v3/historicalTrades failed: ')
      })
    },
  )
})
