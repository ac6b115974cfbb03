/**
 * Chaos: a seeded market streams three symbols while the exchange misbehaves at
 * random moments (sockets killed or hung, a depth event missing, malformed frames,
 * snapshots refused, late or too old, reconnects refused, replays on resume), and
 * every event the feed emits is checked as it is read (see support/feed-checker.ts):
 * books are never silently wrong, trades are never silently lost or duplicated.
 * A failing seed replays the same market and the same fault plan (timing may differ).
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { MarketEvent } from '@dccd/core'
import { FakeExchange } from '@dccd/testkit'
import type { FakeConnection } from '@dccd/testkit'
import { BinanceFeed } from '../src/index.js'
import { ChaosMarket } from './support/chaos-market.js'
import type { SnapshotFault } from './support/chaos-market.js'
import { FeedChecker } from './support/feed-checker.js'
import { SeededRandom } from '@dccd/testkit'
import { Reader } from './support/reader.js'

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

type FaultKind = 'terminate' | 'stall' | 'drop' | 'malformed'

/** A frame the exchange should never send. `parseError`: the feed must count it (else it is ignored as irrelevant). */
interface Malformed {
  readonly name: string
  readonly parseError: boolean
  frame(market: ChaosMarket, symbol: string): string
}

interface Fault {
  readonly kind: FaultKind
  /** Market ticks after the previous fault settled; short waits make faults overlap (a drop right after a reconnect, …). */
  readonly afterTicks: number
  readonly symbol: string
  /** How the next depth snapshot of `symbol` is answered. */
  readonly snapshot: SnapshotFault | undefined
  /** terminate: upgrade attempts answered 503 before a reconnect gets through. */
  readonly refuse: number
  /** terminate: the next connection first gets every frame since this many ticks before the fault (duplicates, then what it missed). */
  readonly replayTicks: number
  readonly malformed: readonly Malformed[]
}

const stream = (symbol: string, kind: string): string => `${symbol.toLowerCase()}@${kind}`
const combined = (symbol: string, kind: string, data: unknown): string => JSON.stringify({ stream: stream(symbol, kind), data })

const MALFORMED: readonly Malformed[] = [
  { name: 'truncated JSON', parseError: true, frame: (_, s) => `{"stream":"${stream(s, 'trade')}","data":{"e":"trade","s":"${s}","t":` },
  { name: 'not JSON at all', parseError: true, frame: () => '<html><body>502 Bad Gateway</body></html>' },
  {
    name: 'depthUpdate whose ids are text',
    parseError: true,
    frame: (_, s) => combined(s, 'depth@100ms', { e: 'depthUpdate', E: 1, s, U: 'next', u: 'next', b: [['99.50', '1']], a: [] }),
  },
  {
    // The next real ids: taken for real, it would replace the genuine event and poison the book.
    name: 'depthUpdate with an unreadable level',
    parseError: true,
    frame: (m, s) => {
      const id = m.updateId(s) + 1
      return combined(s, 'depth@100ms', { e: 'depthUpdate', E: 1, s, U: id, u: id, b: [['1.00', String(id)], ['abc', '1']], a: [] })
    },
  },
  {
    name: 'trade whose id is text',
    parseError: true,
    frame: (_, s) => combined(s, 'trade', { e: 'trade', E: 1, s, t: 'oops', p: '100.00', q: '1', T: 1, m: false, M: true }),
  },
  {
    // The next real id: taken for real, the genuine trade would then be dropped as a duplicate.
    name: 'trade whose price is a number',
    parseError: true,
    frame: (m, s) => combined(s, 'trade', { e: 'trade', E: 1, s, t: m.tradeId(s) + 1, p: 100, q: '1', T: 1, m: false, M: true }),
  },
  { name: 'JSON that is no object', parseError: false, frame: () => '[1,2,3]' },
  { name: 'an event type the adapter does not know', parseError: false, frame: (_, s) => combined(s, 'depth@100ms', { e: 'depthUpdateV2', s }) },
  { name: 'a combined frame without data', parseError: false, frame: (_, s) => `{"stream":"${stream(s, 'trade')}","data":null}` },
]

/**
 * Every fault kind at least once, in a seeded order. Each kind that makes the feed fetch
 * snapshots carries one snapshot fault; the snapshot faults left over hit the first snapshots.
 * The two malformed faults share every frame kind the feed must count, plus some to be ignored.
 */
function planFaults(prng: SeededRandom): { faults: Fault[]; initialSnapshotFaults: Array<{ symbol: string; fault: SnapshotFault }> } {
  const kinds = prng.shuffle<FaultKind>(['terminate', 'terminate', 'stall', 'drop', 'drop', 'malformed', 'malformed'])
  const snapshotFaults = prng.shuffle<SnapshotFault>(['429', '500', '503', 'delay', 'stale', 'stale'])
  const counted = prng.shuffle(MALFORMED.filter((m) => m.parseError))
  const ignored = MALFORMED.filter((m) => !m.parseError)
  const half = Math.ceil(counted.length / 2)
  const malformedBatches = [counted.slice(0, half), counted.slice(half)].map((batch) =>
    prng.shuffle([...batch, ...Array.from({ length: prng.int(0, 2) }, () => prng.pick(ignored))]),
  )
  let terminates = 0
  const faults = kinds.map((kind): Fault => {
    // The first terminate always replays, so every seed sends duplicates across sockets; a stall never
    // does, so every seed has a hole that only trade recovery (or a gap marker) can fill.
    const replay = kind === 'terminate' && (terminates++ === 0 || prng.chance(0.5))
    return {
      kind,
      afterTicks: prng.chance(0.3) ? prng.int(2, 5) : prng.int(10, 40),
      symbol: prng.pick(SYMBOLS),
      snapshot: kind === 'malformed' ? undefined : snapshotFaults.shift(),
      refuse: kind === 'terminate' && prng.chance(0.5) ? prng.int(1, 2) : 0,
      replayTicks: replay ? prng.int(3, 15) : 0,
      malformed: kind === 'malformed' ? malformedBatches.shift()! : [],
    }
  })
  return { faults, initialSnapshotFaults: snapshotFaults.map((fault) => ({ symbol: prng.pick(SYMBOLS), fault })) }
}

