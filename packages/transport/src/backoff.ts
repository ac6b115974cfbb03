/**
 * Exponential backoff with jitter: the delay schedule for reconnects and
 * REST retries. Pure (no timers), so it can be tested without a clock.
 */

/** Settings for {@link Backoff}. */
export interface BackoffOptions {
  /** First delay, ms. Must be > 0. */
  initialMs: number
  /** Multiplier applied after each attempt. Must be >= 1. */
  factor: number
  /** Cap on the (un-jittered) delay, ms. */
  maxMs: number
  /** 0..1: share of each delay that is randomised. 0.5 gives delays in [base/2, base]. */
  jitter: number
  /** Random source in [0, 1). Default `Math.random` (injectable for tests). */
  random?: () => number
}

/**
 * The delay sequence `initialMs × factor^n`, capped at `maxMs`, each value
 * scaled down by up to `jitter` of itself. Jitter only ever shortens a delay,
 * so the cap is a true upper bound, while the floor `base × (1 − jitter)`
 * still grows exponentially: failing connections never spin in a tight loop,
 * and many clients that lost the same server do not retry in lock-step.
 *
 * @example
 * const backoff = new Backoff({ initialMs: 1000, factor: 2, maxMs: 60_000, jitter: 0.5 })
 * backoff.next() // 500..1000
 * backoff.next() // 1000..2000
 * backoff.reset()
 */
export class Backoff {
  private base: number
  private readonly random: () => number
  /** Delays handed out since the last reset. */
  attempt = 0

  constructor(private readonly options: BackoffOptions) {
    this.base = options.initialMs
    this.random = options.random ?? Math.random
  }

  /** The next delay in ms, then advances the schedule. */
  next(): number {
    const base = Math.min(this.base, this.options.maxMs)
    this.base = Math.min(base * this.options.factor, this.options.maxMs)
    this.attempt++
    return base * (1 - this.options.jitter * this.random())
  }

  /** Start again from `initialMs` (after a connection proved stable). */
  reset(): void {
    this.base = this.options.initialMs
    this.attempt = 0
  }
}
