/**
 * Factories for `status` events, so every package writes the same markers
 * (field order, optional fields absent rather than undefined, µs receive time).
 */
import type { StatusEvent, StatusKind } from './events.js'
import { nowMicros } from './time.js'

/** The optional fields of a {@link StatusEvent}. */
export interface StatusFields {
  readonly symbol?: string
  readonly channel?: string
  readonly reason?: string
  readonly fromId?: string
  readonly toId?: string
}

/**
 * A `status` marker. Fields left undefined are omitted from the event.
 *
 * @param localTimestamp receive time, µs. Default: now
 * @example statusEvent('binance', 'disconnected', { reason: 'closed by server (code 1006)' })
 */
export function statusEvent(
  exchange: string,
  status: StatusKind,
  fields: StatusFields = {},
  localTimestamp: number = nowMicros(),
): StatusEvent {
  const event: { -readonly [K in keyof StatusEvent]: StatusEvent[K] } = { type: 'status', exchange, status, localTimestamp }
  if (fields.symbol !== undefined) event.symbol = fields.symbol
  if (fields.channel !== undefined) event.channel = fields.channel
  if (fields.reason !== undefined) event.reason = fields.reason
  if (fields.fromId !== undefined) event.fromId = fields.fromId
  if (fields.toId !== undefined) event.toId = fields.toId
  return event
}

/**
 * The `status: 'gap'` marker for trade ids `fromId`..`toId` (inclusive) of
 * `symbol` that are missing for good.
 *
 * @example tradeGapEvent('kraken', 'BTC/USD', 101, 140, 'not returned by GET /0/public/Trades')
 */
export function tradeGapEvent(
  exchange: string,
  symbol: string,
  fromId: number | string,
  toId: number | string,
  reason: string,
  localTimestamp: number = nowMicros(),
): StatusEvent {
  return statusEvent(exchange, 'gap', { symbol, channel: 'trades', reason, fromId: String(fromId), toId: String(toId) }, localTimestamp)
}

/**
 * The `status: 'gap'` marker for closed bars of `symbol` at `interval` that
 * are missing for good: `channel` is `bars:<interval>`, and `fromId`/`toId`
 * are the open times (µs, as strings) of the first and last missing bar.
 *
 * @example barGapEvent('binance', 'BTCUSDT', '1m', 1701388800000000, 1701388920000000, 'GET /api/v3/klines failed: HTTP 500')
 */
export function barGapEvent(
  exchange: string,
  symbol: string,
  interval: string,
  fromOpenTime: number,
  toOpenTime: number,
  reason: string,
  localTimestamp: number = nowMicros(),
): StatusEvent {
  return statusEvent(
    exchange,
    'gap',
    { symbol, channel: `bars:${interval}`, reason, fromId: String(fromOpenTime), toId: String(toOpenTime) },
    localTimestamp,
  )
}
