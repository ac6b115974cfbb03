/**
 * Section 6, issue 17: end to end, socket → normalized events → consumer.
 * Per exchange, a server child process floods a looped capture
 * (./server.ts); every contestant reads the same frames from it in a fresh
 * process, round after round in rotating order, and every run is checked
 * (./verify.ts) before its time counts.
 */
import { fmtRatio, summarize, table, type RunPlan, type Timing } from '../harness.js'
import { fmtRate, section, type Section } from '../report.js'
import { benchCpus } from '../child-process.js'
import { runContestantProcess, specFor, startE2eServer } from './children.js'
import { CONTESTANTS, type E2eContestantName } from './contestants/run.js'
import { E2E_EXCHANGES, type E2eExchange, type Expected } from './session.js'
import { E2eCheckError, runProblems } from './verify.js'

/** Options of the end-to-end comparison. */
export interface E2eBenchOptions {
  /** Data frames per run. Default 300,000. */
  readonly frames?: number
  /** Default 1 warm-up round, then 5 measured. */
  readonly plan?: RunPlan
  readonly exchanges?: readonly E2eExchange[]
}

/** One exchange's comparison: frames/s per contestant (as `Timing`s whose "ms" are rates), ratios to the floor. */
export interface E2eResult {
  readonly exchange: E2eExchange
  readonly expected: Expected
  readonly rates: ReadonlyMap<E2eContestantName, Timing>
  /** dccd ÷ bare `ws` + `JSON.parse`, frames/s medians: ≥ 0.8 meets the target. */
  readonly plainOverFloor: number
  /** dccd with `OrderBookSet` ÷ the floor: ≥ 0.7 meets the target. */
  readonly booksOverFloor: number
}

const LABELS: Record<E2eExchange, Record<E2eContestantName, string>> = {
  binance: {
    bare: 'bare `ws` + `JSON.parse` (floor)',
    'hand-written': 'hand-written: `ws` + `JSON.parse` + sorted-array books (REST snapshot, `U`/`u` chain checked)',
    'hand-written-crc': '',
    dccd: 'dccd: `createFeed` → `stream()`',
    'dccd-batches': 'dccd: `createFeed` → `batches()` (one promise per batch of ready events)',
    'dccd-books': 'dccd + consumer applying every book event to `OrderBookSet`',
  },
  'binance-futures': {
    bare: 'bare `ws` + `JSON.parse` (floor; two sockets, `/public` and `/market`)',
    'hand-written': 'hand-written: `ws` + `JSON.parse` + sorted-array books (REST snapshot, `pu` chain checked)',
    'hand-written-crc': '',
    dccd: 'dccd: `futures.createFeed` → `stream()`',
    'dccd-batches': 'dccd: `futures.createFeed` → `batches()`',
    'dccd-books': 'dccd + consumer applying every book event to `OrderBookSet`',
  },
  kraken: {
    bare: 'bare `ws` + `JSON.parse` (floor)',
    'hand-written': 'hand-written: `ws` + `JSON.parse` + sorted-array books cut to depth, **no checksum**',
    'hand-written-crc': 'hand-written as above + CRC32 checksum of every entry (`toFixed`, strip, `zlib.crc32`)',
    dccd: 'dccd: `createFeed` → `stream()` (checksums verified)',
    'dccd-batches': 'dccd: `createFeed` → `batches()` (checksums verified)',
    'dccd-books': 'dccd + consumer applying every book event to `OrderBookSet`',
  },
  okx: {
    bare: 'bare `ws` + `JSON.parse` (floor)',
    'hand-written': 'hand-written: `ws` + `JSON.parse` + sorted-array books (snapshot, then `prevSeqId` = last `seqId` checked)',
    'hand-written-crc': '',
    dccd: 'dccd: `createFeed` → `stream()` (`seqId` chain checked)',
    'dccd-batches': 'dccd: `createFeed` → `batches()` (`seqId` chain checked)',
    'dccd-books': 'dccd + consumer applying every book event to `OrderBookSet`',
  },
}

/** Section headings per exchange. */
const TITLES: Record<E2eExchange, string> = {
  binance: 'Binance spot',
  'binance-futures': 'Binance USDⓈ-M futures',
  kraken: 'Kraken v2',
  okx: 'OKX v5',
}

