/**
 * The order every seal follows (at start, on rotation, at close): the data
 * file is written and durable, then the checkpoint of each trade and bar
 * stream is at or after what the segment accounts for (its last trade or
 * closed bar, or the last id or open time a gap marker in it names), and
 * only then is the journal removed. The checkpoint is derived from the
 * segment's own lines, so the rule holds even when the live checkpoints
 * could not be saved (a full disk). Breaking it let a crash loop record
 * trades twice (issue #11, item 4).
 */
import type { Logger } from '@dccd/core'
import type { CheckpointLedger } from './checkpoint-ledger.js'
import { removeJournal, writeSealedFile } from './seal.js'
import type { SealResult } from './seal.js'

/** What {@link sealSegment} needs besides the segment. */
export interface SegmentSealContext {
  readonly out: string
  readonly logger: Logger
  /** Every checkpointed kind (trades, bars): each covers what the segment accounts for. */
  readonly ledgers: readonly Pick<CheckpointLedger<object>, 'coverSealed'>[]
  /** At start: seed de-duplication from what the segment holds before the checkpoints move. */
  readonly seed: boolean
}

/**
 * Seals one closed segment in the order above.
 *
 * @throws when a step fails (an I/O error, a checkpoint that cannot be saved); the journal then stays
 */
export async function sealSegment(path: string, context: SegmentSealContext): Promise<SealResult> {
  const written = writeSealedFile(context.out, path, context.logger)
  if (written.type !== undefined) {
    for (const ledger of context.ledgers) await ledger.coverSealed(written.type, written.accepted, context.seed)
  }
  if (!written.journalGone) removeJournal(path)
  return written.result
}
