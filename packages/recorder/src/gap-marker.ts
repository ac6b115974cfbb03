/**
 * The `status` `gap` record the recorder writes for a hole in trade ids that
 * no adapter marker named, and the reason it gives.
 */
import { microsToIso } from '@dccd/core'
import type { StatusEvent } from '@dccd/core'
import type { TradeGap } from './dedup.js'

/** Why the ids are missing: skipped by the feed during the run, or missed while no recorder ran. */
export function gapReason(gap: TradeGap): string {
  return gap.acrossRestart ? `trades missed while not recording (last recorded ${microsToIso(gap.since)})` : 'trade ids skipped by the exchange feed'
}

/** The marker for `gap`, stamped with the receive time of what revealed it (µs). */
export function gapMarker(stream: { exchange: string; symbol: string }, gap: TradeGap, localTimestamp: number): StatusEvent {
  return {
    type: 'status',
    exchange: stream.exchange,
    status: 'gap',
    symbol: stream.symbol,
    channel: 'trades',
    reason: gapReason(gap),
    fromId: gap.fromId,
    toId: gap.toId,
    localTimestamp,
  }
}
