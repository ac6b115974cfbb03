/**
 * Token-bucket rate limiter with request weights (Binance charges each REST
 * endpoint a weight against a per-minute budget). Tokens refill continuously
 * at `capacity / intervalMs`; waiting requests are served first come, first
 * served, so a heavy request is not starved by a stream of light ones.
 */
import { InvalidArgumentError } from '@dccd/core'

/** Settings for {@link TokenBucket}. */
export interface TokenBucketOptions {
  /** Budget per interval (Binance: 6000 weight per minute). */
  capacity: number
  /** The interval the budget refills over, ms. */
  intervalMs: number
  /** Clock in ms. Default `Date.now` (injectable for tests). */
  now?: () => number
}

interface Waiter {
  weight: number
  resolve: () => void
  reject: (error: unknown) => void
  signal: AbortSignal | undefined
  onAbort: (() => void) | undefined
}

/**
 * @example
 * const bucket = new TokenBucket({ capacity: 6000, intervalMs: 60_000 })
 * await bucket.take(250)   // e.g. /api/v3/depth?limit=5000
 * bucket.sync(5900)        // the server says 5900 of 6000 are used
 */
export class TokenBucket {
  readonly capacity: number
  private tokens: number
  private last: number
  private readonly ratePerMs: number
  private readonly now: () => number
  private readonly waiters: Waiter[] = []
  private timer: ReturnType<typeof setTimeout> | undefined

  constructor(options: TokenBucketOptions) {
    if (!(options.capacity > 0) || !Number.isFinite(options.capacity)) {
      throw new InvalidArgumentError('option rateLimit.weight', options.capacity, ['a number > 0'])
    }
    if (!(options.intervalMs > 0) || !Number.isFinite(options.intervalMs)) {
      throw new InvalidArgumentError('option rateLimit.intervalMs', options.intervalMs, ['a number > 0'])
    }
    this.capacity = options.capacity
    this.tokens = options.capacity
    this.now = options.now ?? Date.now
    this.last = this.now()
    this.ratePerMs = options.capacity / options.intervalMs
  }

  /** Tokens available right now. */
  available(): number {
    this.refill()
    return this.tokens
  }

  /** Requests waiting for tokens. */
  get waiting(): number {
    return this.waiters.length
  }

  /**
   * Resolves once `weight` tokens were taken. Rejects with the signal's
   * reason if `signal` aborts first, and at once (`InvalidArgumentError`) if
   * `weight` exceeds the capacity, which could never be served.
   */
  take(weight = 1, signal?: AbortSignal): Promise<void> {
    if (!(weight >= 0) || weight > this.capacity) {
      return Promise.reject(
        new InvalidArgumentError('request weight', weight, [`a number from 0 to ${this.capacity}`]),
      )
    }
    if (signal?.aborted === true) return Promise.reject(signal.reason)
    this.refill()
    if (this.waiters.length === 0 && this.tokens >= weight) {
      this.tokens -= weight
      return Promise.resolve()
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { weight, resolve, reject, signal, onAbort: undefined }
      if (signal !== undefined) {
        waiter.onAbort = () => {
          const index = this.waiters.indexOf(waiter)
          if (index !== -1) this.waiters.splice(index, 1)
          reject(signal.reason)
          this.schedule()
        }
        signal.addEventListener('abort', waiter.onAbort, { once: true })
      }
      this.waiters.push(waiter)
      this.schedule()
    })
  }

  /**
   * Align with the server's count: it reports `usedWeight` of the budget as
   * spent in its current window. Only ever lowers the local estimate (the
   * server knows about other clients on the same IP; we know about requests
   * still in flight).
   */
  sync(usedWeight: number): void {
    if (!Number.isFinite(usedWeight) || usedWeight < 0) return
    this.refill()
    this.tokens = Math.min(this.tokens, this.capacity - usedWeight)
    this.schedule()
  }

  private refill(): void {
    const now = this.now()
    const elapsed = now - this.last
    this.last = now
    if (elapsed > 0) this.tokens = Math.min(this.capacity, this.tokens + elapsed * this.ratePerMs)
  }

  private schedule(): void {
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.timer = undefined
    this.refill()
    while (this.waiters.length > 0 && this.tokens >= this.waiters[0]!.weight) {
      const waiter = this.waiters.shift()!
      this.tokens -= waiter.weight
      if (waiter.onAbort !== undefined) waiter.signal?.removeEventListener('abort', waiter.onAbort)
      waiter.resolve()
    }
    const head = this.waiters[0]
    if (head === undefined) return
    const waitMs = Math.ceil((head.weight - this.tokens) / this.ratePerMs)
    this.timer = setTimeout(() => this.schedule(), Math.max(1, waitMs))
  }
}
