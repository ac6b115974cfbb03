/**
 * The saved checkpoints of one kind (trades, bars) of one recorder, and the
 * rule that prevents duplicates after a crash: a journal segment may be
 * removed only once the stored checkpoint of its stream is at or after what
 * the segment accounts for. Otherwise a run that dies before its next save
 * starts from an older checkpoint, and the exchange's replay records the
 * sealed records a second time. This class knows what is durable per
 * stream (loaded, or saved and confirmed), keeps saves of one stream in
 * order and never lets a later save go back in time.
 */
import type { CheckpointStore, CheckpointValue } from '@dccd/core'
import { MAX_SEGMENT_BYTES, pathSegment } from './partition.js'
import type { DataType } from './partition.js'

/** How checkpoints of one kind are read back and ordered. */
export interface CheckpointOrder<T> {
  /** True for a stored value of this kind (anything else reads as no checkpoint). */
  isCheckpoint(value: unknown): value is T
  /** True when checkpoint `a` is past `b`. */
  isLater(a: T, b: T): boolean
}

/**
 * Checkpoint key of a stream: `<exchange>/<type>/<symbol>` (`binance/trades/BTCUSDT`,
 * `binance/bars-1m/BTCUSDT`). The file store makes the key a file name, so a
 * symbol too long for one path segment is keyed by its capped segment
 * instead (see {@link pathSegment}).
 */
export function checkpointKey(exchange: string, type: DataType, symbol: string): string {
  const key = `${exchange}/${type}/${symbol}`
  return encodeURIComponent(key).length <= 2 * MAX_SEGMENT_BYTES ? key : `${exchange}/${type}/${pathSegment(symbol)}`
}

/**
 * Per key, the latest of `entries` in `order` (the first of equals). What a
 * sealed segment accounts for is the latest of what its records name.
 */
export function latestByKey<T>(entries: Iterable<readonly [string, T]>, order: CheckpointOrder<T>): Map<string, T> {
  const latest = new Map<string, T>()
  for (const [key, value] of entries) {
    const seen = latest.get(key)
    if (seen === undefined || order.isLater(value, seen)) latest.set(key, value)
  }
  return latest
}

/** Saves, loads and confirms the checkpoints of one kind. */
export class CheckpointBook<T extends object> {
  readonly #store: CheckpointStore
  readonly #order: CheckpointOrder<T>
  /** Known to be on disk: loaded, or saved and confirmed. */
  readonly #durable = new Map<string, T>()
  /** Latest save asked for (it may still be in flight). */
  readonly #issued = new Map<string, T>()
  /** Per stream, the last save in flight; saves of one stream run one after another. */
  readonly #chains = new Map<string, Promise<void>>()

  constructor(store: CheckpointStore, order: CheckpointOrder<T>) {
    this.#store = store
    this.#order = order
  }

  /** Loads a stream's checkpoint; undefined when there is none. */
  async load(key: string): Promise<T | undefined> {
    await this.#chains.get(key)?.catch(() => {})
    const value = await this.#store.load(key)
    if (!this.#order.isCheckpoint(value)) return undefined
    this.#confirm(key, value)
    return value
  }

  /**
   * The checkpoint of a stream known to be on disk (loaded, or saved and
   * confirmed), after the saves in flight settle; loaded first when none is
   * known yet. Never what is only in memory.
   */
  async durable(key: string): Promise<T | undefined> {
    await this.#chains.get(key)?.catch(() => {})
    if (!this.#durable.has(key)) await this.load(key)
    return this.#durable.get(key)
  }

  /**
   * Saves `value` after any save of the stream still in flight, unless a
   * save of it or of a later one was already asked for (then resolves with
   * that one). Rejects when the save fails.
   */
  save(key: string, value: T): Promise<void> {
    const issued = this.#issued.get(key)
    if (issued !== undefined && !this.#order.isLater(value, issued)) return this.#chains.get(key) ?? Promise.resolve()
    this.#issued.set(key, value)
    const previous = this.#chains.get(key) ?? Promise.resolve()
    const next = previous
      .catch(() => {}) // its failure belongs to its caller
      .then(() => this.#store.save(key, { ...value } as unknown as CheckpointValue))
      .then(() => this.#confirm(key, value))
    this.#chains.set(key, next)
    next.catch(() => {
      // Let a later save of the same value try again.
      if (this.#issued.get(key) === value) this.#issued.delete(key)
    })
    return next
  }

  /**
   * Makes sure the stored checkpoint of a stream is at or after `value`,
   * saving `value` when it is not. Rejects when that cannot be made true.
   */
  async cover(key: string, value: T): Promise<void> {
    const durable = await this.durable(key)
    if (durable !== undefined && !this.#order.isLater(value, durable)) return
    await this.save(key, value)
  }

  /** Resolves when every save asked for so far has settled (failed or not). */
  async settled(): Promise<void> {
    await Promise.all([...this.#chains.values()].map((chain) => chain.catch(() => {})))
  }

  #confirm(key: string, value: T): void {
    const durable = this.#durable.get(key)
    if (durable === undefined || this.#order.isLater(value, durable)) this.#durable.set(key, value)
  }
}
