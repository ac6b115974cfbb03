/**
 * Every end-to-end run is checked before its time counts: the frames or
 * events it saw, per symbol, equal the session's; no status other than
 * `connected`, no id gap and no checksum mismatch; and the books a client
 * kept equal the session's final books, every level.
 */
import { firstDifference } from '../book/agree.js'
import type { ContestantName, ContestantRun } from './contestants/run.js'
import type { Expected } from './session.js'

/** A run that saw the wrong data, or kept the wrong books: the bench fails rather than report its time. */
export class E2eCheckError extends Error {
  readonly code = 'BENCH_E2E_CHECK_FAILED'
}

/** Contestants that keep books, so their books are compared. */
const KEEPS_BOOKS: ReadonlySet<ContestantName> = new Set(['hand-written', 'hand-written-crc', 'dccd-books'])

/** Contestants that count frames, not events per symbol. */
const READS_FRAMES: ReadonlySet<ContestantName> = new Set(['bare', 'journal-lines'])

/** What is wrong with `run` (empty when nothing is). */
export function runProblems(contestant: ContestantName, run: ContestantRun, expected: Expected): string[] {
  const problems = [...run.problems]
  if (!(run.elapsedMs > 0)) problems.push(`no time measured (${run.elapsedMs} ms)`)
  if (run.frames !== undefined && run.frames !== expected.frames) problems.push(`${run.frames} frames read of ${expected.frames}`)
  if (!READS_FRAMES.has(contestant)) {
    for (const symbol of expected.symbols) {
      const want = expected.perSymbol[symbol]!
      const got = run.perSymbol?.[symbol]
      if (got === undefined || got.bookEvents !== want.bookEvents || got.trades !== want.trades || got.lastTradeId !== want.lastTradeId) {
        problems.push(`${symbol}: counted ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`)
      }
    }
  }
  // A recorder loses nothing: every trade and every level of every book message is in a sealed file (status rows may add).
  if (run.recorded !== undefined && expected.rows !== undefined && run.recorded.rowsSealed < expected.rows) {
    problems.push(`${run.recorded.rowsSealed} rows sealed of ${expected.rows} the session makes`)
  }
  if (KEEPS_BOOKS.has(contestant)) {
    for (const symbol of expected.symbols) {
      const book = run.books?.[symbol]
      const difference = book === undefined ? 'no book' : firstDifference([book], [expected.books[symbol]!])
      if (difference !== undefined) problems.push(`${symbol} book: ${difference}`)
    }
  }
  return problems
}
