/**
 * Binance spot frames → normalized records. Pure and synchronous: one frame
 * in, at most one message out, no I/O. Depth updates are not emitted as they
 * are: they go through the book sync first (see book-sync.ts).
 */
import type { BarEvent, BookEvent, BookLevel, TradeEvent } from '@dccd/core'
import { decimalToNumber } from './decimal.js'
import { EXCHANGE_ID } from './symbols.js'
import type {
  BinanceHistoricalTrade,
  BinanceCombinedFrame,
  BinanceDepthUpdateFrame,
  BinanceKlineFrame,
  BinanceLevel,
  BinanceTradeFrame,
} from './wire.js'

/** A diff-depth event with its update-id range, waiting for the book sync to prove it contiguous. */
export interface BinanceDepthUpdate {
  readonly type: 'depthUpdate'
  readonly symbol: string
  /** `U`: first update id in the event. */
  readonly firstUpdateId: number
  /** `u`: final update id in the event. */
  readonly finalUpdateId: number
  /** The delta, ready to emit once proven (`isSnapshot: false`). */
  readonly event: BookEvent
}

/** Answer to a SUBSCRIBE message; `error` set when Binance rejected it. */
export interface BinanceControlAnswer {
  readonly type: 'control'
  readonly id: number | string | null
  readonly error?: { readonly code: number; readonly msg: string }
}

/** `serverShutdown`: the server will drop this connection soon. */
export interface BinanceShutdownNotice {
  readonly type: 'serverShutdown'
  /** Event time, µs. */
  readonly timestamp: number
}

/** What one Binance frame turns into. */
export type BinanceMessage = TradeEvent | BarEvent | BinanceDepthUpdate | BinanceControlAnswer | BinanceShutdownNotice

/**
 * Parses one WebSocket frame, combined-stream (`{"stream","data"}`) or raw.
 * Returns undefined for frames that carry nothing for dccd (`bookTicker`,
 * `aggTrade`, unknown events).
 *
 * @param raw the frame text
 * @param localTimestamp receive time, µs
 * @throws SyntaxError on a frame that is not JSON (the transport counts it as a parse error)
 * @example parseBinanceFrame('{"stream":"btcusdt@trade","data":{"e":"trade",…}}', nowMicros())
 */
export function parseBinanceFrame(raw: string, localTimestamp: number): BinanceMessage | undefined {
  const frame = JSON.parse(raw) as unknown
  if (typeof frame !== 'object' || frame === null) return undefined
  const envelope = frame as Partial<BinanceCombinedFrame>
  const payload = typeof envelope.stream === 'string' ? envelope.data : frame
  if (typeof payload !== 'object' || payload === null) return undefined
  return parsePayload(payload as Record<string, unknown>, localTimestamp)
}

/** Parses an already-decoded event payload (the `data` of a combined frame, or a raw-stream frame). */
export function parsePayload(payload: Record<string, unknown>, localTimestamp: number): BinanceMessage | undefined {
  switch (payload.e) {
    case 'depthUpdate':
      return parseDepthUpdate(payload as unknown as BinanceDepthUpdateFrame, localTimestamp)
    case 'trade':
      return parseTrade(payload as unknown as BinanceTradeFrame, localTimestamp)
    case 'kline':
      return parseKline(payload as unknown as BinanceKlineFrame, localTimestamp)
    case 'serverShutdown':
      return { type: 'serverShutdown', timestamp: (payload.E as number) * 1000 }
    case undefined:
      if ('id' in payload && ('result' in payload || 'error' in payload)) {
        const error = payload.error as { code: number; msg: string } | undefined
        const id = payload.id as number | string | null
        return error === undefined ? { type: 'control', id } : { type: 'control', id, error }
      }
      return undefined
    default:
      return undefined
  }
}

/** `@trade` → trade. `m` (buyer is maker) means the taker sold. */
export function parseTrade(frame: BinanceTradeFrame, localTimestamp: number): TradeEvent {
  return tradeEvent(frame.s, frame.t, frame.p, frame.q, frame.m, frame.T, localTimestamp)
}

/** A `GET /api/v3/historicalTrades` row → trade, normalized exactly as the stream's `@trade`. */
export function parseHistoricalTrade(symbol: string, row: BinanceHistoricalTrade, localTimestamp: number): TradeEvent {
  return tradeEvent(symbol, row.id, row.price, row.qty, row.isBuyerMaker, row.time, localTimestamp)
}

function tradeEvent(
  symbol: string,
  id: number,
  price: string,
  quantity: string,
  buyerIsMaker: boolean,
  timeMs: number,
  localTimestamp: number,
): TradeEvent {
  return {
    type: 'trade',
    exchange: EXCHANGE_ID,
    symbol,
    id: String(id),
    price: decimalToNumber(price),
    amount: decimalToNumber(quantity),
    side: buyerIsMaker ? 'sell' : 'buy',
    timestamp: timeMs * 1000,
    localTimestamp,
  }
}

/** `@kline_<interval>` → bar; `closed` is the kline's final flag `x`. */
export function parseKline(frame: BinanceKlineFrame, localTimestamp: number): BarEvent {
  const k = frame.k
  return {
    type: 'bar',
    exchange: EXCHANGE_ID,
    symbol: frame.s,
    interval: k.i,
    openTime: k.t * 1000,
    open: decimalToNumber(k.o),
    high: decimalToNumber(k.h),
    low: decimalToNumber(k.l),
    close: decimalToNumber(k.c),
    volume: decimalToNumber(k.v),
    closed: k.x,
    timestamp: frame.E * 1000,
    localTimestamp,
  }
}

/** `depthUpdate` → update-id range plus the delta it would emit. */
export function parseDepthUpdate(frame: BinanceDepthUpdateFrame, localTimestamp: number): BinanceDepthUpdate {
  return {
    type: 'depthUpdate',
    symbol: frame.s,
    firstUpdateId: frame.U,
    finalUpdateId: frame.u,
    event: {
      type: 'book',
      exchange: EXCHANGE_ID,
      symbol: frame.s,
      isSnapshot: false,
      bids: toLevels(frame.b),
      asks: toLevels(frame.a),
      timestamp: frame.E * 1000,
      localTimestamp,
    },
  }
}

/** `[["0.1","2"], …]` → `[{price: 0.1, amount: 2}, …]`, in the order given (the numbers are `Number()`'s, faster). */
export function toLevels(levels: readonly BinanceLevel[] | undefined): BookLevel[] {
  if (levels === undefined) return []
  const out = new Array<BookLevel>(levels.length)
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i]!
    out[i] = { price: decimalToNumber(level[0]), amount: decimalToNumber(level[1]) }
  }
  return out
}
