/**
 * The trade checkpoints of one recorder, and the rule that prevents
 * duplicates after a crash: a trades journal segment may be removed only
 * once the stored checkpoint of its stream is at or after the segment's
 * last trade. Otherwise a run that dies before its next save starts from an
 * older checkpoint, and the exchange's replay records the sealed trades a
 * second time. This class knows what is durable per stream (loaded, or
 * saved and confirmed), keeps saves of one stream in order and never lets
 * a later save go back in time. A trade gap marker accounts for the ids it
 * names just as a trade accounts for its own, so status segments move
 * checkpoints too.
 */
import type { CheckpointStore, StatusEvent } from '@dccd/core'
import type { TradeCheckpoint } from './dedup.js'
import { compareIds } from './dedup.js'
import { MAX_SEGMENT_BYTES, pathSegment } from './partition.js'
import type { DataType } from './partition.js'

/**
 * Checkpoint key of a trade stream: `<exchange>/trades/<symbol>`. The file
 * store makes the key a file name, so a symbol too long for one path segment
 * is keyed by its capped segment instead (see {@link pathSegment}).
 */
export function tradeCheckpointKey(exchange: string, symbol: string): string {
  const key = `${exchange}/trades/${symbol}`
  return encodeURIComponent(key).length <= 2 * MAX_SEGMENT_BYTES ? key : `${exchange}/trades/${pathSegment(symbol)}`
}

/**
 * True when checkpoint `a` is past `b`. Digit ids compare numerically;
 * other ids cannot be ordered, so a different id received no earlier counts
 * as later.
 */
export function isLater(a: TradeCheckpoint, b: TradeCheckpoint): boolean {
  const order = compareIds(a.lastId, b.lastId)
  return order !== undefined ? order > 0 : a.lastId !== b.lastId && a.localTimestamp >= b.localTimestamp
}

const DIGITS = /^\d+$/

function isCheckpoint(value: unknown): value is TradeCheckpoint {
  return typeof value === 'object' && value !== null && typeof (value as TradeCheckpoint).lastId === 'string'
}

/** A trade as journaled (only the fields checkpoints need). */
interface TradeLike {
  readonly exchange: string
  readonly symbol: string
  readonly id: string
  readonly timestamp: number
  readonly localTimestamp: number
}

/** A trade gap marker, whether an adapter's or the recorder's own. */
export function isTradeGapMarker(value: unknown): value is StatusEvent & { symbol: string; fromId: string; toId: string } {
  const status = value as Partial<StatusEvent> | null
  return (
    status?.type === 'status' &&
    status.status === 'gap' &&
    status.channel === 'trades' &&
    typeof status.symbol === 'string' &&
    typeof status.fromId === 'string' &&
    typeof status.toId === 'string'
  )
}

/**
 * What sealed records account for, per trade stream, as checkpoints: the
 * latest trade of a trades segment, or the latest `toId` of the trade gap
 * markers in a status segment (a marker accounts for the ids it names).
 */
export function latestAccountedFor(type: DataType, records: readonly unknown[]): Map<string, TradeCheckpoint> {
  const latest = new Map<string, TradeCheckpoint>()
  const consider = (key: string, checkpoint: TradeCheckpoint): void => {
    const seen = latest.get(key)
    if (seen === undefined || isLater(checkpoint, seen)) latest.set(key, checkpoint)
  }
  for (const record of records) {
    if (type === 'trades') {
      const trade = record as TradeLike
      consider(tradeCheckpointKey(trade.exchange, trade.symbol), { lastId: trade.id, timestamp: trade.timestamp, localTimestamp: trade.localTimestamp })
    } else if (type === 'status' && isTradeGapMarker(record) && DIGITS.test(record.toId)) {
      const at = record.localTimestamp
      consider(tradeCheckpointKey(record.exchange, record.symbol), { lastId: record.toId, timestamp: at, localTimestamp: at })
    }
  }
  return latest
}

/** Saves, loads and confirms the trade checkpoints of one recorder. */
export class TradeCheckpoints {
  readonly #store: CheckpointStore
  /** Known to be on disk: loaded, or saved and confirmed. */
  readonly #durable = new Map<string, TradeCheckpoint>()
  /** Latest save asked for (it may still be in flight). */
  readonly #issued = new Map<string, TradeCheckpoint>()
  /** Per stream, the last save in flight; saves of one stream run one after another. */
  readonly #chains = new Map<string, Promise<void>>()

  constructor(store: CheckpointStore) {
    this.#store = store
  }

  /** Loads a stream's checkpoint; undefined when there is none. */
  async load(key: string): Promise<TradeCheckpoint | undefined> {
    await this.#chains.get(key)?.catch(() => {})
    const value = await this.#store.load(key)
    if (!isCheckpoint(value)) return undefined
    const durable = this.#durable.get(key)
    if (durable === undefined || isLater(value, durable)) this.#durable.set(key, value)
    return value
  }

  /**
   * Saves `value` after any save of the stream still in flight, unless a
   * save of it or of a later one was already asked for (then resolves with
   * that one). Rejects when the save fails.
   */
  save(key: string, value: TradeCheckpoint): Promise<void> {
    const issued = this.#issued.get(key)
    if (issued !== undefined && !isLater(value, issued)) return this.#chains.get(key) ?? Promise.resolve()
    this.#issued.set(key, value)
    const previous = this.#chains.get(key) ?? Promise.resolve()
    const next = previous
      .catch(() => {}) // its failure belongs to its caller
      .then(() => this.#store.save(key, { ...value }))
      .then(() => {
        const durable = this.#durable.get(key)
        if (durable === undefined || isLater(value, durable)) this.#durable.set(key, value)
      })
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
  async cover(key: string, value: TradeCheckpoint): Promise<void> {
    await this.#chains.get(key)?.catch(() => {})
    if (!this.#durable.has(key)) await this.load(key)
    const durable = this.#durable.get(key)
    if (durable !== undefined && !isLater(value, durable)) return
    await this.save(key, value)
  }

  /** Resolves when every save asked for so far has settled (failed or not). */
  async settled(): Promise<void> {
    await Promise.all([...this.#chains.values()].map((chain) => chain.catch(() => {})))
  }
}
