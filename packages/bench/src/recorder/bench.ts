/**
 * Section 7, issue 16: how far one recording process goes. The end-to-end
 * server (../e2e/server.ts) floods the looped Binance capture through a real
 * socket; each contestant reads it in a fresh process: dccd's feed into the
 * recorder (journal, then sealed Parquet), and two floors on the very same
 * frames: `JSON.parse` alone, and `JSON.parse` + one journal line per event
 * written by hand. Every run is checked (../e2e/verify.ts: events per
 * symbol, trade ids, no resync; the recorder's sealed rows cover the
 * session's) before its numbers count.
 */
import { runContestantProcess, specFor, startE2eServer } from '../e2e/children.js'
import { RECORDER_CONTESTANTS, type ContestantRun } from '../e2e/contestants/run.js'
import { E2eCheckError, runProblems } from '../e2e/verify.js'
import type { Expected } from '../e2e/session.js'
import { summarize, type RunPlan, type Timing } from '../harness.js'
import type { Section } from '../report.js'
import { describeRecorder } from './report.js'

export type RecorderContestant = (typeof RECORDER_CONTESTANTS)[number]

/** Options of the recorder section. */
export interface RecorderBenchOptions {
  /** Data frames per run. Default 200,000. */
  readonly frames?: number
  /** Default 1 warm-up round, then 3 measured. */
  readonly plan?: RunPlan
  /** Copies of the capture's 4 symbols, one server per entry. Default [1, 16]: 4 and 64 symbols. */
  readonly copies?: readonly number[]
}

/** One contestant at one symbol count: medians over the measured rounds. */
export interface RecorderCase {
  /** Events (recorder) or frames (floors) a second, as a `Timing` whose "ms" fields hold rates. */
  readonly rate: Timing
  /** CPU µs (user + system, whole process) per event or frame. */
  readonly cpuUsPerItem: number
  /** CPU time ÷ wall time of the run: above 100 % means more than one thread was busy (GC, fs). */
  readonly cpuShare: number
  /** Largest peak RSS of the rounds, MiB. */
  readonly maxRssMiB: number
}

/** One symbol count's comparison. */
export interface RecorderResult {
  readonly expected: Expected
  /** Book and trade events the session makes (REST snapshots included). */
  readonly events: number
  /** Table rows the session makes (one per trade and per book level). */
  readonly rows: number
  readonly cases: ReadonlyMap<RecorderContestant, RecorderCase>
  /** Files the recorder sealed in its last run. */
  readonly filesSealed: number
}

/** Section 7: recorder throughput, CPU and RSS against the parse and journal-line floors, per symbol count. */
export async function benchRecorder(options: RecorderBenchOptions = {}): Promise<{ section: Section; results: RecorderResult[] }> {
  const frames = options.frames ?? 200_000
  const plan = options.plan ?? { warmup: 1, runs: 3 }
  const results: RecorderResult[] = []
  for (const copies of options.copies ?? [1, 16]) results.push(await benchSymbols(frames, copies, plan))
  return { section: describeRecorder(results, frames, plan), results }
}

async function benchSymbols(frames: number, copies: number, plan: RunPlan): Promise<RecorderResult> {
  const server = await startE2eServer('binance', frames, copies)
  try {
    const runs = new Map<RecorderContestant, ContestantRun[]>(RECORDER_CONTESTANTS.map((c) => [c, []]))
    for (let round = 0; round < plan.warmup + plan.runs; round++) {
      for (let k = 0; k < RECORDER_CONTESTANTS.length; k++) {
        const contestant = RECORDER_CONTESTANTS[(round + k) % RECORDER_CONTESTANTS.length]!
        const run = await runContestantProcess(specFor(contestant, server))
        const problems = runProblems(contestant, run, server.expected)
        if (problems.length > 0) throw new E2eCheckError(`recorder, ${copies * 4} symbols, ${contestant}, round ${round + 1}: ${problems.slice(0, 5).join('; ')}`)
        if (round >= plan.warmup) runs.get(contestant)!.push(run)
      }
    }
    const spec = specFor('dccd-recorder', server)
    // Floors count frames (a Binance frame is one event); the recorder counts events, the REST snapshots among them.
    const items = (c: RecorderContestant): number => (c === 'dccd-recorder' ? spec.events : spec.frames)
    const cases = new Map([...runs].map(([c, r]) => [c, summarizeRuns(c, r, items(c))]))
    const recorded = runs.get('dccd-recorder')!.at(-1)!.recorded!
    return { expected: server.expected, events: spec.events, rows: server.expected.rows!, cases, filesSealed: recorded.filesSealed }
  } finally {
    server.close()
  }
}

function summarizeRuns(name: string, runs: readonly ContestantRun[], items: number): RecorderCase {
  const median = (values: number[]): number => summarize(name, values).medianMs
  return {
    rate: summarize(name, runs.map((r) => (items * 1000) / r.elapsedMs)),
    cpuUsPerItem: median(runs.map((r) => (r.resources!.cpuMs * 1000) / items)),
    cpuShare: median(runs.map((r) => r.resources!.cpuMs / r.elapsedMs)),
    maxRssMiB: Math.max(...runs.map((r) => r.resources!.maxRssMiB)),
  }
}
