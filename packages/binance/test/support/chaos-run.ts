/**
 * Reads a chaos run (feed.chaos.test.ts, futures.chaos.test.ts) to its end:
 * every event is checked as it is read while the driver applies its faults,
 * until the driver is done and every symbol delivered enough deltas and
 * trades past the mark the driver set after its last fault (the feed
 * recovered, it did not just survive). Then the feed is stopped and what it
 * had queued is read and checked too.
 */
import type { CheckedMarket, FeedChecker } from './feed-checker.js'
import type { Reader } from './reader.js'

export interface ChaosRun {
  readonly reader: Reader
  readonly checker: FeedChecker
  readonly market: Pick<CheckedMarket, 'updateId' | 'tradeId'>
  readonly symbols: readonly string[]
  /** Deltas and trades each symbol must deliver after the last fault. */
  readonly afterLastFault: number
  /** Applies the faults; resolves once the last one settled. */
  readonly drive: () => Promise<void>
  /** Names the run (the seed) in failure messages. */
  readonly label: string
  /** What a failure message adds after the label (the plan, the faults applied, the state). */
  readonly context: () => string
}

export async function readChaosRun(run: ChaosRun): Promise<void> {
  const { reader, checker, market, symbols, label } = run
  let mark: Map<string, { update: number; trade: number }> | undefined
  let driverError: unknown
  run.drive().then(
    () => {
      mark = new Map(symbols.map((s) => [s, { update: market.updateId(s), trade: market.tradeId(s) }]))
      checker.mark()
    },
    (error: unknown) => (driverError = error),
  )
  const recovered = (): boolean =>
    mark !== undefined &&
    symbols.every((symbol) => {
      const p = checker.progress(symbol)
      const at = mark!.get(symbol)!
      return (
        p.deltas >= run.afterLastFault && p.trades >= run.afterLastFault && p.bookId !== undefined && p.bookId > at.update && (p.lastTrade ?? 0) > at.trade
      )
    })
  try {
    await reader.until((events) => {
      checker.consume(events)
      if (driverError !== undefined) throw driverError
      return recovered()
    }, 'the run to end')
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    throw new Error(`${message.startsWith(label) ? '' : `${label}: `}${message}${run.context()}`, { cause: error })
  }
  // A hang guard, not a timing assertion: stop() takes about closeTimeoutMs at most.
  await deadline(reader.feed.stop(), 5000, 'feed.stop()')
  // What was queued before stop is read to the end, and is checked too.
  for (let result = await reader.next(); result.done !== true; result = await reader.next()) checker.consume(reader.events)
}

function deadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}
