/**
 * Paces outgoing messages on one socket: at most one send every
 * `1000 / ratePerSecond` ms. Exchanges cap incoming messages per connection
 * (Binance: 5 per second, see protocols.md), and a burst of subscriptions
 * after a reconnect would otherwise get the socket closed.
 */

interface Pending {
  run: () => void
  resolve: () => void
}

/**
 * FIFO of sends released one per interval. No burst allowance, by design:
 * spacing every message keeps us under a per-second cap whatever window
 * boundaries the exchange uses.
 */
export class SendPacer {
  private readonly intervalMs: number
  private readonly pending: Pending[] = []
  private timer: ReturnType<typeof setTimeout> | undefined
  private closed = false
  /** `performance.now()` of the last send. */
  private lastSentAt = Number.NEGATIVE_INFINITY

  /** @param ratePerSecond messages per second; `Infinity` sends immediately. */
  constructor(ratePerSecond: number) {
    this.intervalMs = Number.isFinite(ratePerSecond) ? 1000 / ratePerSecond : 0
  }

  /** Runs `run` when its turn comes; resolves after it ran (or when the pacer closed first). */
  submit(run: () => void): Promise<void> {
    if (this.closed) return Promise.resolve()
    if (this.intervalMs === 0) {
      run()
      return Promise.resolve()
    }
    return new Promise<void>((resolve) => {
      this.pending.push({ run, resolve })
      if (this.timer === undefined) this.release()
    })
  }

  /** Messages waiting for their turn. */
  get waiting(): number {
    return this.pending.length
  }

  /** Drops waiting sends (the socket is gone; its subscriptions died with it) and resolves their promises. */
  close(): void {
    this.closed = true
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.timer = undefined
    for (const item of this.pending.splice(0)) item.resolve()
  }

  private readonly release = (): void => {
    // A timer can fire early against the real clock: libuv measures it from the loop time cached when the
    // iteration began, so one armed at the end of a long callback comes due too soon. Check the real clock.
    const early = this.lastSentAt + this.intervalMs - performance.now()
    if (early > 0) {
      this.timer = setTimeout(this.release, Math.ceil(early))
      return
    }
    const item = this.pending.shift()
    if (item === undefined) {
      this.timer = undefined // idle: the next submit may go at once
      return
    }
    try {
      item.run()
    } finally {
      this.lastSentAt = performance.now()
      item.resolve()
      // Even the last send starts a cooldown, so a send right after it still waits its turn.
      this.timer = setTimeout(this.release, this.intervalMs)
    }
  }
}
