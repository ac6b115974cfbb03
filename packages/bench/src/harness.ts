/**
 * A tiny, fair-ish timing harness for comparisons on a noisy machine:
 * every case of one comparison runs in the same process, warm-up runs are
 * discarded, and the order of the cases rotates each run so none always
 * goes first (or right after a GC).
 */

/** One thing to time. `fn` returns a value that is kept, so the work cannot be optimised away. */
export interface Case {
  readonly name: string
  readonly fn: () => unknown
}

/** Timings of one case, in milliseconds per run. */
export interface Timing {
  readonly name: string
  readonly runsMs: readonly number[]
  readonly medianMs: number
  readonly minMs: number
  readonly maxMs: number
  /** The value the last run returned (for correctness checks). */
  readonly last: unknown
}

/** How many runs: `warmup` discarded, then `runs` measured. */
export interface RunPlan {
  readonly warmup: number
  readonly runs: number
}

const gc = (globalThis as { gc?: () => void }).gc

/** Runs every case `warmup + runs` times, round-robin with a rotating start, and returns their timings in input order. */
export function compare(cases: readonly Case[], plan: RunPlan): Timing[] {
  const times = cases.map(() => [] as number[])
  const last: unknown[] = cases.map(() => undefined)
  const total = plan.warmup + plan.runs
  for (let run = 0; run < total; run++) {
    for (let k = 0; k < cases.length; k++) {
      const i = (run + k) % cases.length
      gc?.()
      const start = performance.now()
      last[i] = cases[i]!.fn()
      const elapsed = performance.now() - start
      if (run >= plan.warmup) times[i]!.push(elapsed)
    }
  }
  return cases.map((c, i) => summarize(c.name, times[i]!, last[i]))
}

/** Median, min and max of a list of run times. */
export function summarize(name: string, runsMs: readonly number[], last: unknown = undefined): Timing {
  const sorted = [...runsMs].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  const medianMs = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
  return { name, runsMs, medianMs, minMs: sorted[0]!, maxMs: sorted[sorted.length - 1]!, last }
}

/** `1 234 567`-style thousands for tables. */
export function fmtInt(n: number): string {
  return Math.round(n).toLocaleString('en-US')
}

/** Milliseconds with sensible precision. */
export function fmtMs(ms: number): string {
  return ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2)
}

/** A ratio like `3.41×`. */
export function fmtRatio(r: number): string {
  return `${r.toFixed(2)}×`
}

/** A markdown table. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n')
}
