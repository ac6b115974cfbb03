/**
 * Bar de-duplication by open time, per (exchange, symbol, interval), across
 * reconnects and restarts. A feed resumed from a checkpoint never emits a
 * bar at or before it, but a restart without resume points, or an exchange
 * replaying the last closed bar on subscribe, would. A closed bar at or
 * before the last closed one recorded is a duplicate; so is an update of a
 * bar still open whose open time is at or before it (that bar closed
 * already). Updates of a later open bar are recorded as they come.
 */
import type { BarCheckpoint } from './bar-checkpoints.js'

/** Outcome of {@link BarDedup.check}: a duplicate, an update of an open bar, or a new closed bar (the stream's last). */
export type BarVerdict = 'duplicate' | 'open' | 'closed'

/** Remembers the last closed bar per stream and judges new ones. */
export class BarDedup {
  readonly #last = new Map<string, BarCheckpoint>()

  /** Seeds a stream from a checkpoint or a recovered journal; keeps whichever is later. */
  restore(key: string, checkpoint: BarCheckpoint): void {
    const seen = this.#last.get(key)
    if (seen === undefined || checkpoint.lastOpenTime > seen.lastOpenTime) this.#last.set(key, checkpoint)
  }

  /** Judges a bar and, when it is a new closed one, records it as the stream's last. */
  check(key: string, bar: { openTime: number; closed: boolean; localTimestamp: number }): BarVerdict {
    const last = this.#last.get(key)
    if (last !== undefined && bar.openTime <= last.lastOpenTime) return 'duplicate'
    // An unreadable open time goes to the journal (and is set aside when sealed), never into the order.
    if (!bar.closed || !Number.isSafeInteger(bar.openTime)) return 'open'
    this.#last.set(key, { lastOpenTime: bar.openTime, localTimestamp: bar.localTimestamp })
    return 'closed'
  }

  /**
   * Accounts for the bars a gap marker names: the stream's last closed bar
   * moves to the marker's last open time when that is later.
   *
   * @returns whether it moved
   */
  cover(key: string, checkpoint: BarCheckpoint): boolean {
    const last = this.#last.get(key)
    if (last !== undefined && checkpoint.lastOpenTime <= last.lastOpenTime) return false
    this.#last.set(key, checkpoint)
    return true
  }

  /** The last closed bar of a stream. */
  last(key: string): BarCheckpoint | undefined {
    return this.#last.get(key)
  }
}
