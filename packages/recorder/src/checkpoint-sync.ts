/**
 * The acknowledgement rule: the journal on disk is what the recorder has
 * accepted, so a sync first fsyncs every open segment and only then saves
 * the trade and bar checkpoints it now covers. A checkpoint therefore never
 * claims more than the journal holds, and a crash at any point neither loses
 * a trade or closed bar nor records one twice. After a disk failure it still
 * syncs, but saves no checkpoint from memory (a record may have been
 * accepted without reaching its journal); each segment's own lines move the
 * checkpoints when it is sealed instead (segment-seal.ts).
 */
import type { CheckpointLedger } from './checkpoint-ledger.js'
import type { DiskFailure } from './disk-failure.js'
import type { SegmentSet } from './segments.js'
import type { RecorderTimers } from './timers.js'

/** The part of a ledger a sync uses. */
type SyncedLedger = Pick<CheckpointLedger<object>, 'saveDirty' | 'settled'>

/** fsync, then checkpoints; with its own timer. */
export class CheckpointSync {
  constructor(
    private readonly segments: SegmentSet,
    /** Every checkpointed kind (trades, bars). */
    private readonly ledgers: readonly SyncedLedger[],
    private readonly failure: DiskFailure,
    /** Names the failure of a checkpoint save (the output folder). */
    private readonly out: string,
    private readonly intervalMs: number,
  ) {}

  /** Registers the periodic sync. */
  start(timers: RecorderTimers): void {
    timers.every(this.intervalMs, () => this.sync())
  }

  /**
   * fsyncs every open segment, then saves the checkpoints they cover.
   *
   * @throws DiskWriteError when the disk refuses (this time or before)
   */
  async sync(): Promise<void> {
    this.segments.sync()
    if (this.failure.error !== undefined) {
      await Promise.all(this.ledgers.map((ledger) => ledger.settled()))
      throw this.failure.error
    }
    try {
      await Promise.all(this.ledgers.map((ledger) => ledger.saveDirty()))
    } catch (error) {
      throw this.failure.fail(error, this.out)
    }
  }
}
