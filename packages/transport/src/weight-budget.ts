/**
 * A conservative ledger of REST weight, so snapshot bursts never draw a 429.
 *
 * Why not a token bucket: a bucket of capacity L refilling L per window lets
 * up to 2L through inside one fixed server window (full bucket at the start,
 * refill during it). Here every request counts for a full window, and the
 * window starts when its response arrives (the server counted it at some
 * point between send and response, so the response time is the safe end).
 * That keeps every window of the server's length — fixed or sliding — within
 * the limit. The server's own count (`X-MBX-USED-WEIGHT-*`) is folded in,
 * so weight used by other clients on the same IP is respected too.
 */

interface Entry {
  weight: number
  /** ms; Infinity while the request is in flight. */
  expiresAt: number
  /** When its answer arrived (or the server reported it), ms; Infinity while in flight. */
  settledAt: number
}

/** Options of {@link WeightBudget}. */
export interface WeightBudgetOptions {
  /** Weight allowed per window. */
  limit: number
  /** Window length, ms. */
  windowMs: number
  /** Clock, ms. Default `Date.now`. */
  now?: () => number
}

/**
 * Tracks spent weight; answers how long to wait before spending more.
 *
 * @example
 * const budget = new WeightBudget({ limit: 4800, windowMs: 60_000 })
 * if (budget.delayFor(50) === 0) { const spent = budget.spend(50); await request(); budget.settle(spent) }
 */
export class WeightBudget {
  limit: number
  windowMs: number
  readonly #now: () => number
  #entries: Entry[] = []

  constructor(options: WeightBudgetOptions) {
    this.limit = options.limit
    this.windowMs = options.windowMs
    this.#now = options.now ?? Date.now
  }

  /**
   * Adopt a new limit (the exchange's real one became known). Weight already
   * spent keeps counting: each answered entry until the later of its old end
   * and one new window from its answer (the server counts it for its own
   * window, so a longer one must not let it age out early); entries in flight
   * count for the new window from their answer.
   */
  setLimit(limit: number, windowMs: number): void {
    this.#expire()
    this.limit = limit
    this.windowMs = windowMs
    for (const entry of this.#entries) entry.expiresAt = Math.max(entry.expiresAt, entry.settledAt + windowMs)
  }

  /** Weight counted against the current window (in-flight requests included). */
  get used(): number {
    this.#expire()
    let sum = 0
    for (const entry of this.#entries) sum += entry.weight
    return sum
  }

  /**
   * ms until `weight` fits: 0 = now; `Infinity` = only after an in-flight
   * request settles. A request heavier than the whole limit waits for an
   * empty ledger, then goes alone.
   */
  delayFor(weight: number): number {
    this.#expire()
    const need = Math.min(weight, this.limit)
    let used = 0
    for (const entry of this.#entries) used += entry.weight
    if (used + need <= this.limit || used === 0) return 0
    // Free the oldest-expiring entries until the request fits.
    const byExpiry = [...this.#entries].sort((a, b) => a.expiresAt - b.expiresAt)
    const now = this.#now()
    for (const entry of byExpiry) {
      used -= entry.weight
      if (used + need <= this.limit || used === 0) return entry.expiresAt - now
    }
    return Infinity
  }

  /** Count a request as sent; call `settle` with the returned handle when its response arrives. */
  spend(weight: number): object {
    const entry: Entry = { weight, expiresAt: Infinity, settledAt: Infinity }
    this.#entries.push(entry)
    return entry
  }

  /** The response (or failure) for a spent request arrived: it now ages out one window from here. */
  settle(handle: object): void {
    const entry = handle as Entry
    if (entry.expiresAt !== Infinity) return
    entry.settledAt = this.#now()
    entry.expiresAt = entry.settledAt + this.windowMs
  }

  /**
   * The server reported `usedWeight` for its current window. If that is more
   * than we know of, the difference (other clients on the IP) is counted for a window.
   */
  observe(usedWeight: number): void {
    if (!Number.isFinite(usedWeight)) return
    const extra = usedWeight - this.used
    const now = this.#now()
    if (extra > 0) this.#entries.push({ weight: extra, expiresAt: now + this.windowMs, settledAt: now })
  }

  #expire(): void {
    const now = this.#now()
    if (this.#entries.some((entry) => entry.expiresAt <= now)) {
      this.#entries = this.#entries.filter((entry) => entry.expiresAt > now)
    }
  }
}
