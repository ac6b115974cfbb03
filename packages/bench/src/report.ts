import { fmtMs, fmtRatio, table, type Timing } from './harness.js'

/** One section of the printed report: a heading, lines of prose and tables (markdown). */
export interface Section {
  readonly title: string
  readonly blocks: string[]
}

/** A section to fill in. */
export function section(title: string): Section {
  return { title, blocks: [] }
}

/** Renders sections as markdown. */
export function render(sections: readonly Section[]): string {
  return sections.map((s) => [`## ${s.title}`, ...s.blocks].join('\n\n')).join('\n\n') + '\n'
}

/**
 * A timing table: median, min–max, throughput in `unit`/s, and each row's
 * speed relative to the `reference` row (>1: faster than it). `units` is the
 * work one run does, per row when rows did different amounts of work.
 */
export function timingTable(
  timings: readonly Timing[],
  units: number | ((name: string) => number),
  unit: string,
  reference: string,
): string {
  const unitsOf = typeof units === 'number' ? () => units : units
  const rate = (t: Timing): number => unitsOf(t.name) / (t.medianMs / 1000)
  const ref = timings.find((t) => t.name === reference)!
  return table(
    ['implementation', 'median ms', 'min–max ms', `${unit}/s (median)`, `speed vs ${reference}`],
    timings.map((t) => [t.name, fmtMs(t.medianMs), `${fmtMs(t.minMs)}–${fmtMs(t.maxMs)}`, fmtRate(rate(t)), fmtRatio(rate(t) / rate(ref))]),
  )
}

/** `12.3 M` / `456 k` style rates. */
export function fmtRate(perSecond: number): string {
  if (perSecond >= 1e6) return `${(perSecond / 1e6).toFixed(2)} M`
  if (perSecond >= 1e3) return `${(perSecond / 1e3).toFixed(1)} k`
  return perSecond.toFixed(0)
}
