/**
 * Trade checkpoints: their key, their order, and what sealed records
 * account for. A trade accounts for its own id; a trade gap marker (an
 * adapter's or the recorder's own) accounts for the ids it names, so status
 * segments move trade checkpoints too.
 */
import type { StatusEvent } from '@dccd/core'
import { checkpointKey, latestByKey } from './checkpoint-book.js'
import type { CheckpointOrder } from './checkpoint-book.js'
import type { TradeCheckpoint } from './dedup.js'
import { compareIds } from './dedup.js'
import type { DataType } from './partition.js'

/** Checkpoint key of a trade stream: `<exchange>/trades/<symbol>` (see {@link checkpointKey} for long symbols). */
export function tradeCheckpointKey(exchange: string, symbol: string): string {
  return checkpointKey(exchange, 'trades', symbol)
}

/**
 * How trade checkpoints are ordered. Digit ids compare numerically; other
 * ids cannot be ordered, so a different id received no earlier counts as
 * later.
 */
export const TRADE_ORDER: CheckpointOrder<TradeCheckpoint> = {
  isCheckpoint: (value): value is TradeCheckpoint =>
    typeof value === 'object' && value !== null && typeof (value as TradeCheckpoint).lastId === 'string',
  isLater(a, b) {
    const order = compareIds(a.lastId, b.lastId)
    return order !== undefined ? order > 0 : a.lastId !== b.lastId && a.localTimestamp >= b.localTimestamp
  },
}

const DIGITS = /^\d+$/

/** A trade as journaled (only the fields checkpoints need). */
interface TradeLike {
  readonly exchange: string
  readonly symbol: string
  readonly id: string
  readonly timestamp: number
  readonly localTimestamp: number
}

/** A trade gap marker: a status `gap` for the trades channel naming the ids it accounts for. */
export type TradeGapMarker = StatusEvent & { symbol: string; fromId: string; toId: string }

/** True for a trade gap marker, whether an adapter's or the recorder's own. */
export function isTradeGapMarker(value: unknown): value is TradeGapMarker {
  const status = value as Partial<StatusEvent> | null
  return (
    status?.type === 'status' &&
    status.status === 'gap' &&
    status.channel === 'trades' &&
    typeof status.symbol === 'string' &&
    typeof status.fromId === 'string' &&
    typeof status.toId === 'string'
  )
}

/** The checkpoint a journaled trade makes. */
export function tradeCheckpointOf(trade: TradeLike): [key: string, checkpoint: TradeCheckpoint] {
  return [tradeCheckpointKey(trade.exchange, trade.symbol), { lastId: trade.id, timestamp: trade.timestamp, localTimestamp: trade.localTimestamp }]
}

/**
 * What sealed records account for, per trade stream, as checkpoints: the
 * latest trade of a trades segment, or the latest `toId` of the trade gap
 * markers in a status segment. A marker has no exchange time: its
 * checkpoint carries the receive time as `timestamp`, for the caller to
 * replace with the time of the trade before the hole (see trade-ledger.ts).
 */
export function tradesAccountedFor(type: DataType, records: readonly unknown[]): Map<string, TradeCheckpoint> {
  if (type === 'trades') return latestByKey((records as TradeLike[]).map(tradeCheckpointOf), TRADE_ORDER)
  if (type !== 'status') return new Map()
  const named = records.filter((record): record is TradeGapMarker => isTradeGapMarker(record) && DIGITS.test(record.toId))
  return latestByKey(
    named.map((marker) => {
      const at = marker.localTimestamp
      return [tradeCheckpointKey(marker.exchange, marker.symbol), { lastId: marker.toId, timestamp: at, localTimestamp: at }] as const
    }),
    TRADE_ORDER,
  )
}
