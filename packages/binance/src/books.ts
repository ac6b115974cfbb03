/**
 * Every book of a feed: one `BookSync` per symbol, their REST snapshots
 * fetched through the weight-aware scheduler, and progress reporting.
 */
import { hasErrorCode, nowMicros } from '@dccd/core'
import type { Logger, MarketEvent } from '@dccd/core'
import type { RestClient } from '@dccd/transport'
import { BookSync } from './book-sync.js'
import type { BinanceDepthUpdate } from './parse.js'
import { fetchDepthSnapshot } from './rest.js'
import { SnapshotScheduler } from './snapshot-scheduler.js'
import type { SnapshotProgress } from './snapshot-scheduler.js'
import { FALLBACK_WEIGHT_LIMIT, snapshotWeight } from './weight.js'
import type { WeightLimit } from './weight.js'
import { WeightBudget } from './weight-budget.js'
import type { BinanceDepthSnapshot } from './wire.js'

/** Wait before asking again for a snapshot whose request failed after all retries, ms. */
const SNAPSHOT_RETRY_MS = 5000

/** Progress of book synchronisation. */
export interface BookProgress extends SnapshotProgress {
  /** Symbols with a book channel. */
  books: number
  /** Books currently live (snapshot applied, deltas proven). */
  live: number
}

/** What {@link Books} needs from its feed. */
export interface BooksHost {
  readonly rest: RestClient
  readonly signal: AbortSignal
  readonly logger: Logger
  /** Emit records produced outside a frame (snapshots, deltas buffered behind them). */
  push(event: MarketEvent): void
  /** End the stream (Binance refused a snapshot request). */
  fail(error: Error): void
  /** Run `task` after `delayMs` unless the feed stopped. */
  later(delayMs: number, task: () => void): void
}

/** Book syncs and snapshot fetching for a set of symbols. */
export class Books {
  readonly #host: BooksHost
  readonly #syncs = new Map<string, BookSync>()
  readonly #scheduler: SnapshotScheduler<BinanceDepthSnapshot>
  readonly #share: number
  #weightLimit: WeightLimit = FALLBACK_WEIGHT_LIMIT
  #live = 0

  constructor(
    host: BooksHost,
    symbols: readonly string[],
    options: { snapshotLimit: number; concurrency: number; restWeightShare: number },
  ) {
    this.#host = host
    this.#share = options.restWeightShare
    this.#scheduler = new SnapshotScheduler<BinanceDepthSnapshot>(this.#budgetFor(FALLBACK_WEIGHT_LIMIT), {
      weight: snapshotWeight(options.snapshotLimit),
      concurrency: options.concurrency,
      fetch: (symbol) => fetchDepthSnapshot(host.rest, symbol, options.snapshotLimit, host.signal),
      onSnapshot: (symbol, snapshot) => this.#arrived(symbol, snapshot),
      onError: (symbol, error) => this.#failed(symbol, error),
    })
    const requestSnapshot = (symbol: string): void => this.#scheduler.request(symbol)
    for (const symbol of symbols) this.#syncs.set(symbol, new BookSync(symbol, { requestSnapshot }))
  }

  /** Lower-case name of the used-weight header for the budget in force. */
  get usedWeightHeader(): string {
    return this.#weightLimit.header
  }

  get progress(): BookProgress {
    return { ...this.#scheduler.progress, books: this.#syncs.size, live: this.#countLive() }
  }

  /** The exchange's real limit is known: budget `restWeightShare` of it, counting `spent` already. */
  adoptWeightLimit(limit: WeightLimit, spent: number): void {
    this.#weightLimit = limit
    const budget = this.#budgetFor(limit)
    budget.settle(budget.spend(spent))
    this.#scheduler.budget = budget
  }

  /** Runs another REST request (trade recovery) inside the snapshots' weight budget and concurrency limit. */
  restRequest<T>(weight: number, task: () => Promise<T>): Promise<T> {
    return this.#scheduler.submit(weight, task)
  }

  /** The server's count of used weight, from a response header. */
  observeUsedWeight(used: number): void {
    this.#scheduler.budget.observe(used)
  }

  /** One depth event; ignored for symbols without a book. */
  onUpdate(update: BinanceDepthUpdate, out: MarketEvent[]): void {
    const sync = this.#syncs.get(update.symbol)
    if (sync === undefined) return
    const wasLive = sync.state === 'live'
    sync.onUpdate(update, out)
    if (wasLive !== (sync.state === 'live')) this.#liveChanged()
  }

  /** The stream of `symbols` was lost: their books resync from the next event and a new snapshot. */
  invalidate(symbols: readonly string[], reason: string, out: MarketEvent[]): void {
    const now = nowMicros()
    for (const symbol of symbols) this.#syncs.get(symbol)?.invalidate(reason, now, out)
    this.#liveChanged()
  }

  stop(): void {
    this.#scheduler.stop()
  }

  #arrived(symbol: string, snapshot: BinanceDepthSnapshot): void {
    const out: MarketEvent[] = []
    this.#syncs.get(symbol)?.onSnapshot(snapshot, nowMicros(), out)
    for (const event of out) this.#host.push(event)
    this.#liveChanged()
  }

  #failed(symbol: string, error: unknown): void {
    if (this.#host.signal.aborted) return
    if (hasErrorCode(error, 'DCCD_EXCHANGE_ERROR')) {
      // Binance refused the request itself (e.g. -1121 Invalid symbol): retrying cannot help.
      this.#host.fail(error as Error)
      return
    }
    this.#host.logger.warn('book snapshot failed; retrying', {
      symbol,
      retryInMs: SNAPSHOT_RETRY_MS,
      error: error instanceof Error ? error.message : String(error),
    })
    this.#host.later(SNAPSHOT_RETRY_MS, () => this.#syncs.get(symbol)?.onSnapshotFailed())
  }

  #liveChanged(): void {
    const live = this.#countLive()
    if (live === this.#live) return
    this.#live = live
    if (live === this.#syncs.size) this.#host.logger.info('all books synced', { books: live })
    else this.#host.logger.debug('books synced', { live, books: this.#syncs.size, ...this.#scheduler.progress })
  }

  #countLive(): number {
    let live = 0
    for (const sync of this.#syncs.values()) if (sync.state === 'live') live++
    return live
  }

  #budgetFor(limit: WeightLimit): WeightBudget {
    return new WeightBudget({ limit: Math.max(1, Math.floor(limit.limit * this.#share)), windowMs: limit.intervalMs })
  }
}
