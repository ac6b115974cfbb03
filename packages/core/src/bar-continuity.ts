/**
 * Bar continuity: consecutive closed bars of a symbol and interval open
 * exactly one interval apart. Every bar update is checked (core's
 * `SequenceContinuity`, the engine trades use): bars are numbered by
 * interval, a closed bar accounts for its own number, an open one for the
 * numbers before it. So a missed close — in a dropped frame, across a
 * reconnect, or while the process was not running (a resume point) — is a
 * hole at the next update, recovered from the exchange's kline history and
 * emitted as `closed: true` bars in order before live bars continue. What
 * cannot be fetched is one `gap` per range with the missing open times. An
 * interval the exchange has no bar for (no trades) is skipped, not invented.
 */
import { addBars, barsBetween, intervalMicros } from './bar-time.js'
import type { BarEvent, MarketEvent } from './events.js'
import type { BarResumePoint } from './resume.js'
import { SequenceContinuity, commonOptions } from './sequence-continuity.js'
import type { ContinuityCommonOptions, SequenceHistory, SequenceRule } from './sequence-continuity.js'
import { barGapEvent } from './status.js'
import { microsToIso } from './time.js'

/** Closed bars `fromOpenTime`..`toOpenTime` (open times, µs, inclusive) of one symbol and interval that must be fetched. */
export interface BarHole {
  readonly symbol: string
  readonly interval: string
  readonly fromOpenTime: number
  readonly toOpenTime: number
}

/** Where missed closed bars come from: an exchange's kline/OHLC history (REST). */
export interface BarHistorySource {
  /** Names the endpoint in gap reasons, e.g. `GET /api/v3/klines`. */
  readonly name: string
  /**
   * Pages of bars ascending by open time, from `hole.fromOpenTime` on. A page
   * may run past `toOpenTime`: a bar after the hole (open or closed; it is
   * never emitted) proves that intervals the exchange returned nothing for
   * had no bar, so they are not gaps. Ends when the hole is covered or the
   * venue has nothing more; rejects on failure.
   */
  fetch(hole: BarHole, signal: AbortSignal): AsyncIterable<readonly BarEvent[]>
}

/** Options of {@link BarContinuity}. */
export interface BarContinuityOptions extends ContinuityCommonOptions {
  /** Where missed closes are recovered from; undefined: a hole is only reported as a gap. */
  readonly history?: BarHistorySource
  /** Most bars recovered per hole and most live updates held per symbol and interval meanwhile. */
  readonly maxRecoveredBars: number
}

const SEPARATOR = '\u0000'

/**
 * A bar's number within its series. Fixed intervals count from the epoch
 * (`floor`, so any constant alignment offset works); months by calendar.
 */
function barIndex(interval: string, openTime: number): number {
  const fixed = intervalMicros(interval)
  return fixed !== undefined ? Math.floor(openTime / fixed) : barsBetween(interval, 0, openTime)
}

/**
 * @example
 * const bars = new BarContinuity({ exchange: 'binance', history: klines, maxRecoveredBars: 10_000,
 *   unrecoveredReason: 'bars missed', emit: (event) => push(event) })
 * bars.accept(bar, out) // every bar update, in stream order
 */
export class BarContinuity {
  readonly #engine: SequenceContinuity<BarEvent>
  /** An open time of each series: numbers map back to open times from it. */
  readonly #anchors = new Map<string, { interval: string; symbol: string; openTime: number; index: number }>()

  constructor(options: BarContinuityOptions) {
    const anchors = this.#anchors
    const openTimeOf = (key: string, index: number): number => {
      const anchor = anchors.get(key)!
      return addBars(anchor.interval, anchor.openTime, index - anchor.index)
    }
    const rule: SequenceRule<BarEvent> = {
      key: (bar) => this.#key(bar.symbol, bar.interval, bar.openTime),
      seq: (bar) => barIndex(bar.interval, bar.openTime),
      final: (bar) => bar.closed,
      // A bar is as old as its end: a daily bar closed an hour ago is an hour old.
      time: (bar) => addBars(bar.interval, bar.openTime, 1),
      gap: (key, from, to, reason, localTimestamp) => {
        const { symbol, interval } = anchors.get(key)!
        return barGapEvent(options.exchange, symbol, interval, openTimeOf(key, from), openTimeOf(key, to), reason, localTimestamp)
      },
      range: (key, from, to) => `${microsToIso(openTimeOf(key, from))}..${microsToIso(openTimeOf(key, to))}`,
      skippedAreMissing: false,
      consecutive: true,
      capName: 'maxRecoveredBars',
      noun: 'bars',
    }
    const source = options.history
    const history: SequenceHistory<BarEvent> | undefined =
      source === undefined
        ? undefined
        : {
            name: source.name,
            fetch: (hole, signal) => {
              const { symbol, interval } = anchors.get(hole.key)!
              return source.fetch({ symbol, interval, fromOpenTime: openTimeOf(hole.key, hole.from), toOpenTime: openTimeOf(hole.key, hole.to) }, signal)
            },
          }
    this.#engine = new SequenceContinuity<BarEvent>({
      ...commonOptions(options),
      rule,
      ...(history === undefined ? {} : { history }),
      maxRecovered: options.maxRecoveredBars,
    })
  }

  /** Bar updates dropped: for a bar already closed, or older. */
  get duplicates(): number {
    return this.#engine.duplicates
  }

  /**
   * Starts a series from a consumer's last stored closed bar: nothing up to it
   * is emitted, and the first live update is checked against it (the closed
   * bars between are recovered). Ignored once the series has bars.
   */
  resume(symbol: string, interval: string, point: BarResumePoint): void {
    const key = this.#key(symbol, interval, point.lastOpenTime)
    this.#engine.resume(key, barIndex(interval, point.lastOpenTime), addBars(interval, point.lastOpenTime, 1))
  }

  /** One bar update, in stream order; appends what may go out now to `out`. */
  accept(bar: BarEvent, out: MarketEvent[]): void {
    this.#engine.accept(bar, out)
  }

  /** True while the series has a hole being recovered. */
  recovering(symbol: string, interval: string): boolean {
    return this.#engine.recovering(`${symbol}${SEPARATOR}${interval}`)
  }

  /** Drops everything held and cancels recoveries. */
  stop(): void {
    this.#engine.stop()
  }

  /** The series key, remembering an open time of it the first time. */
  #key(symbol: string, interval: string, openTime: number): string {
    const key = `${symbol}${SEPARATOR}${interval}`
    if (!this.#anchors.has(key)) this.#anchors.set(key, { symbol, interval, openTime, index: barIndex(interval, openTime) })
    return key
  }
}
