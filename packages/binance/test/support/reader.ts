/** Reads a feed's stream in tests with a deadline, so a broken feed fails instead of hanging. */
import type { Feed, MarketEvent } from '@dccd/core'

export class Reader {
  readonly events: MarketEvent[] = []
  readonly #iterator: AsyncIterator<MarketEvent>
  #pending: Promise<IteratorResult<MarketEvent>> | undefined

  constructor(
    readonly feed: Feed,
    private readonly timeoutMs = 8000,
  ) {
    this.#iterator = feed.stream()
  }

  /** Reads until `done(events)` holds; rejects on timeout, on stream end and with the stream's error. */
  async until(done: (events: MarketEvent[]) => boolean, what = 'the expected events'): Promise<MarketEvent[]> {
    const deadline = Date.now() + this.timeoutMs
    while (!done(this.events)) {
      const left = deadline - Date.now()
      let timer: ReturnType<typeof setTimeout> | undefined
      const timeout = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), Math.max(0, left))
      })
      const result = await Promise.race([this.#next(), timeout]).finally(() => clearTimeout(timer))
      if (result === 'timeout') {
        throw new Error(`timed out waiting for ${what}; got ${this.events.length} events: ${summary(this.events)}`)
      }
      if (result.done === true) throw new Error(`stream ended waiting for ${what}: ${summary(this.events)}`)
    }
    return this.events
  }

  /** The stream's next outcome (for streams expected to reject). */
  next(): Promise<IteratorResult<MarketEvent>> {
    return this.#next()
  }

  #next(): Promise<IteratorResult<MarketEvent>> {
    this.#pending ??= this.#iterator.next().then((result) => {
      this.#pending = undefined
      if (result.done !== true) this.events.push(result.value)
      return result
    })
    return this.#pending
  }
}

/** Compact event list for failure messages. */
export function summary(events: readonly MarketEvent[]): string {
  return events
    .slice(-30)
    .map((e) =>
      e.type === 'status'
        ? `${e.status}${e.symbol ? `(${e.symbol})` : ''}`
        : e.type === 'book'
          ? `${e.isSnapshot ? 'snap' : 'delta'}(${e.symbol})`
          : `${e.type}(${e.symbol})`,
    )
    .join(' ')
}

export const count = (events: readonly MarketEvent[], test: (event: MarketEvent) => boolean): number =>
  events.reduce((n, event) => (test(event) ? n + 1 : n), 0)