/** Section 6: dccd end to end against a bare `ws` client and a hand-written one, per exchange. */
export async function benchE2e(options: E2eBenchOptions = {}): Promise<{ section: Section; results: E2eResult[] }> {
  const frames = options.frames ?? 300_000
  const plan = options.plan ?? { warmup: 1, runs: 5 }
  const out = section('6. End to end (issue 17)')
  out.blocks.push(
    `Socket → normalized events → consumer. Per exchange, a server child process plays a real capture looped to ` +
      `${frames.toLocaleString('en-US')} data frames, continuity preserved across loops (Binance spot: every symbol's \`U\`/\`u\` chain and ` +
      `trade ids continue; Binance USDⓈ-M: every symbol's \`pu\` chain and aggregate trade ids continue; Kraken v2: every ` +
      `update's CRC32 computed again for the looped books, the first loop reproducing the captured checksums, trade ids ` +
      `continued; OKX v5: the 2022 capture given today's \`seqId\`/\`prevSeqId\` chain, continued across loops, with ` +
      `\`checksum\` 0 as OKX sends it now (not sent: the chain is the check), trade ids consecutive per fill), answers what ` +
      `each client asks first (Binance \`GET /api/v3/depth\` or \`/fapi/v1/depth\`, Kraken's acks and instrument snapshot, ` +
      `OKX's subscribe acks), then writes the pre-encoded frames straight to the socket as fast as the client reads. ` +
      `USDⓈ-M serves depth on \`/public\` and trades on \`/market\`: every client opens both, each socket flooded with its share. ` +
      `Each contestant runs in a fresh process; ${plan.runs} rounds after ${plan.warmup} warm-up, the order rotating every round. ` +
      `${benchCpus() === undefined ? '' : 'Pinned (`DCCD_BENCH_PIN=1`): the server on CPU 1, every contestant on CPU 0. '}` +
      `frames/s = data frames ÷ time from the first frame (or event) the client sees to the last. Every run is checked: ` +
      `frames or events per symbol as the session has them, trade ids consecutive, no status but \`connected\` (no \`resync\`, ` +
      `\`gap\`), and every kept book equal, level for level, to the session's final book.`,
  )
  const results: E2eResult[] = []
  for (const exchange of options.exchanges ?? E2E_EXCHANGES) {
    const result = await benchExchange(exchange, frames, plan)
    results.push(result)
    out.blocks.push(describe(result))
  }
  return { section: out, results }
}

async function benchExchange(exchange: E2eExchange, frames: number, plan: RunPlan): Promise<E2eResult> {
  const server = await startE2eServer(exchange, frames)
  try {
    const contestants = CONTESTANTS.filter((c) => LABELS[exchange][c] !== '')
    const rates = new Map<E2eContestantName, number[]>(contestants.map((c) => [c, []]))
    for (let round = 0; round < plan.warmup + plan.runs; round++) {
      for (let k = 0; k < contestants.length; k++) {
        const contestant = contestants[(round + k) % contestants.length]!
        const run = await runContestantProcess(specFor(contestant, server))
        const problems = runProblems(contestant, run, server.expected)
        if (problems.length > 0) {
          throw new E2eCheckError(`${exchange} ${contestant}, round ${round + 1}: ${problems.slice(0, 5).join('; ')}`)
        }
        if (round >= plan.warmup) rates.get(contestant)!.push((server.expected.frames * 1000) / run.elapsedMs)
      }
    }
    // Rates: higher is better; `summarize`'s "ms" fields hold frames/s here.
    const timings = new Map([...rates].map(([c, r]) => [c, summarize(c, r)]))
    const floor = timings.get('bare')!.medianMs
    return {
      exchange,
      expected: server.expected,
      rates: timings,
      plainOverFloor: timings.get('dccd')!.medianMs / floor,
      booksOverFloor: timings.get('dccd-books')!.medianMs / floor,
    }
  } finally {
    server.close()
  }
}

function describe(result: E2eResult): string {
  const { expected, rates } = result
  const floor = rates.get('bare')!.medianMs
  const { book, trade, other } = expected.mix
  const rows = [...rates].map(([c, t]) => [
    LABELS[result.exchange][c],
    fmtRate(t.medianMs),
    `${fmtRate(t.minMs)}–${fmtRate(t.maxMs)}`,
    `${((100 * t.medianMs) / floor).toFixed(0)}%`,
  ])
  return (
    `### ${TITLES[result.exchange]} (${expected.symbols.join(', ')})\n\n` +
    `${expected.frames.toLocaleString('en-US')} frames per run, the capture played ${expected.loops} times: ${book.toLocaleString('en-US')} book, ` +
    `${trade.toLocaleString('en-US')} trade, ${other.toLocaleString('en-US')} other (heartbeats).\n\n` +
    table(['client', 'frames/s (median)', 'min–max', 'vs floor'], rows) +
    `\n\ndccd ÷ floor: **${fmtRatio(result.plainOverFloor)}** plain, **${fmtRatio(result.booksOverFloor)}** with books`
  )
}
