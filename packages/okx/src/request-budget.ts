/**
 * OKX allows each connection 480 subscribe, unsubscribe and login requests
 * an hour (https://www.okx.com/docs-v5/en/#overview-websocket-overview). A
 * book resync spends two; a connection whose budget cannot pay for one is
 * replaced instead (a fresh connection starts with a fresh budget).
 */

/** Requests per connection per hour. */
export const REQUESTS_PER_HOUR = 480
const HOUR_MS = 3_600_000

/** One connection's requests over the last hour. */
export class RequestBudget {
  readonly #times: number[] = []

  constructor(
    readonly limit: number = REQUESTS_PER_HOUR,
    private readonly now: () => number = Date.now,
  ) {}

  /** Spends `count` requests if the last hour leaves room for them; false (nothing spent) otherwise. */
  trySpend(count: number): boolean {
    const now = this.now()
    const times = this.#times
    let expired = 0
    while (expired < times.length && times[expired]! <= now - HOUR_MS) expired++
    if (expired > 0) times.splice(0, expired)
    if (times.length + count > this.limit) return false
    for (let i = 0; i < count; i++) times.push(now)
    return true
  }
}
