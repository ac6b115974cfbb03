/**
 * Reading a feed in a test: until a condition holds, with a deadline, so a
 * broken feed fails with the events it did yield instead of hanging the run.
 */
import type { Feed, MarketEvent } from '@dccd/core'

/** Options of {@link EventCollector} and {@link collectEvents}. */
export interface CollectOptions {
  /** Longest wait for one `until` (or for the whole `collectEvents`), ms. Default 10000. */
  timeoutMs?: number
}

/**
 * Reads a feed's `stream()` into `events`, one `iterator.next()` at a time.
 *
 * @example
 * const collector = new EventCollector(exchange.createFeed(options), { timeoutMs: 5000 })
 * await collector.until((events) => events.some((e) => e.type === 'trade'), 'a trade')
 * await collector.feed.stop()
 */
export class EventCollector {
  /** Every event read so far, in stream order. */
  readonly events: MarketEvent[] = []
  readonly #iterator: AsyncIterator<MarketEvent>
  readonly #timeoutMs: number
  #pending: Promise<IteratorResult<MarketEvent>> | undefined

  constructor(
    readonly feed: Feed,
    options: CollectOptions = {},
  ) {
    this.#iterator = feed.stream()
    this.#timeoutMs = options.timeoutMs ?? 10_000
  }

  /**
   * Reads until `done(events)` holds (checked before each read and after each event).
   *
   * @throws Error naming `what` and the last events when `timeoutMs` passes or the stream ends first;
   *   the stream's own error when it rejects
   */
  async until(done: (events: readonly MarketEvent[]) => boolean, what = 'the expected events'): Promise<MarketEvent[]> {
    let timer: ReturnType<typeof setTimeout> | undefined
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.#timeoutMs)
    })
    try {
      while (!done(this.events)) {
        const result = await Promise.race([this.next(), timeout])
        if (result === 'timeout') {
          throw new Error(`Timed out after ${this.#timeoutMs} ms waiting for ${what}; read ${describeEvents(this.events)}`)
        }
        if (result.done === true) throw new Error(`The stream ended while waiting for ${what}; read ${describeEvents(this.events)}`)
      }
      return this.events
    } finally {
      clearTimeout(timer)
    }
  }

  /** The stream's next outcome (also appended to `events`), without a deadline: for streams expected to end or reject. */
  next(): Promise<IteratorResult<MarketEvent>> {
    this.#pending ??= this.#iterator.next().then(
      (result) => {
        this.#pending = undefined
        if (result.done !== true) this.events.push(result.value)
        return result
      },
      (error: unknown) => {
        this.#pending = undefined
        throw error
      },
    )
    return this.#pending
  }
}

/**
 * Reads `feed` until `done(events)` holds, then stops it (also on failure).
 *
 * @example
 * const events = await collectEvents(feed, (seen) => seen.filter((e) => e.type === 'trade').length >= 5)
 * @throws Error when `timeoutMs` passes or the stream ends first; the stream's error when it rejects
 */
export async function collectEvents(
  feed: Feed,
  done: (events: readonly MarketEvent[]) => boolean,
  options: CollectOptions = {},
): Promise<MarketEvent[]> {
  const collector = new EventCollector(feed, options)
  try {
    return await collector.until(done)
  } finally {
    await feed.stop()
  }
}

/**
 * The last `count` events in one line, for failure messages:
 * `connected snap(BTCUSDT) delta(BTCUSDT) trade(BTCUSDT#42) resync(BTCUSDT) gap(BTCUSDT 43..45)`.
 *
 * @example expect(resyncs, describeEvents(collector.events)).toHaveLength(1)
 */
export function describeEvents(events: readonly MarketEvent[], count = 30): string {
  const shown = events.slice(-count).map((event) => {
    switch (event.type) {
      case 'status': {
        const range = event.fromId === undefined ? '' : ` ${event.fromId}..${event.toId}`
        return `${event.status}${event.symbol === undefined ? '' : `(${event.symbol}${range})`}`
      }
      case 'book':
        return `${event.isSnapshot ? 'snap' : 'delta'}(${event.symbol})`
      case 'trade':
        return `trade(${event.symbol}#${event.id})`
      default:
        return `${event.type}(${event.symbol})`
    }
  })
  const skipped = events.length - shown.length
  return `${events.length} events${skipped > 0 ? `, the last ${shown.length}` : ''}: ${shown.join(' ')}`
}
