/**
 * What one recorder knows about each trade stream: the last recorded trade
 * (for de-duplication and gap detection, see dedup.ts), which streams moved
 * since their checkpoint was last saved, and the checkpoint store itself
 * (see trade-checkpoints.ts). Saving is left to the caller's sync, which
 * must only save what the journal already holds on disk.
 */
import type { CheckpointStore, StatusEvent, TradeEvent } from '@dccd/core'
import { TradeDedup } from './dedup.js'
import type { TradeCheckpoint, TradeGap, TradeVerdict } from './dedup.js'
import { TradeCheckpoints, tradeCheckpointKey } from './trade-checkpoints.js'

/** A trade gap marker: a status `gap` for the trades channel naming the ids it accounts for. */
type TradeGapMarker = StatusEvent & { symbol: string; fromId: string; toId: string }

/** Last trades and checkpoints of every trade stream of one recorder. */
export class TradeLedger {
  readonly checkpoints: TradeCheckpoints
  readonly #dedup = new TradeDedup()
  /** Streams whose last trade moved since their checkpoint was last saved. */
  readonly #dirty = new Set<string>()

  constructor(store: CheckpointStore) {
    this.checkpoints = new TradeCheckpoints(store)
  }

  /** Judges a trade; a new one becomes its stream's last (and is saved at the next {@link saveDirty}). */
  accept(trade: TradeEvent): TradeVerdict {
    const key = tradeCheckpointKey(trade.exchange, trade.symbol)
    const verdict = this.#dedup.check(key, trade)
    if (!verdict.duplicate) this.#dirty.add(key)
    return verdict
  }

  /**
   * Accounts for the ids a gap marker names, so the next trade does not
   * report the same hole again.
   *
   * @returns the part of the hole before the marker that no marker named, if any
   */
  cover(marker: TradeGapMarker): TradeGap | undefined {
    const key = tradeCheckpointKey(marker.exchange, marker.symbol)
    const { advanced, gap } = this.#dedup.cover(key, marker)
    if (advanced) this.#dirty.add(key)
    return gap
  }

  /** Seeds a stream from a checkpoint or a recovered journal segment; keeps whichever is later. */
  restore(key: string, checkpoint: TradeCheckpoint): void {
    this.#dedup.restore(key, checkpoint)
  }

  /** Loads the saved checkpoints of these streams. */
  async load(streams: readonly { exchange: string; symbol: string }[]): Promise<void> {
    for (const { exchange, symbol } of streams) {
      const key = tradeCheckpointKey(exchange, symbol)
      const value = await this.checkpoints.load(key)
      if (value !== undefined) this.#dedup.restore(key, value)
    }
  }

  /** Last recorded trade of a stream (from this run, a recovered journal or a checkpoint). */
  last(exchange: string, symbol: string): TradeCheckpoint | undefined {
    return this.#dedup.last(tradeCheckpointKey(exchange, symbol))
  }

  /**
   * Saves the checkpoint of every stream that moved, and waits for those
   * saves and for any an earlier call started. A stream whose save fails is
   * saved again next time.
   *
   * @throws the first save failure
   */
  async saveDirty(): Promise<void> {
    const saves: Promise<void>[] = []
    for (const key of this.#dirty) {
      const last = this.#dedup.last(key)
      if (last === undefined) continue
      saves.push(
        this.checkpoints.save(key, last).catch((error: unknown) => {
          this.#dirty.add(key) // the next sync tries again
          throw error
        }),
      )
    }
    this.#dirty.clear()
    // Also wait for saves an earlier sync started: close() must not return before they land.
    await Promise.all([...saves, this.checkpoints.settled()])
  }

  /** Resolves when every save asked for so far has settled (failed or not). */
  settled(): Promise<void> {
    return this.checkpoints.settled()
  }
}
