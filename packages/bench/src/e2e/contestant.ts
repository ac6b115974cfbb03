/**
 * One end-to-end contestant in a fresh process (see ./bench.ts): the
 * argument is a `ContestantSpec` as JSON; prints `RESULT <ContestantRun as
 * JSON>` and exits.
 */
import type { ContestantRun, ContestantSpec, Progress } from './contestants/run.js'

/** A run that takes no item for this long is reported as stalled (with what it counted) instead of hanging. */
const STALL_MS = 15_000

/** Runs `spec`'s contestant in this process; a stall ends it with the stall as its problem. */
export async function runContestant(spec: ContestantSpec, progress: Progress = { items: 0 }): Promise<ContestantRun> {
  let watch: ReturnType<typeof setInterval> | undefined
  const stalled = new Promise<ContestantRun>((resolve) => {
    let seen = -1
    let since = performance.now()
    watch = setInterval(() => {
      if (progress.items !== seen) {
        seen = progress.items
        since = performance.now()
      } else if (performance.now() - since > STALL_MS) {
        resolve({ elapsedMs: Number.NaN, problems: [`stalled after ${seen} items: ${progress.describe?.() ?? ''}`] })
      }
    }, 1000)
    watch.unref()
  })
  const cpu = process.cpuUsage()
  try {
    const result = await Promise.race([run(spec, progress), stalled])
    const used = process.cpuUsage(cpu)
    // maxRSS is in KiB; it is the process's peak, so it includes the runtime and tsx loading the sources (the same for all).
    return { ...result, resources: { cpuMs: (used.user + used.system) / 1000, maxRssMiB: process.resourceUsage().maxRSS / 1024 } }
  } finally {
    clearInterval(watch)
  }
}

/**
 * Loads only the contestant's own module: a process that also loaded the others (the recorder's
 * Parquet libraries, peers) starts with a larger old generation, and that alone was measured to
 * move dccd's garbage collection into a slower regime (BENCHMARKS.md, "End to end").
 */
async function run(spec: ContestantSpec, progress: Progress): Promise<ContestantRun> {
  switch (spec.contestant) {
    case 'bare':
      return (await import('./contestants/bare.js')).runBare(spec, progress)
    case 'hand-written':
      if (spec.exchange === 'kraken') return (await import('./contestants/hand-written-kraken.js')).runHandWrittenKraken(spec, progress, false)
      return spec.exchange === 'okx'
        ? (await import('./contestants/hand-written-okx.js')).runHandWrittenOkx(spec, progress)
        : (await import('./contestants/hand-written-binance.js')).runHandWrittenBinance(spec, progress)
    case 'hand-written-crc':
      return (await import('./contestants/hand-written-kraken.js')).runHandWrittenKraken(spec, progress, true)
    case 'dccd':
      return (await import('./contestants/dccd.js')).runDccd(spec, progress, false)
    case 'dccd-batches':
      return (await import('./contestants/dccd.js')).runDccd(spec, progress, false, 'batches')
    case 'dccd-books':
      return (await import('./contestants/dccd.js')).runDccd(spec, progress, true)
    case 'journal-lines':
      return (await import('./contestants/journal-lines.js')).runJournalLines(spec, progress)
    case 'dccd-recorder':
      return (await import('./contestants/dccd-recorder.js')).runDccdRecorder(spec, progress)
  }
}

/** Prints the run and exits once it is written (a feed's timers must not keep the process alive). */
function report(run: ContestantRun): void {
  process.stdout.write(`RESULT ${JSON.stringify(run)}\n`, () => process.exit(0))
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  report(await runContestant(JSON.parse(process.argv[2]!) as ContestantSpec))
}
