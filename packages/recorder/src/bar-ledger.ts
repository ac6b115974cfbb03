/**
 * The bar streams of one recorder: de-duplication by open time
 * (bar-dedup.ts) on the shared checkpoint ledger (checkpoint-ledger.ts).
 */
import type { BarEvent, CheckpointStore } from '@dccd/core'
import { BAR_ORDER, barCheckpointKey, barMarkerCheckpointOf, barsAccountedFor } from './bar-checkpoints.js'
import type { BarCheckpoint, BarGapMarker } from './bar-checkpoints.js'
import { BarDedup } from './bar-dedup.js'
import type { BarVerdict } from './bar-dedup.js'
import { CheckpointLedger } from './checkpoint-ledger.js'
import type { DataType } from './partition.js'

/** Last closed bars and checkpoints of every bar stream of one recorder. */
export class BarLedger extends CheckpointLedger<BarCheckpoint, BarDedup> {
  constructor(store: CheckpointStore) {
    super(store, BAR_ORDER, new BarDedup())
  }

  /** Judges a bar; a new closed one becomes its stream's last (and is saved at the next {@link saveDirty}). */
  accept(bar: BarEvent): BarVerdict {
    const key = barCheckpointKey(bar.exchange, bar.interval, bar.symbol)
    const verdict = this.memory.check(key, bar)
    if (verdict === 'closed') this.moved(key)
    return verdict
  }

  /** Accounts for the bars a gap marker names, so they count as recorded (also across a restart). */
  cover(marker: BarGapMarker): void {
    const [key, checkpoint] = barMarkerCheckpointOf(marker)
    if (this.memory.cover(key, checkpoint)) this.moved(key)
  }

  protected async accountedFor(type: DataType, records: readonly unknown[]): Promise<Map<string, BarCheckpoint>> {
    return barsAccountedFor(type, records)
  }
}
