/**
 * Open interest, which Binance futures publish over REST only
 * (`GET /fapi/v1/openInterest`, `GET /dapi/v1/openInterest`, weight 1 per
 * symbol): every `intervalMs` each symbol is asked once, through the feed's
 * REST client (so the requests spend from the same weight ledger as
 * snapshots and recovery), and each answer whose `time` moved on is handed
 * to the feed. A failed request is logged and asked again next round: open
 * interest is a state, not a stream, so a missed poll loses nothing later
 * polls do not restore.
 * https://developers.binance.com/docs/derivatives/usds-margined-futures/market-data/rest-api/Open-Interest
 * https://developers.binance.com/docs/derivatives/coin-margined-futures/market-data/rest-api/Open-Interest
 */
import { errorMessage } from '@dccd/core'
import type { Logger } from '@dccd/core'

/** Options of {@link OpenInterestPoller}. */
export interface OpenInterestPollerOptions {
  readonly symbols: readonly string[]
  readonly intervalMs: number
  /** One request for `symbol` (the body, unchecked). */
  readonly fetch: (symbol: string, signal: AbortSignal) => Promise<unknown>
  /** An answer arrived; throwing counts it as a failed request. */
  readonly onAnswer: (symbol: string, body: unknown) => void
  /** The feed's lifecycle: aborting it stops the polls and cancels requests in flight. */
  readonly signal: AbortSignal
  readonly logger: Logger
}

/**
 * @example
 * new OpenInterestPoller({ symbols, intervalMs: 60_000, signal, logger,
 *   fetch: (s, signal) => fetchOpenInterest(rest, s, signal, endpoint), onAnswer: (s, body) => deliver(body) }).start()
 */
export class OpenInterestPoller {
  readonly #options: OpenInterestPollerOptions
  /** Symbols whose last request is still out: not asked again until it settles. */
  readonly #inFlight = new Set<string>()
  #timer: ReturnType<typeof setInterval> | undefined
  /** Requests answered and failed since the start. */
  answered = 0
  failed = 0

  constructor(options: OpenInterestPollerOptions) {
    this.#options = options
  }

  /** Polls now, then every `intervalMs` until the signal aborts. */
  start(): void {
    const { signal, intervalMs } = this.#options
    if (signal.aborted || this.#timer !== undefined) return
    this.#round()
    this.#timer = setInterval(() => this.#round(), intervalMs)
    signal.addEventListener('abort', () => clearInterval(this.#timer), { once: true })
  }

  #round(): void {
    for (const symbol of this.#options.symbols) {
      if (!this.#inFlight.has(symbol)) void this.#poll(symbol)
    }
  }

  async #poll(symbol: string): Promise<void> {
    const { fetch, onAnswer, signal, logger } = this.#options
    this.#inFlight.add(symbol)
    try {
      const body = await fetch(symbol, signal)
      if (signal.aborted) return
      onAnswer(symbol, body)
      this.answered++
    } catch (error) {
      if (signal.aborted) return
      this.failed++
      logger.warn('open interest request failed; asking again next round', { symbol, error: errorMessage(error) })
    } finally {
      this.#inFlight.delete(symbol)
    }
  }
}
