/**
 * Frames → typed messages with normalized events. Pure and synchronous: no
 * socket, no promise per frame, so it is cheap on the hot path and testable
 * with literal frames. A frame whose fields lack the exchange's types throws
 * (the base counts and logs a parse error); it never reaches a book or a consumer.
 */
import { decimalToNumber, isPlausibleExchangeTime, msToMicros } from '@dccd/core'
import type { BookEvent, BookLevel, TradeEvent } from '@dccd/core'
import { EXCHANGE_ID } from './capabilities.js'
import type { OKXAck, OKXBookFrame, OKXLevel, OKXRestTrade } from './wire.js'

/** A book message waiting for the book sync to prove it contiguous. */
export interface OKXBookMessage {
  readonly type: 'book'
  readonly symbol: string
  readonly seqId: number
  readonly prevSeqId: number
  /** The event to emit once proven. */
  readonly event: BookEvent
}

/** What one frame turns into. */
export type OKXMessage = { readonly type: 'trades'; readonly trades: TradeEvent[] } | OKXBookMessage | { readonly type: 'ack'; readonly ack: OKXAck }

/**
 * Parses one frame.
 *
 * @param receivedAt receive time, µs
 * @throws SyntaxError for a frame that is not JSON, TypeError for one of the wrong shape
 * @example parseFrame('{"channel":"trades","symbol":"BTCUSDT","data":[…]}', nowMicros())
 */
export function parseFrame(raw: string, receivedAt: number): OKXMessage {
  const frame = JSON.parse(raw) as Record<string, unknown>
  if (typeof frame !== 'object' || frame === null) invalid('frame', frame)
  if (frame.channel === 'trades') {
    if (typeof frame.symbol !== 'string' || !Array.isArray(frame.data)) invalid('trades frame', frame)
    return { type: 'trades', trades: frame.data.map((row: OKXRestTrade) => tradeEvent(frame.symbol as string, row, receivedAt)) }
  }
  if (frame.channel === 'book') return bookMessage(frame as unknown as OKXBookFrame, receivedAt)
  if (typeof frame.event === 'string') return { type: 'ack', ack: frame as unknown as OKXAck }
  invalid('frame', frame)
}

/** A trade row (stream or REST, the same shape) → a trade event. @throws TypeError on fields of the wrong type */
export function tradeEvent(symbol: string, row: OKXRestTrade, receivedAt: number): TradeEvent {
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

function bookMessage(frame: OKXBookFrame, receivedAt: number): OKXBookMessage {
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

function levels(wire: readonly OKXLevel[]): BookLevel[] {
  if (!Array.isArray(wire)) invalid('book levels', wire)
  return wire.map((level) => ({ price: decimal(level[0], 'level price'), amount: decimal(level[1], 'level size') }))
}

/** An exchange time in ms → µs, when plausible (core's `isPlausibleExchangeTime`). */
function exchangeTime(ms: unknown, receivedAt: number): number {
  const micros = typeof ms === 'number' ? msToMicros(ms) : Number.NaN
  if (!isPlausibleExchangeTime(micros, receivedAt)) invalid('exchange time', ms)
  return micros
}

/** A price or quantity: an unsigned decimal string. */
function decimal(text: unknown, what: string): number {
  const value = typeof text === 'string' ? decimalToNumber(text) : Number.NaN
  if (!(value >= 0 && value < Infinity)) invalid(what, text)
  return value
}

function invalid(what: string, value: unknown): never {
  throw new TypeError(`${what} is ${(JSON.stringify(value) ?? String(value)).slice(0, 100)}`)
}
