/**
 * Fetches book snapshots concurrently but inside the REST weight budget, so
 * starting hundreds of books never draws a 429 (or, after ignored 429s, an
 * IP ban). Requests are served first come, first served, one per symbol.
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

/** Queue + concurrency limit + weight budget for snapshot requests. */
export class SnapshotScheduler<S> {
  readonly #options: SnapshotSchedulerOptions<S>
  #budget: WeightBudget
  readonly #queue: string[] = []
  readonly #active = new Set<string>()
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
    return { queued: this.#queue.length, inFlight: this.#active.size, fetched: this.#fetched, failed: this.#failed }
  }

  /** Asks for one snapshot of `symbol`; a no-op while one is queued or in flight. */
  request(symbol: string): void {
    if (this.#stopped || this.#active.has(symbol) || this.#queue.includes(symbol)) return
    this.#queue.push(symbol)
    this.#pump()
  }

  /** Drops queued requests and ignores answers still in flight. */
  stop(): void {
    this.#stopped = true
    this.#queue.length = 0
    if (this.#timer !== undefined) clearTimeout(this.#timer)
    this.#timer = undefined
  }

  #pump(): void {
    if (this.#stopped || this.#timer !== undefined) return
    while (this.#queue.length > 0 && this.#active.size < this.#options.concurrency) {
      const delay = this.#budget.delayFor(this.#options.weight)
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

  #start(symbol: string): void {
    const budget = this.#budget
    const handle = budget.spend(this.#options.weight)
    this.#active.add(symbol)
    const finish = (): boolean => {
      budget.settle(handle)
      this.#active.delete(symbol)
      return !this.#stopped
    }
    this.#options.fetch(symbol).then(
      (snapshot) => {
        if (!finish()) return
        this.#fetched++
        this.#options.onSnapshot(symbol, snapshot)
        this.#pump()
      },
      (error: unknown) => {
        if (!finish()) return
        this.#failed++
        this.#options.onError(symbol, error)
        this.#pump()
      },
    )
  }
}