const describeFault = (f: Fault): string =>
  [
    `${f.kind}(${f.kind === 'drop' || f.kind === 'malformed' ? f.symbol : 'socket'})`,
    f.snapshot && `snapshot ${f.symbol} ${f.snapshot}`,
    f.refuse > 0 && `refuse ${f.refuse}`,
    f.replayTicks > 0 && `replay ${f.replayTicks}`,
    ...f.malformed.map((m) => m.name),
  ]
    .filter(Boolean)
    .join(', ')

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
  const plan = planFaults(prng.fork())
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
  let mark: Map<string, { update: number; trade: number }> | undefined

  /** Applies the plan at market ticks; every wait is on the market's clock or on events read. */
  async function drive(): Promise<void> {
    for (const fault of plan.faults) {
      phase = `waiting to apply ${describeFault(fault)}`
      await m.afterTicks(fault.afterTicks)
      await m.untilTick(() => {
        const connection = m.newestLive()
        if (connection === undefined || connection.sentCount === 0) return false
        // A drop must hit a live book on the only socket, so its resync can be asserted exactly.
        return fault.kind !== 'drop' || (f.bookProgress.live === SYMBOLS.length && fx!.openConnections === 1)
      })
      const connection = m.newestLive()!
      const before = checker.checked
      apply(fault, connection)
      applied.push(`tick ${m.ticks}: ${describeFault(fault)}`)
      phase = `settling ${describeFault(fault)}`
      if (fault.kind === 'drop') {
        // Its resync, or enough later events that the end checks will say what is missing.
        await m.untilTick(
          () => m.pendingDrops === 0 && (checker.resyncs.some((r) => r.index >= before && r.symbol === fault.symbol) || checker.checked > before + SETTLE_EVENTS),
        )
      } else if (fault.kind === 'malformed') {
        // Frames on one socket arrive in order: once later events are read, the malformed ones were parsed.
        await m.untilTick(() => f.stats.parseErrors >= expectedParseErrors || checker.checked > before + SETTLE_EVENTS)
      }
    }
    phase = 'waiting for every armed fault to be served'
    await m.untilTick(() => m.pendingSnapshotFaults === 0 && !m.replayPending && m.pendingDrops === 0)
    mark = new Map(SYMBOLS.map((s) => [s, { update: m.updateId(s), trade: m.tradeId(s) }]))
    checker.mark()
    phase = 'waiting for recovery after the last fault'
  }

  function apply(fault: Fault, connection: FakeConnection): void {
    if (fault.snapshot !== undefined) m.armSnapshotFault(fault.symbol, fault.snapshot)
    if (fault.replayTicks > 0) m.replayOnNextConnection(fault.replayTicks)
    switch (fault.kind) {
      case 'terminate':
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
        return
      case 'malformed':
        for (const malformed of fault.malformed) {
          connection.send(malformed.frame(m, fault.symbol))
          if (malformed.parseError) expectedParseErrors++
        }
        return
    }
  }

  let driverError: unknown
  let driverDone = false
  drive().then(
    () => (driverDone = true),
    (error: unknown) => (driverError = error),
  )
  const recovered = (): boolean =>
    mark !== undefined &&
    SYMBOLS.every((symbol) => {
      const p = checker.progress(symbol)
      const at = mark!.get(symbol)!
      return p.deltas >= AFTER_LAST_FAULT && p.trades >= AFTER_LAST_FAULT && p.bookId !== undefined && p.bookId > at.update && (p.lastTrade ?? 0) > at.trade
    })
  try {
    await reader.until((events) => {
      checker.consume(events)
      if (driverError !== undefined) throw driverError
      return driverDone && recovered()
    }, 'the run to end')
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    throw new Error(`${message.startsWith(label) ? '' : `${label}: `}${message}\n  phase: ${phase}\n  faults applied: ${applied.join(' | ')}\n  state: ${checker.describe()}`, { cause: error })
  }
  // A hang guard, not a timing assertion: stop() takes about closeTimeoutMs at most.
  await expect(deadline(f.stop(), 5000, 'feed.stop()')).resolves.toBeUndefined()
  // What was queued before stop is read to the end, and is checked too.
  for (let result = await reader.next(); result.done !== true; result = await reader.next()) checker.consume(reader.events)
  return { m, f, checker, events: reader.events, expectedParseErrors, disconnects, stalls, label }
}

function deadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
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
  it.each([1, 2, 3])('seed %i: books exact after every event, no trade lost or repeated, and no gap since historicalTrades fills every hole', async (seed) => {
    const run = await chaos(seed, 'served')
    expectFaultsHandled(run)
    expect(run.checker.gaps, run.label).toEqual([])
  })

  it.each([4, 5])('seed %i: with historicalTrades failing (500), gap markers cover exactly the trades missed', async (seed) => {
    const run = await chaos(seed, 'failing')
    expectFaultsHandled(run)
    // The checker proved the markers cover exactly the ids not emitted; here: there were holes, and they say why.
    expect(run.checker.gaps.length, run.label).toBeGreaterThanOrEqual(1)
    for (const gap of run.checker.gaps) expect(gap.reason, run.label).toContain('GET /api/v3/historicalTrades failed: ')
  })
})
