/**
 * Frames → typed messages with normalized events. Pure and synchronous: no
 * socket, no promise per frame, so it is cheap on the hot path and testable
 * with literal frames. A frame whose fields lack the exchange's types throws
 * (the base counts and logs a parse error); it never reaches a book or a consumer.
 */
import { decimalField as decimal, invalidField as invalid, msTimeField } from '@dccd/core'
import type { BookEvent, BookLevel, TradeEvent } from '@dccd/core'
import { EXCHANGE_ID } from './capabilities.js'
import type { __PASCAL__Ack, __PASCAL__BookFrame, __PASCAL__Level, __PASCAL__RestTrade } from './wire.js'

/** A book message waiting for the book sync to prove it contiguous. */
export interface __PASCAL__BookMessage {
  readonly type: 'book'
  readonly symbol: string
  readonly seqId: number
  readonly prevSeqId: number
  /** The event to emit once proven. */
  readonly event: BookEvent
}

/** What one frame turns into. */
export type __PASCAL__Message = { readonly type: 'trades'; readonly trades: TradeEvent[] } | __PASCAL__BookMessage | { readonly type: 'ack'; readonly ack: __PASCAL__Ack }

/**
 * Parses one frame.
 *
 * @param receivedAt receive time, µs
 * @throws SyntaxError for a frame that is not JSON, TypeError for one of the wrong shape
 * @example parseFrame('{"channel":"trades","symbol":"BTCUSDT","data":[…]}', nowMicros())
 */
export function parseFrame(raw: string, receivedAt: number): __PASCAL__Message {
  const frame = JSON.parse(raw) as Record<string, unknown>
  if (typeof frame !== 'object' || frame === null) invalid('frame', frame)
  if (frame.channel === 'trades') {
    if (typeof frame.symbol !== 'string' || !Array.isArray(frame.data)) invalid('trades frame', frame)
    return { type: 'trades', trades: frame.data.map((row: __PASCAL__RestTrade) => tradeEvent(frame.symbol as string, row, receivedAt)) }
  }
  if (frame.channel === 'book') return bookMessage(frame as unknown as __PASCAL__BookFrame, receivedAt)
  if (typeof frame.event === 'string') return { type: 'ack', ack: frame as unknown as __PASCAL__Ack }
  invalid('frame', frame)
}

/** A trade row (stream or REST, the same shape) → a trade event. @throws TypeError on fields of the wrong type */
export function tradeEvent(symbol: string, row: __PASCAL__RestTrade, receivedAt: number): TradeEvent {
  if (!Number.isSafeInteger(row?.id)) invalid('trade id', row?.id)
  if (row.side !== 'buy' && row.side !== 'sell') invalid('trade side', row.side)
  return {
    type: 'trade',
    exchange: EXCHANGE_ID,
    symbol,
    id: String(row.id),
    price: decimal(row.price, 'trade price'),
    amount: decimal(row.qty, 'trade quantity'),
    side: row.side,
    timestamp: exchangeTime(row.ts, receivedAt),
    localTimestamp: receivedAt,
  }
}

function bookMessage(frame: __PASCAL__BookFrame, receivedAt: number): __PASCAL__BookMessage {
  if (typeof frame.symbol !== 'string') invalid('book symbol', frame.symbol)
  if (!Number.isSafeInteger(frame.seqId) || !Number.isSafeInteger(frame.prevSeqId)) invalid('book seqId/prevSeqId', [frame.seqId, frame.prevSeqId])
  if (frame.type !== 'snapshot' && frame.type !== 'update') invalid('book type', frame.type)
  return {
    type: 'book',
    symbol: frame.symbol,
    seqId: frame.seqId,
    prevSeqId: frame.prevSeqId,
    event: {
      type: 'book',
      exchange: EXCHANGE_ID,
      symbol: frame.symbol,
      isSnapshot: frame.type === 'snapshot',
      bids: levels(frame.bids),
      asks: levels(frame.asks),
      timestamp: exchangeTime(frame.ts, receivedAt),
      localTimestamp: receivedAt,
    },
  }
}

function levels(wire: readonly __PASCAL__Level[]): BookLevel[] {
  if (!Array.isArray(wire)) invalid('book levels', wire)
  return wire.map((level) => ({ price: decimal(level[0], 'level price'), amount: decimal(level[1], 'level size') }))
}

/** An exchange time in ms → µs, when plausible (core's field readers check every field alike). */
function exchangeTime(ms: unknown, receivedAt: number): number {
  return msTimeField(ms, receivedAt, 'exchange time')
}
