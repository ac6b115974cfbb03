/**
 * The status line of `dccd sink-to-files`: messages per second, how many are
 * acknowledged (durable in the journal) and how many wait in the stream.
 */
import { formatClock } from '../record/progress.js'

/** Numbers the status line shows. */
export interface SinkSnapshot {
  readonly elapsedMs: number
  /** Messages received, redeliveries included. */
  readonly received: number
  readonly acked: number
  /** Messages left in the stream for the consumer. */
  readonly pending: number
  readonly malformed: number
  /** Trades and closed bars skipped as already recorded. */
  readonly duplicates: number
  readonly filesSealed: number
}

/**
 * @example formatSinkStatus(now, prev) // "00:12 850.0 msg/s | 10200 acked | 34 pending | 0 malformed | 0 duplicates | 3 files"
 */
export function formatSinkStatus(now: SinkSnapshot, previous?: SinkSnapshot): string {
  const windowMs = now.elapsedMs - (previous?.elapsedMs ?? 0)
  const rate = windowMs > 0 ? ((now.received - (previous?.received ?? 0)) * 1000) / windowMs : 0
  return [
    `${formatClock(now.elapsedMs)} ${rate.toFixed(1)} msg/s`,
    `${now.acked} acked`,
    `${now.pending} pending`,
    `${now.malformed} malformed`,
    `${now.duplicates} duplicates`,
    `${now.filesSealed} files`,
  ].join(' | ')
}
