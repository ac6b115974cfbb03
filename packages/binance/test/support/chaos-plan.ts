/**
 * The fault plan of a chaos run (feed.chaos.test.ts): which faults, in which
 * seeded order, with which parameters. The same seed, the same plan.
 */
import type { SeededRandom } from '@dccd/testkit'
import type { ChaosMarket, SnapshotFault } from './chaos-market.js'

/**
 * - terminate / stall: the socket is killed or hangs.
 * - drop: one depth event is not sent.
 * - malformed: frames the exchange should never send.
 * - tradeDrop: trades skipped on the live, healthy socket (no disconnect, no malformed frame).
 * - recoveryDisconnect: trades skipped, their historicalTrades answer held, and the socket
 *   killed meanwhile; the next connection skips a trade too, so a second hole queues behind the first.
 */
export type FaultKind = 'terminate' | 'stall' | 'drop' | 'malformed' | 'tradeDrop' | 'recoveryDisconnect'

/** A frame the exchange should never send. `parseError`: the feed must count it (else it is ignored as irrelevant). */
export interface Malformed {
  readonly name: string
  readonly parseError: boolean
  frame(market: ChaosMarket, symbol: string): string
}

/** tradeDrop without a burst: for `ticks` ticks, each new trade frame (every symbol) is skipped with `probability`. */
export interface TradeDropWindow {
  readonly ticks: number
  readonly probability: number
  /** The skip draws (their own stream: how many frames a window sees depends on timing). */
  readonly prng: SeededRandom
}

export interface Fault {
  readonly kind: FaultKind
  /** Market ticks after the previous fault settled; short waits make faults overlap (a drop right after a reconnect, …). */
  readonly afterTicks: number
  readonly symbol: string
  /** How the next depth snapshot of `symbol` is answered. */
  readonly snapshot: SnapshotFault | undefined
  /** terminate, recoveryDisconnect: upgrade attempts answered 503 before a reconnect gets through. */
  readonly refuse: number
  /** terminate, recoveryDisconnect: the next connection first gets every frame since this many ticks before the fault (duplicates, then what it missed). */
  readonly replayTicks: number
  readonly malformed: readonly Malformed[]
  /** tradeDrop, recoveryDisconnect: the next this many trades of `symbol` are skipped (one hole); 0 for a window. */
  readonly burst: number
  readonly window: TradeDropWindow | undefined
}

const stream = (symbol: string, kind: string): string => `${symbol.toLowerCase()}@${kind}`
const combined = (symbol: string, kind: string, data: unknown): string => JSON.stringify({ stream: stream(symbol, kind), data })

export const MALFORMED: readonly Malformed[] = [
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

/** Drop probabilities of a trade-drop window: about the 2% of frames lost that once went unnoticed, and more. */
const WINDOW_PROBABILITIES = [0.02, 0.03, 0.05]

/**
 * Every fault kind at least once, in a seeded order. Each kind that makes the feed fetch
 * snapshots through a book fault or a plain disconnect carries one snapshot fault; the
 * snapshot faults left over hit the first snapshots. The two malformed faults share every
 * frame kind the feed must count, plus some to be ignored. The two trade drops are one
 * burst (1–4 consecutive ids of one symbol) and one window (every symbol, 15–30 ticks).
 */
export function planFaults(
  prng: SeededRandom,
  symbols: readonly string[],
): { faults: Fault[]; initialSnapshotFaults: Array<{ symbol: string; fault: SnapshotFault }> } {
  const kinds = prng.shuffle<FaultKind>(['terminate', 'terminate', 'stall', 'drop', 'drop', 'malformed', 'malformed', 'tradeDrop', 'tradeDrop', 'recoveryDisconnect'])
  const snapshotFaults = prng.shuffle<SnapshotFault>(['429', '500', '503', 'delay', 'stale', 'stale'])
  const counted = prng.shuffle(MALFORMED.filter((m) => m.parseError))
  const ignored = MALFORMED.filter((m) => !m.parseError)
  const half = Math.ceil(counted.length / 2)
  const malformedBatches = [counted.slice(0, half), counted.slice(half)].map((batch) =>
    prng.shuffle([...batch, ...Array.from({ length: prng.int(0, 2) }, () => prng.pick(ignored))]),
  )
  const tradeDropModes = prng.shuffle(['burst', 'window'] as const)
  let terminates = 0
  const faults = kinds.map((kind): Fault => {
    // The first terminate always replays, so every seed sends duplicates across sockets; a stall never
    // does, so every seed has a hole that only trade recovery (or a gap marker) can fill.
    const replay = (kind === 'terminate' && (terminates++ === 0 || prng.chance(0.5))) || (kind === 'recoveryDisconnect' && prng.chance(0.5))
    const disconnects = kind === 'terminate' || kind === 'recoveryDisconnect'
    const mode = kind === 'tradeDrop' ? tradeDropModes.shift() : kind === 'recoveryDisconnect' ? 'burst' : undefined
    return {
      kind,
      // Trade faults need no lead time of their own (they wait for every symbol to trade anyway): short waits keep the run short.
      afterTicks: kind === 'tradeDrop' || kind === 'recoveryDisconnect' ? prng.int(2, 10) : prng.chance(0.3) ? prng.int(2, 5) : prng.int(10, 40),
      symbol: prng.pick(symbols),
      snapshot: kind === 'terminate' || kind === 'stall' || kind === 'drop' ? snapshotFaults.shift() : undefined,
      refuse: disconnects && prng.chance(0.5) ? prng.int(1, 2) : 0,
      replayTicks: replay ? prng.int(3, 15) : 0,
      malformed: kind === 'malformed' ? malformedBatches.shift()! : [],
      burst: mode === 'burst' ? prng.int(1, kind === 'tradeDrop' ? 4 : 3) : 0,
      window: mode === 'window' ? { ticks: prng.int(15, 30), probability: prng.pick(WINDOW_PROBABILITIES), prng: prng.fork() } : undefined,
    }
  })
  return { faults, initialSnapshotFaults: snapshotFaults.map((fault) => ({ symbol: prng.pick(symbols), fault })) }
}

export function describeFault(f: Fault): string {
  const target = f.kind === 'terminate' || f.kind === 'stall' || (f.kind === 'tradeDrop' && f.window !== undefined) ? 'socket' : f.symbol
  return [
    `${f.kind}(${target})`,
    f.snapshot && `snapshot ${f.symbol} ${f.snapshot}`,
    f.burst > 0 && `${f.burst} trade${f.burst > 1 ? 's' : ''} skipped`,
    f.kind === 'recoveryDisconnect' && 'their recovery held while the socket is killed, the next connection skips its first new trade',
    f.window && `each trade skipped with p ${f.window.probability} for ${f.window.ticks} ticks`,
    f.refuse > 0 && `refuse ${f.refuse}`,
    f.replayTicks > 0 && `replay ${f.replayTicks}`,
    ...f.malformed.map((m) => m.name),
  ]
    .filter(Boolean)
    .join(', ')
}
