/**
 * Bar checkpoints: per (exchange, symbol, interval), the open time of the
 * last closed bar recorded. Their key, their order, and what sealed records
 * account for: a closed bar its own open time, a bar gap marker (`status`
 * `gap` on channel `bars:<interval>`, see core's `barGapEvent`) the open
 * times it names, so status segments move bar checkpoints too. Open bars
 * account for nothing: the bar may still change.
 */
import type { BarEvent, StatusEvent } from '@dccd/core'
import { checkpointKey, latestByKey } from './checkpoint-book.js'
import type { CheckpointOrder } from './checkpoint-book.js'
import type { DataType } from './partition.js'

/** What the recorder checkpoints per bar stream. */
export interface BarCheckpoint {
  /** Open time of the last closed bar recorded (or named by a bar gap marker), µs. */
  readonly lastOpenTime: number
  /** When it (or the marker) was received, µs. */
  readonly localTimestamp: number
}

/** Checkpoint key of a bar stream: `<exchange>/bars-<interval>/<symbol>` (see {@link checkpointKey} for long symbols). */
export function barCheckpointKey(exchange: string, interval: string, symbol: string): string {
  return checkpointKey(exchange, `bars-${interval}`, symbol)
}

/** How bar checkpoints are ordered: by open time. */
export const BAR_ORDER: CheckpointOrder<BarCheckpoint> = {
  isCheckpoint: (value): value is BarCheckpoint =>
    typeof value === 'object' && value !== null && Number.isSafeInteger((value as BarCheckpoint).lastOpenTime),
  isLater: (a, b) => a.lastOpenTime > b.lastOpenTime,
}

const BARS_CHANNEL = 'bars:'
const DIGITS = /^\d+$/

/** A bar gap marker: a status `gap` on channel `bars:<interval>` naming the open times (µs, digits) of the missing bars. */
export type BarGapMarker = StatusEvent & { symbol: string; channel: string; fromId: string; toId: string }

/** True for a bar gap marker whose open times can be read. */
export function isBarGapMarker(value: unknown): value is BarGapMarker {
  const status = value as Partial<StatusEvent> | null
  return (
    status?.type === 'status' &&
    status.status === 'gap' &&
    typeof status.channel === 'string' &&
    status.channel.length > BARS_CHANNEL.length &&
    status.channel.startsWith(BARS_CHANNEL) &&
    typeof status.symbol === 'string' &&
    typeof status.fromId === 'string' &&
    typeof status.toId === 'string' &&
    DIGITS.test(status.toId) &&
    Number.isSafeInteger(Number(status.toId))
  )
}

/** The checkpoint a bar gap marker makes: its last missing bar counts as recorded. */
export function barMarkerCheckpointOf(marker: BarGapMarker): [key: string, checkpoint: BarCheckpoint] {
  const interval = marker.channel.slice(BARS_CHANNEL.length)
  return [barCheckpointKey(marker.exchange, interval, marker.symbol), { lastOpenTime: Number(marker.toId), localTimestamp: marker.localTimestamp }]
}

/**
 * What sealed records account for, per bar stream, as checkpoints: the
 * latest closed bar of a bars segment, or the latest `toId` of the bar gap
 * markers in a status segment.
 */
export function barsAccountedFor(type: DataType, records: readonly unknown[]): Map<string, BarCheckpoint> {
  if (type === 'status') return latestByKey(records.filter(isBarGapMarker).map(barMarkerCheckpointOf), BAR_ORDER)
  if (!type.startsWith('bars-')) return new Map()
  const closed = (records as BarEvent[]).filter((bar) => bar.closed === true && Number.isSafeInteger(bar.openTime))
  return latestByKey(
    closed.map((bar) => [barCheckpointKey(bar.exchange, bar.interval, bar.symbol), { lastOpenTime: bar.openTime, localTimestamp: bar.localTimestamp }] as const),
    BAR_ORDER,
  )
}
