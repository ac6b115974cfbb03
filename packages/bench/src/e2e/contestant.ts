/**
 * One end-to-end contestant in a fresh process (see ./bench.ts): the
 * argument is a `ContestantSpec` as JSON; prints `RESULT <ContestantRun as
 * JSON>` and exits. A run that stops making progress for `STALL_MS` reports
 * the stall as its problem instead of hanging the bench.
 */
import { runBare } from './contestants/bare.js'
import { runDccd } from './contestants/dccd.js'
import { runHandWrittenBinance } from './contestants/hand-written-binance.js'
import { runHandWrittenKraken } from './contestants/hand-written-kraken.js'
import type { ContestantRun, ContestantSpec, Progress } from './contestants/run.js'

const STALL_MS = 15_000

/** Runs `spec`'s contestant in this process. */
export function runContestant(spec: ContestantSpec, progress: Progress): Promise<ContestantRun> {
  switch (spec.contestant) {
    case 'bare':
      return runBare(spec, progress)
    case 'hand-written':
      return spec.exchange === 'binance' ? runHandWrittenBinance(spec, progress) : runHandWrittenKraken(spec, progress, false)
    case 'hand-written-crc':
      return runHandWrittenKraken(spec, progress, true)
    case 'dccd':
      return runDccd(spec, progress, false)
    case 'dccd-books':
      return runDccd(spec, progress, true)
  }
}

/** Prints the run and exits once it is written (a feed's timers must not keep the process alive). */
function report(run: ContestantRun): void {
  process.stdout.write(`RESULT ${JSON.stringify(run)}\n`, () => process.exit(0))
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  const spec = JSON.parse(process.argv[2]!) as ContestantSpec
  const progress: Progress = { items: 0 }
  let seen = -1
  let since = performance.now()
  setInterval(() => {
    if (progress.items !== seen) {
      seen = progress.items
      since = performance.now()
    } else if (performance.now() - since > STALL_MS) {
      report({ elapsedMs: Number.NaN, problems: [`stalled at ${seen} items`] })
    }
  }, 1000).unref()
  report(await runContestant(spec, progress))
}
