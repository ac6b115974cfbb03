import type { BookDump, BookImpl, ReadMode, ReplayResult } from './impls.js'
import type { BookStream } from './frames.js'

/** Thrown when two implementations end in different books or read different values. */
export class BookDisagreementError extends Error {
  readonly code = 'BENCH_BOOKS_DISAGREE'
}

/** Where two dumps first differ, or undefined when they are identical. */
export function firstDifference(a: BookDump, b: BookDump): string | undefined {
  if (a.length !== b.length) return `book count ${a.length} vs ${b.length}`
  for (let i = 0; i < a.length; i++) {
    for (const side of ['bids', 'asks'] as const) {
      const x = a[i]![side]
      const y = b[i]![side]
      const n = Math.max(x.length, y.length)
      for (let j = 0; j < n; j += 2) {
        if (x[j] !== y[j] || x[j + 1] !== y[j + 1]) {
          return `book ${i} ${side} level ${j / 2}: [${x[j]}, ${x[j + 1]}] vs [${y[j]}, ${y[j + 1]}] (${x.length / 2} vs ${y.length / 2} levels)`
        }
      }
    }
  }
  return undefined
}

/**
 * Checks that every result ends in the same books (and `expected`, when
 * given) and read the same values; throws {@link BookDisagreementError}
 * naming the first difference otherwise.
 */
export function assertAgree(
  context: string,
  results: readonly { name: string; result: ReplayResult }[],
  expected?: BookDump,
): void {
  const [first, ...rest] = results
  if (first === undefined) return
  const reference = expected ?? first.result.dump()
  const referenceName = expected ? 'expected book' : first.name
  for (const { name, result } of expected ? results : rest) {
    const diff = firstDifference(result.dump(), reference)
    if (diff !== undefined) throw new BookDisagreementError(`${context}: ${name} disagrees with ${referenceName}: ${diff}`)
    if (!Object.is(result.readSum, first.result.readSum)) {
      throw new BookDisagreementError(`${context}: ${name} read ${result.readSum}, ${first.name} read ${first.result.readSum}`)
    }
  }
}

/** Replays `stream` once per implementation and mode and checks they all agree. */
export function checkAgreement(impls: readonly BookImpl[], stream: BookStream, modes: readonly ReadMode[], expected?: BookDump): void {
  for (const mode of modes) {
    const results = impls.map((impl) => ({ name: impl.name, result: impl.replay(stream.frames, stream.books, mode, 1) }))
    assertAgree(`${stream.name}, ${mode}`, results, expected)
  }
}
