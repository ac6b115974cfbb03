/**
 * Fetches book snapshots concurrently but inside the REST weight budget, so
 * starting hundreds of books never draws a 429 (or, after ignored 429s, an
 * IP ban). Requests are served first come, first served, one snapshot per
 * symbol; other REST requests (trade recovery) join the same queue with
 * `submit`, so they share the budget and the concurrency limit.
 */
import type { WeightBudget } from './weight-budget.js'

/** Options of {@link SnapshotScheduler}. */
export interface SnapshotSchedulerOptions<S> {
  /** Weight of one snapshot request. */
  weight: number
  /** Requests in flight at once, ≥ 1. */
  concurrency: number
  /** Performs one request (its retries included). */
  fetch: (symbol: string) => Promise<S>
  /** A snapshot arrived. */
  onSnapshot: (symbol: string, snapshot: S) => void
  /** A request failed for good. */
  onError: (symbol: string, error: unknown) => void
}

/** Progress of snapshot fetching, for logs and callers. */
export interface SnapshotProgress {
  /** Waiting for budget or a free slot. */
  queued: number
  inFlight: number
  /** Answered since the feed started. */
  fetched: number
  /** Failed since the feed started. */
  failed: number
}

/** One queued request: a snapshot (`symbol`) or another task (`symbol` undefined). */
interface Job {
  readonly symbol: string | undefined
  readonly weight: number
  /** Performs the request. */
  readonly fetch: () => Promise<unknown>
  readonly onResult: (value: unknown) => void
  readonly onError: (error: unknown) => void
  /** The scheduler stopped before the job's outcome could be handled. */
  readonly cancel: () => void
}

/** Queue + concurrency limit + weight budget for snapshot (and other) requests. */
export class SnapshotScheduler<S> {
  readonly #options: SnapshotSchedulerOptions<S>
  #budget: WeightBudget
  readonly #queue: Job[] = []
  /** Symbols whose snapshot is in flight. */
  readonly #active = new Set<string>()
  #running = 0
  #fetched = 0
  #failed = 0
  #timer: ReturnType<typeof setTimeout> | undefined
  #stopped = false

  constructor(budget: WeightBudget, options: SnapshotSchedulerOptions<S>) {
    this.#budget = budget
    this.#options = options
  }

  /** The budget in use (replaced once the exchange's real limit is known). */
  get budget(): WeightBudget {
    return this.#budget
  }

  set budget(budget: WeightBudget) {
    this.#budget = budget
    this.#pump()
  }

  get progress(): SnapshotProgress {
    let queued = 0
    for (const job of this.#queue) if (job.symbol !== undefined) queued++
    return { queued, inFlight: this.#active.size, fetched: this.#fetched, failed: this.#failed }
  }

  /** Asks for one snapshot of `symbol`; a no-op while one is queued or in flight. */
  request(symbol: string): void {
    if (this.#stopped || this.#active.has(symbol) || this.#queue.some((job) => job.symbol === symbol)) return
    const options = this.#options
    this.#queue.push({
      symbol,
      weight: options.weight,
      fetch: () => options.fetch(symbol),
      onResult: (snapshot) => {
        options.onSnapshot(symbol, snapshot as S)
        this.#fetched++ // not when onSnapshot threw: that one counts as failed
      },
      onError: (error) => {
        this.#failed++
        options.onError(symbol, error)
      },
      cancel: () => {},
    })
    this.#pump()
  }

  /**
   * Runs another REST request of `weight` inside the same budget and
   * concurrency limit, after the requests already queued. Rejects with
   * `task`'s error, or when the scheduler stops first.
   */
  submit<T>(weight: number, task: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.#stopped) {
        reject(new Error('feed stopped'))
        return
      }
      this.#queue.push({
        symbol: undefined,
        weight,
        fetch: task,
        onResult: (value) => resolve(value as T),
        onError: reject,
        cancel: () => reject(new Error('feed stopped')),
      })
      this.#pump()
    })
  }

  /** Drops queued requests and ignores answers still in flight. */
  stop(): void {
    this.#stopped = true
    for (const job of this.#queue.splice(0)) job.cancel()
    if (this.#timer !== undefined) clearTimeout(this.#timer)
    this.#timer = undefined
  }

  #pump(): void {
    if (this.#stopped || this.#timer !== undefined) return
    while (this.#queue.length > 0 && this.#running < this.#options.concurrency) {
      const delay = this.#budget.delayFor(this.#queue[0]!.weight)
      if (delay === Infinity) return // an in-flight request's answer frees weight and pumps again
      if (delay > 0) {
        this.#timer = setTimeout(() => {
          this.#timer = undefined
          this.#pump()
        }, delay)
        return
      }
      this.#start(this.#queue.shift()!)
    }
  }

  #start(job: Job): void {
    const budget = this.#budget
    const handle = budget.spend(job.weight)
    this.#running++
    if (job.symbol !== undefined) this.#active.add(job.symbol)
    // Bookkeeping before the outcome is handled: a handler may ask for the same symbol again.
    const finish = (): boolean => {
      budget.settle(handle)
      this.#running--
      if (job.symbol !== undefined) this.#active.delete(job.symbol)
      if (this.#stopped) job.cancel()
      return !this.#stopped
    }
    job.fetch().then(
      (value) => {
        if (!finish()) return
        try {
          job.onResult(value)
        } catch (error) {
          // A handler that throws on the answer makes it a failed request, never an unhandled rejection.
          job.onError(error)
        } finally {
          this.#pump()
        }
      },
      (error: unknown) => {
        if (!finish()) return
        try {
          job.onError(error)
        } finally {
          this.#pump()
        }
      },
    )
  }
}
