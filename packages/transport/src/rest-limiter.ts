/**
 * The gate every REST request of a client passes: a weighted budget (the
 * {@link WeightBudget} ledger, so no server window ever sees more than the
 * limit) and a cap on requests in flight. Waiting requests are served first
 * come, first served, so a heavy request (a 5000-level snapshot) is not
 * starved by a stream of light ones. One limiter per client, so snapshots and
 * trade recovery share one budget without either knowing of the other.
 */
import { InvalidArgumentError } from '@dccd/core'
import { WeightBudget } from './weight-budget.js'

/** An exchange's REST budget. */
export interface RateLimit {
  /** Weight the exchange allows per interval. */
  readonly weight: number
  /** Interval length, ms. */
  readonly intervalMs: number
  /**
   * Lower-case name of a response header carrying the server's count of weight
   * used in its current window (Binance `x-mbx-used-weight-1m`); weight used
   * by other clients on the same IP then counts too.
   */
  readonly usedWeightHeader?: string
  /** Share (0..1] of `weight` this client may spend, leaving the rest to other clients. Default 1. */
  readonly share?: number
}

/** Options of {@link RestLimiter}. */
export interface RestLimiterOptions {
  /** Default: no weight limit. */
  readonly rateLimit?: RateLimit
  /** Requests in flight at once, ≥ 1. Default: unlimited. */
  readonly maxConcurrent?: number
  /** Clock, ms. Default `Date.now`. */
  readonly now?: () => number
}

/** A granted request: call `release()` once its response (or failure) arrived. */
export interface Permit {
  release(): void
}

interface Waiter {
  readonly weight: number
  resolve(permit: Permit): void
  reject(error: unknown): void
  readonly signal: AbortSignal | undefined
  onAbort: (() => void) | undefined
}

/**
 * @example
 * const limiter = new RestLimiter({ rateLimit: { weight: 6000, intervalMs: 60_000, share: 0.8 }, maxConcurrent: 10 })
 * const permit = await limiter.acquire(50, signal)
 * try { await fetch(url) } finally { permit.release() }
 */
export class RestLimiter {
  #rateLimit: RateLimit | undefined
  readonly #budget: WeightBudget | undefined
  readonly #maxConcurrent: number
  readonly #waiters: Waiter[] = []
  #inFlight = 0
  #timer: ReturnType<typeof setTimeout> | undefined

  constructor(options: RestLimiterOptions = {}) {
    const maxConcurrent = options.maxConcurrent ?? Number.POSITIVE_INFINITY
    if (!(maxConcurrent >= 1)) throw new InvalidArgumentError('option maxConcurrent', maxConcurrent, ['an integer >= 1'])
    this.#maxConcurrent = maxConcurrent
    this.#rateLimit = options.rateLimit
    this.#budget =
      options.rateLimit === undefined
        ? undefined
        : new WeightBudget({ ...budgetOf(options.rateLimit), ...(options.now === undefined ? {} : { now: options.now }) })
  }

  /** The budget in force (undefined: unlimited). */
  get rateLimit(): RateLimit | undefined {
    return this.#rateLimit
  }

  /** Requests waiting for budget or a free slot. */
  get waiting(): number {
    return this.#waiters.length
  }

  /** Requests granted and not released yet. */
  get inFlight(): number {
    return this.#inFlight
  }

  /** Weight counted against the current window, in-flight requests included (0 without a budget). */
  get used(): number {
    return this.#budget?.used ?? 0
  }

  /**
   * Adopt the exchange's real limit (read from its rules at start). Weight
   * already spent keeps counting. Only a client created with a `rateLimit` can
   * change it: an unlimited client stays unlimited.
   */
  setRateLimit(rateLimit: RateLimit): void {
    if (this.#budget === undefined) throw new InvalidArgumentError('rateLimit', rateLimit, ['only on a client created with a rateLimit'])
    // Validate before adopting anything: a rejected limit must leave the one in force (and its header) intact.
    const { limit, windowMs } = budgetOf(rateLimit)
    this.#rateLimit = rateLimit
    this.#budget.setLimit(limit, windowMs)
    this.#pump()
  }

  /** The server reported `usedWeight` for its current window (other clients on the IP count too). */
  observe(usedWeight: number): void {
    if (this.#budget === undefined || !Number.isFinite(usedWeight)) return
    this.#budget.observe(usedWeight)
    this.#pump()
  }

  /**
   * Resolves with a permit once `weight` fits the budget and a slot is free,
   * after every request already waiting. Rejects with the signal's reason if
   * `signal` aborts first.
   */
  acquire(weight: number, signal?: AbortSignal): Promise<Permit> {
    if (!(weight >= 0)) return Promise.reject(new InvalidArgumentError('request weight', weight, ['a number >= 0']))
    if (signal?.aborted === true) return Promise.reject(signal.reason)
    return new Promise<Permit>((resolve, reject) => {
      const waiter: Waiter = { weight, resolve, reject, signal, onAbort: undefined }
      if (signal !== undefined) {
        waiter.onAbort = () => {
          const index = this.#waiters.indexOf(waiter)
          if (index !== -1) this.#waiters.splice(index, 1)
          reject(signal.reason)
          this.#pump()
        }
        signal.addEventListener('abort', waiter.onAbort, { once: true })
      }
      this.#waiters.push(waiter)
      this.#pump()
    })
  }

  #pump(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer)
    this.#timer = undefined
    while (this.#waiters.length > 0 && this.#inFlight < this.#maxConcurrent) {
      const head = this.#waiters[0]!
      const delay = this.#budget?.delayFor(head.weight) ?? 0
      if (delay === Infinity) return // a release frees weight and pumps again
      if (delay > 0) {
        this.#timer = setTimeout(() => this.#pump(), delay)
        return
      }
      this.#waiters.shift()
      if (head.onAbort !== undefined) head.signal?.removeEventListener('abort', head.onAbort)
      head.resolve(this.#grant(head.weight))
    }
  }

  #grant(weight: number): Permit {
    const budget = this.#budget
    const entry = budget?.spend(weight)
    this.#inFlight++
    let released = false
    return {
      release: () => {
        if (released) return
        released = true
        if (entry !== undefined) budget!.settle(entry)
        this.#inFlight--
        this.#pump()
      },
    }
  }
}

/** The ledger's limit for a rate limit: its share, at least 1. */
function budgetOf(rateLimit: RateLimit): { limit: number; windowMs: number } {
  const share = rateLimit.share ?? 1
  if (!(share > 0 && share <= 1)) throw new InvalidArgumentError('rateLimit.share', share, ['a number in (0, 1]'])
  if (!(rateLimit.weight > 0) || !Number.isFinite(rateLimit.weight)) {
    throw new InvalidArgumentError('rateLimit.weight', rateLimit.weight, ['a number > 0'])
  }
  if (!(rateLimit.intervalMs > 0) || !Number.isFinite(rateLimit.intervalMs)) {
    throw new InvalidArgumentError('rateLimit.intervalMs', rateLimit.intervalMs, ['a number > 0'])
  }
  return { limit: Math.max(1, Math.floor(rateLimit.weight * share)), windowMs: rateLimit.intervalMs }
}
