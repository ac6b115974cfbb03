/**
 * Reads a feed's stream with a deadline on every wait, so a broken adapter
 * fails a clause with a message instead of hanging the test run.
 */
import type { Feed, MarketEvent } from '@dccd/core'

/** Why an adapter broke a conformance clause; the message names the offending event or value. */
export class ConformanceFailure extends Error {
  override name = 'ConformanceFailure'
}

export class EventReader {
  /** Every event read so far. */
  readonly events: MarketEvent[] = []
  /** `feed.stats.parseErrors` at the moment each event in `events` was read (same index). */
  readonly parseErrorsAtRead: number[] = []
  readonly #iterator: AsyncIterator<MarketEvent>
  #pending: Promise<IteratorResult<MarketEvent>> | undefined

  constructor(
    readonly feed: Feed,
    private readonly timeoutMs: number,
  ) {
    this.#iterator = feed.stream()
  }

  /** The next event; fails when the stream ends, throws, or stays quiet for timeoutMs. */
  async next(waitingFor: string): Promise<MarketEvent> {
    const result = await this.#race(this.#pull(), waitingFor)
    if (result.done === true) throw new ConformanceFailure(`The stream ended while waiting for ${waitingFor}`)
    return result.value
  }

  /** Raw next() result with the deadline (for clauses that expect the stream to end or reject). */
  nextResult(waitingFor: string): Promise<IteratorResult<MarketEvent>> {
    return this.#race(this.#pull(), waitingFor)
  }

  /**
   * Reads until `done()` holds, checked after each event and, because some conditions
   * depend on feed.stats rather than on events, every 20 ms while the stream is quiet.
   * Fails `withinMs` (default `timeoutMs`) after the call, however busy the stream is: a
   * broken adapter may flood events (a resync storm) without ever meeting the condition.
   */
  async until(done: () => boolean, waitingFor: string, withinMs = this.timeoutMs): Promise<void> {
    if (done()) return
    let interval: ReturnType<typeof setInterval> | undefined
    let deadline: ReturnType<typeof setTimeout> | undefined
    const conditionMet = new Promise<'met'>((resolve) => {
      interval = setInterval(() => done() && resolve('met'), 20)
    })
    const expired = new Promise<never>((_, reject) => {
      deadline = setTimeout(() => reject(new ConformanceFailure(`Timed out after ${withinMs} ms waiting for ${waitingFor}`)), withinMs)
    })
    try {
      while (!done()) {
        const result = await Promise.race([this.#pull(), conditionMet, expired])
        if (result === 'met') break
        if (result.done === true) throw new ConformanceFailure(`The stream ended while waiting for ${waitingFor}`)
      }
    } finally {
      clearInterval(interval)
      clearTimeout(deadline)
    }
  }

  /**
   * Reads the events the feed has already produced: until `stats.queued` is 0 where the feed
   * reports it (transport feeds), else while the next event is ready within a macrotask. A
   * condition over `stats.frames` can hold while the last frames' records still wait in the queue.
   */
  async drain(): Promise<void> {
    for (;;) {
      const queued = (this.feed.stats as { queued?: unknown }).queued
      let result: IteratorResult<MarketEvent> | 'idle'
      if (typeof queued === 'number') {
        if (queued === 0) return
        result = await this.#race(this.#pull(), 'the events already queued')
      } else {
        // Pull first: a feed that hands records over after a setImmediate of its own still wins the race.
        const pulled = this.#pull()
        const idle = new Promise<'idle'>((resolve) => setImmediate(() => resolve('idle')))
        result = await Promise.race([pulled, idle])
      }
      if (result === 'idle' || result.done === true) return
    }
  }

  /** One outstanding iterator.next() at a time; every event lands in `events` in order. */
  #pull(): Promise<IteratorResult<MarketEvent>> {
    this.#pending ??= this.#iterator.next().then(
      (result) => {
        this.#pending = undefined
        if (result.done !== true) {
          this.events.push(result.value)
          this.parseErrorsAtRead.push(this.feed.stats.parseErrors)
        }
        return result
      },
      (error: unknown) => {
        this.#pending = undefined
        throw error
      },
    )
    return this.#pending
  }

  #race<T>(promise: Promise<T>, waitingFor: string): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new ConformanceFailure(`Timed out after ${this.timeoutMs} ms waiting for ${waitingFor}`)),
        this.timeoutMs,
      )
    })
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
  }
}
