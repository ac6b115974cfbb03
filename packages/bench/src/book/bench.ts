import { compare, fmtRatio, type RunPlan, type Timing } from '../harness.js'
import { section, timingTable, type Section } from '../report.js'
import { assertAgree, checkAgreement } from './agree.js'
import { binanceStream, krakenStream, type BookStream } from './frames.js'
import { generateStream } from './generate.js'
import { allImpls, isOurReadVariant, type BookDump, type BookImpl, type ReadMode, type ReplayResult } from './impls.js'

/** Options of the book-apply comparison. */
export interface BookBenchOptions {
  /** Level updates in the generated stream. Default 1,000,000. */
  readonly updates?: number
  /** Runs for the small real captures (each replayed `captureRepeat` times per run). */
  readonly capturePlan?: RunPlan
  readonly captureRepeat?: number
  /** Runs for the generated stream (one replay per run). */
  readonly generatedPlan?: RunPlan
}

const MODES: readonly ReadMode[] = ['apply', 'bbo', 'top10']
const MODE_LABEL: Record<ReadMode, string> = {
  apply: 'apply only',
  bbo: 'apply + best bid/ask after every frame',
  top10: 'apply + top-10 of both sides after every frame',
}

/** One measured comparison: who, on what, and how ours did against the fastest peer. */
export interface BookResult {
  readonly stream: string
  readonly mode: ReadMode
  readonly timings: Timing[]
  /** Fastest peer's median ÷ ours: ≥ 2 meets the target. */
  readonly oursVsBestPeer: number
  readonly bestPeer: string
  /** The hand-written sorted-array book's median ÷ ours (≥ 1: ours is no slower). */
  readonly oursVsSortedArray: number
}

/** Section 1: replays each stream through every implementation, checks they agree, and times them. */
export async function benchBooks(options: BookBenchOptions = {}): Promise<{ section: Section; results: BookResult[] }> {
  const impls = await allImpls()
  const out = section('1. Book apply')
  const results: BookResult[] = []
  const binance = binanceStream()
  const kraken = krakenStream()
  const generated = generateStream(binance.frames.find((f) => f.isSnapshot && f.book === 0)!, { updates: options.updates })
  const s = generated.stats
  out.blocks.push(
    `Streams: Binance capture (${binance.books} books, ${binance.frames.length} frames, ${binance.levels} levels incl. snapshots), ` +
      `Kraken capture (${kraken.books} books, ${kraken.frames.length} frames, ${kraken.levels} levels), ` +
      `generated (seeded; NKNUSDT snapshot ${generated.frames[0]!.bids.length}+${generated.frames[0]!.asks.length} levels, then ` +
      `${s.frames} frames with ${s.deletes + s.inserts + s.changes} level updates: ${pct(s.deletes, generated)} deletions, ` +
      `${pct(s.inserts, generated)} new levels, ${pct(s.changes, generated)} amount changes, ${pct(s.far, generated)} far from the top; ` +
      `ends with ${generated.expected[0]!.bids.length / 2}+${generated.expected[0]!.asks.length / 2} levels).`,
  )
  const capturePlan = options.capturePlan ?? { warmup: 1, runs: 5 }
  const repeat = options.captureRepeat ?? 100
  // Our read variants only differ in top-10 mode; elsewhere they would time the same code three times.
  const forMode = (mode: ReadMode, from: readonly BookImpl[]): BookImpl[] => (mode === 'top10' ? [...from] : from.filter((i) => !isOurReadVariant(i)))
  for (const stream of [binance, kraken]) {
    checkAgreement(impls, stream, MODES)
    for (const mode of MODES) results.push(measure(forMode(mode, impls), stream, mode, repeat, capturePlan))
  }
  // The naive book sorts on every top-10 read: ~250k sorts of ~1500 prices would take a minute a run, so it sits
  // that one out (its rate on the captures says enough).
  const generatedPlan = options.generatedPlan ?? { warmup: 1, runs: 5 }
  for (const mode of MODES) {
    const who = mode === 'top10' ? impls.filter((i) => !i.name.startsWith('naive')) : impls
    results.push(measure(forMode(mode, who), generated, mode, 1, generatedPlan, generated.expected))
  }
  for (const r of results) {
    const stream = r.stream === generated.name ? generated : r.stream === binance.name ? binance : kraken
    const reps = stream === generated ? 1 : repeat
    const units = (name: string): number => stream.levels * repeatFor(name, r.mode, reps)
    out.blocks.push(
      `### ${r.stream}: ${MODE_LABEL[r.mode]}${reps > 1 ? ` (×${reps} replays per run${r.mode === 'apply' ? '' : `; naive ×${repeatFor('naive', r.mode, reps)}`})` : ''}\n\n` +
        timingTable(r.timings, units, 'levels', r.timings[0]!.name) +
        `\n\nours ÷ fastest peer (${r.bestPeer}): **${fmtRatio(r.oursVsBestPeer)}** faster; ` +
        `ours ÷ hand-written sorted arrays: **${fmtRatio(r.oursVsSortedArray)}**` +
        (r.mode === 'top10' ? ' (ours = `copyLevels` into reused `Float64Array`s; the other dccd rows read the same book through `forEachLevel` and `bids(10)`)' : ''),
    )
  }
  return { section: out, results }
}

function measure(impls: readonly BookImpl[], stream: BookStream, mode: ReadMode, repeat: number, plan: RunPlan, expected?: BookDump): BookResult {
  const timings = compare(
    impls.map((impl) => ({ name: impl.name, fn: () => impl.replay(stream.frames, stream.books, mode, repeatFor(impl.name, mode, repeat)) })),
    plan,
  )
  // The books every timed run ended in must agree too, not just the check run.
  assertAgree(`${stream.name}, ${mode} (timed)`, timings.map((t) => ({ name: t.name, result: t.last as ReplayResult })), expected)
  // The top-10 target is met through the documented allocation-free top-N API, `copyLevels`.
  const ours = mode === 'top10' ? timings.find((t) => t.name === 'dccd OrderBook, copyLevels')! : timings[0]!
  const peers = timings.filter((t) => t.name.includes('tardis') || t.name.includes('ccxt'))
  const best = peers.reduce((a, b) => (b.medianMs < a.medianMs ? b : a))
  const sorted = timings.find((t) => t.name === 'hand-written sorted arrays')!
  return {
    stream: stream.name,
    mode,
    timings,
    oursVsBestPeer: best.medianMs / ours.medianMs,
    bestPeer: best.name,
    oursVsSortedArray: sorted.medianMs / ours.medianMs,
  }
}

/** The naive book reads by sorting, so it replays fewer times in the read modes (rates stay comparable). */
function repeatFor(name: string, mode: ReadMode, repeat: number): number {
  return name.startsWith('naive') && mode !== 'apply' ? Math.max(1, Math.round(repeat / 20)) : repeat
}

function pct(n: number, stream: { stats: { deletes: number; inserts: number; changes: number } }): string {
  const total = stream.stats.deletes + stream.stats.inserts + stream.stats.changes
  return `${((100 * n) / total).toFixed(1)}%`
}
