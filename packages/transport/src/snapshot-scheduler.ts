/**
 * Book snapshots over REST for feeds that rebuild books from one (Binance's
 * diff-depth streams): an adapter says "this symbol needs a snapshot", and the
 * scheduler fetches it once — a request for a symbol already pending is a
 * no-op — at most `concurrency` at a time, through the feed's `RestClient`
 * (whose limiter keeps the REST weight budget). After a failure the scheduler
 * waits `retryDelayMs` and then tells the adapter (`onRetryDue`), which asks
 * again if it still needs the snapshot — unless the failure is fatal.
 *
 * Its own concurrency (not the client's) so snapshots never wait behind a
 * slow trade-history request that shares the client's budget.
 */
import { errorMessage, silentLogger } from '@dccd/core'
import type { Logger } from '@dccd/core'

/** Options of {@link SnapshotScheduler}. */
export interface SnapshotSchedulerOptions<S> {
  /** Fetches one snapshot (its retries included), e.g. `client.getJson(…)`. */
  readonly fetch: (symbol: string, signal: AbortSignal) => Promise<S>
  /** A snapshot arrived. Throwing makes it a failed request. */
  readonly onSnapshot: (symbol: string, snapshot: S) => void
  /** A failure that asking again cannot fix (the exchange refused the symbol): `onFatal` gets it, no retry. Default: none. */
  readonly isFatal?: (error: unknown) => boolean
  /** Called with a fatal failure (e.g. to end the stream). */
  readonly onFatal?: (error: unknown) => void
  /**
   * `retryDelayMs` after a failed (non-fatal) request: ask again with `request()` if the
   * snapshot is still needed. Default: ask again.
   */
  readonly onRetryDue?: (symbol: string) => void
  /** Snapshots in flight at once, ≥ 1. Default 10. */
  readonly concurrency?: number
  /** Wait before asking again after a failure, ms. Default 5000. */
  readonly retryDelayMs?: number
  /**
   * Least time between the starts of two requests for one symbol, ms: a request sooner than that
   * waits its turn (queued). Keeps a venue that keeps answering with a stale snapshot from being
   * asked again in a tight loop. Default 0.
   */
  readonly minSpacingMs?: number
  /** Aborting it cancels queued requests, requests in flight and pending retries (the feed's lifecycle signal). */
  readonly signal: AbortSignal
  readonly logger?: Logger
}

/** Progress of snapshot fetching. */
export interface SnapshotProgress {
  /** Waiting for a free slot or a retry. */
  queued: number
  inFlight: number
  /** Answered since the feed started. */
  fetched: number
  /** Failed since the feed started. */
  failed: number
}

/**
 * @example
 * const snapshots = new SnapshotScheduler({ signal, fetch: (s, signal) => client.getJson('/api/v3/depth', { query: { symbol: s }, signal }),
 *   onSnapshot: (symbol, body) => deliver({ type: 'snapshot', symbol, body }) })
 * snapshots.request('BTCUSDT')
 */
export class SnapshotScheduler<S> {
  readonly #options: SnapshotSchedulerOptions<S>
  readonly #logger: Logger
  readonly #concurrency: number
  readonly #queue: string[] = []
  /** Every symbol queued, in flight or waiting for a retry. */
  readonly #pending = new Set<string>()
  readonly #retries = new Map<string, ReturnType<typeof setTimeout>>()
  /** When each symbol's last request started, ms (`Date.now()`). */
  readonly #startedAt = new Map<string, number>()
  #inFlight = 0
  #fetched = 0
  #failed = 0

  constructor(options: SnapshotSchedulerOptions<S>) {
    this.#options = options
    this.#logger = options.logger ?? silentLogger
    this.#concurrency = options.concurrency ?? 10
    options.signal.addEventListener('abort', () => this.#stop(), { once: true })
  }

  get progress(): SnapshotProgress {
    return { queued: this.#queue.length + this.#retries.size, inFlight: this.#inFlight, fetched: this.#fetched, failed: this.#failed }
  }

  /** Asks for one snapshot of `symbol`; a no-op while one is queued, in flight or waiting to be retried. */
  request(symbol: string): void {
    if (this.#options.signal.aborted || this.#pending.has(symbol)) return
    this.#pending.add(symbol)
    const wait = (this.#startedAt.get(symbol) ?? -Infinity) + (this.#options.minSpacingMs ?? 0) - Date.now()
    if (wait > 0) {
      // Counted as queued (a retry timer) until its turn comes.
      const timer = setTimeout(() => {
        this.#retries.delete(symbol)
        this.#queue.push(symbol)
        this.#pump()
      }, wait)
      this.#retries.set(symbol, timer)
      return
    }
    this.#queue.push(symbol)
    this.#pump()
  }

  #pump(): void {
    while (this.#queue.length > 0 && this.#inFlight < this.#concurrency && !this.#options.signal.aborted) {
      void this.#run(this.#queue.shift()!)
    }
  }

  async #run(symbol: string): Promise<void> {
    this.#inFlight++
    this.#startedAt.set(symbol, Date.now())
    let snapshot: S
    try {
      snapshot = await this.#options.fetch(symbol, this.#options.signal)
    } catch (error) {
      this.#finish(symbol)
      this.#failure(symbol, error)
      return
    }
    this.#finish(symbol)
    if (this.#options.signal.aborted) return
    try {
      this.#options.onSnapshot(symbol, snapshot)
      this.#fetched++
    } catch (error) {
      // A handler that throws on the answer (an unreadable body) makes it a failed request, never an unhandled rejection.
      this.#failure(symbol, error)
    }
  }

  /** Bookkeeping before the outcome is handled: a handler may ask for the same symbol again. */
  #finish(symbol: string): void {
    this.#inFlight--
    this.#pending.delete(symbol)
    this.#pump()
  }

  #failure(symbol: string, error: unknown): void {
    if (this.#options.signal.aborted) return
    this.#failed++
    if (this.#guard('isFatal', () => this.#options.isFatal?.(error)) === true) {
      this.#guard('onFatal', () => this.#options.onFatal?.(error))
      return
    }
    const retryDelayMs = this.#options.retryDelayMs ?? 5000
    this.#logger.warn('book snapshot failed; retrying', { symbol, retryInMs: retryDelayMs, error: errorMessage(error) })
    this.#pending.add(symbol)
    const timer = setTimeout(() => {
      this.#retries.delete(symbol)
      this.#pending.delete(symbol)
      if (this.#options.onRetryDue === undefined) this.request(symbol)
      else this.#guard('onRetryDue', () => this.#options.onRetryDue!(symbol))
    }, retryDelayMs)
    this.#retries.set(symbol, timer)
  }

  /** Runs an adapter callback; a throw is logged, never an unhandled rejection or a throw out of a timer. */
  #guard<R>(name: string, callback: () => R): R | undefined {
    try {
      return callback()
    } catch (error) {
      this.#logger.error(`snapshot scheduler: ${name} threw`, { error: errorMessage(error) })
      return undefined
    }
  }

  #stop(): void {
    this.#queue.length = 0
    for (const timer of this.#retries.values()) clearTimeout(timer)
    this.#retries.clear()
    this.#pending.clear()
  }
}
