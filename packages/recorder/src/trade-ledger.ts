/**
 * The trade streams of one recorder: de-duplication and gaps by trade id
 * (dedup.ts) on the shared checkpoint ledger (checkpoint-ledger.ts).
 */
import type { CheckpointStore, TradeEvent } from '@dccd/core'
import { CheckpointLedger } from './checkpoint-ledger.js'
import { TradeDedup } from './dedup.js'
import type { TradeCheckpoint, TradeGap, TradeVerdict } from './dedup.js'
import type { DataType } from './partition.js'
import { TRADE_ORDER, tradeCheckpointKey, tradeCheckpointOf, tradesAccountedFor } from './trade-checkpoints.js'
import type { TradeGapMarker } from './trade-checkpoints.js'

/** Last trades and checkpoints of every trade stream of one recorder. */
export class TradeLedger extends CheckpointLedger<TradeCheckpoint, TradeDedup> {
  constructor(store: CheckpointStore) {
    super(store, TRADE_ORDER, new TradeDedup())
  }

  /** Judges a trade; a new one becomes its stream's last (and is saved at the next {@link saveDirty}). */
  accept(trade: TradeEvent): TradeVerdict {
    const key = tradeCheckpointKey(trade.exchange, trade.symbol)
    const verdict = this.memory.check(key, trade)
    if (!verdict.duplicate) this.moved(key)
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
    const { advanced, gap } = this.memory.cover(key, marker)
    if (advanced) this.moved(key)
    return gap
  }

  /** Also seeds every trade id of a recovered trades segment (ids that are not digits are de-duplicated by set). */
  override async coverSealed(type: DataType, records: readonly unknown[], seed: boolean): Promise<void> {
    if (seed && type === 'trades') for (const record of records) this.restore(...tradeCheckpointOf(record as TradeEvent))
    await super.coverSealed(type, records, seed)
  }

  protected async accountedFor(type: DataType, records: readonly unknown[]): Promise<Map<string, TradeCheckpoint>> {
    const latest = tradesAccountedFor(type, records)
    if (type !== 'status') return latest
    // A marker's checkpoint keeps the exchange time of the trade before the hole (the durable checkpoint's,
    // a lower bound): venues that page history by time start there, and a later time would skip trades.
    for (const [key, value] of latest) {
      const before = await this.book.durable(key)
      if (before !== undefined) latest.set(key, { ...value, timestamp: before.timestamp })
    }
    return latest
  }
}
