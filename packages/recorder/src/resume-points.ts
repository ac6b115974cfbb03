/**
 * Resume points from the recorder's durable checkpoints: where the data on
 * disk ends, in the shape a feed's `resume` option takes (core's
 * `ResumePoints`). Only checkpoints known to be on disk count (loaded, or
 * saved after the journal holding them was fsynced, or saved when a
 * recovered segment was sealed): a feed resumed from anything later would
 * skip what a crash lost.
 */
import { EARLIEST_EXCHANGE_TIME } from '@dccd/core'
import type { BarResumePoint, ResumePoints, SymbolResumePoint, TradeResumePoint } from '@dccd/core'
import { barCheckpointKey } from './bar-checkpoints.js'
import type { BarCheckpoint } from './bar-checkpoints.js'
import type { CheckpointBook } from './checkpoint-book.js'
import type { TradeCheckpoint } from './dedup.js'
import { tradeCheckpointKey } from './trade-checkpoints.js'

/**
 * What is about to be recorded for one symbol: what
 * {@link Recorder.resumePoints} and {@link Recorder.loadCheckpoints} take.
 *
 * @example { exchange: 'binance', symbol: 'BTCUSDT', trades: true, barIntervals: ['1m'] }
 */
export interface RecordedSymbol {
  readonly exchange: string
  /** Exchange-native symbol (`BTCUSDT`, `BTC/USD`). */
  readonly symbol: string
  /** Its trades are recorded (the feed subscribes the trades channel). */
  readonly trades: boolean
  /** Bar intervals recorded (`1m`, `1h`): the feed's `bars:<interval>` channels. */
  readonly barIntervals: readonly string[]
}

/** Trade ids core can resume from: digits, exact as a double (core's `resumeOption` rejects others). */
const RESUMABLE_ID = /^\d{1,15}$/

/** A time core's `resumeOption` accepts: integer µs, no earlier than the first exchange. */
function isResumeTime(value: number): boolean {
  return Number.isSafeInteger(value) && value >= EARLIEST_EXCHANGE_TIME
}

function tradePoint(checkpoint: TradeCheckpoint | undefined): TradeResumePoint | undefined {
  if (checkpoint === undefined || !RESUMABLE_ID.test(checkpoint.lastId) || !isResumeTime(checkpoint.timestamp)) return undefined
  return { lastId: checkpoint.lastId, lastTimestamp: checkpoint.timestamp }
}

function barPoint(checkpoint: BarCheckpoint | undefined): BarResumePoint | undefined {
  return checkpoint === undefined || !isResumeTime(checkpoint.lastOpenTime) ? undefined : { lastOpenTime: checkpoint.lastOpenTime }
}

/**
 * Per exchange, the resume points of `streams` from the durable checkpoints
 * in `trades` and `bars` (loading any not known yet). A stream with no
 * checkpoint, or one core cannot resume from (a trade id that is not
 * digits), is left out: its feed starts live.
 */
export async function resumePointsOf(
  streams: readonly RecordedSymbol[],
  trades: CheckpointBook<TradeCheckpoint>,
  bars: CheckpointBook<BarCheckpoint>,
): Promise<Record<string, ResumePoints>> {
  const out: Record<string, Record<string, SymbolResumePoint>> = {}
  for (const { exchange, symbol, trades: withTrades, barIntervals } of streams) {
    const entry: { trades?: TradeResumePoint; bars?: Record<string, BarResumePoint> } = { ...out[exchange]?.[symbol] }
    const trade = withTrades ? tradePoint(await trades.durable(tradeCheckpointKey(exchange, symbol))) : undefined
    if (trade !== undefined) entry.trades = trade
    for (const interval of barIntervals) {
      const bar = barPoint(await bars.durable(barCheckpointKey(exchange, interval, symbol)))
      if (bar !== undefined) entry.bars = { ...entry.bars, [interval]: bar }
    }
    if (entry.trades !== undefined || entry.bars !== undefined) (out[exchange] ??= {})[symbol] = entry
  }
  return out
}
