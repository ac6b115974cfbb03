/**
 * The order every seal follows (at start, on rotation, at close): the data
 * file is written and durable, then the checkpoint of each trade stream is
 * at or after what the segment accounts for (its last trade, or the last id
 * a trade gap marker in it names), and only then is the journal removed. The
 * checkpoint is derived from the segment's own lines, so the rule holds even
 * when the live checkpoints could not be saved (a full disk). Breaking it
 * let a crash loop record trades twice (issue #11, item 4).
 */
import type { Logger } from '@dccd/core'
import type { TradeCheckpoint } from './dedup.js'
import { removeJournal, writeSealedFile } from './seal.js'
import type { SealResult } from './seal.js'
import type { TradeCheckpoints } from './trade-checkpoints.js'
import { latestAccountedFor, tradeCheckpointKey } from './trade-checkpoints.js'

/** What {@link sealSegment} needs besides the segment. */
export interface SegmentSealContext {
  readonly out: string
  readonly logger: Logger
  readonly checkpoints: TradeCheckpoints
  /**
   * Called (at start) with every trade id the segment holds and with what it
   * accounts for per stream, before the checkpoints move, to seed de-duplication.
   */
  readonly seed?: (key: string, checkpoint: TradeCheckpoint) => void
}

/**
 * Seals one closed segment in the order above.
 *
 * @throws when a step fails (an I/O error, a checkpoint that cannot be saved); the journal then stays
 */
export async function sealSegment(path: string, context: SegmentSealContext): Promise<SealResult> {
  const written = writeSealedFile(context.out, path, context.logger)
  const { seed } = context
  if (seed !== undefined && written.type === 'trades') {
    for (const record of written.accepted) {
      const trade = record as { exchange: string; symbol: string; id: string; timestamp: number; localTimestamp: number }
      seed(tradeCheckpointKey(trade.exchange, trade.symbol), { lastId: trade.id, timestamp: trade.timestamp, localTimestamp: trade.localTimestamp })
    }
  }
  if (written.type === 'trades' || written.type === 'status') {
    for (const [key, last] of latestAccountedFor(written.type, written.accepted)) {
      seed?.(key, last)
      await context.checkpoints.cover(key, last)
    }
  }
  if (!written.journalGone) removeJournal(path)
  return written.result
}
