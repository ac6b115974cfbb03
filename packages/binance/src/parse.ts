/**
 * Binance spot frames → normalized records. Pure and synchronous: one frame
 * in, at most one message out, no I/O. Depth updates are not emitted as they
 * are: they go through the book sync first (see book-sync.ts).
 *
 * A frame of a known event whose fields lack Binance's types throws (the
 * transport counts a parse error and skips it). Taken as a record, it would
 * put NaN into books and trades, or hand the book sync and the trade
 * de-duplication ids that no comparison can order (a depth update with text
 * ids made the next continuity check pass whatever the next ids were).
 */
import { addBars, decimalToNumber, isPlausibleExchangeTime } from '@dccd/core'
import type { BarEvent, BookEvent, BookLevel, TradeEvent } from '@dccd/core'
import { EXCHANGE_ID } from './capabilities.js'
import type {
  BinanceAggTrade,
  BinanceDepthSnapshot,
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
 * @throws SyntaxError on a frame that is not JSON, TypeError on a trade, kline or depthUpdate whose
 *   fields do not have Binance's types (the transport counts either as a parse error)
 * @example parseFrame('{"stream":"btcusdt@trade","data":{"e":"trade",…}}', nowMicros())
 */
export function parseFrame(raw: string, localTimestamp: number): BinanceMessage | undefined {
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

/** `@trade` → trade. `m` (buyer is maker) means the taker sold. @throws TypeError on fields of the wrong type */
export function parseTrade(frame: BinanceTradeFrame, localTimestamp: number): TradeEvent {
  return tradeEvent(frame.s, frame.t, frame.p, frame.q, frame.m, frame.T, localTimestamp)
}

/** A `GET /api/v3/historicalTrades` row → trade, normalized exactly as the stream's `@trade`. @throws TypeError on fields of the wrong type */
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
  if (typeof symbol !== 'string') invalid('trade symbol', symbol)
  // The de-duplication orders trades by id: one that is not an integer would disable it for the symbol.
  if (!Number.isSafeInteger(id)) invalid('trade id', id)
  if (typeof buyerIsMaker !== 'boolean') invalid('trade buyer-is-maker flag', buyerIsMaker)
  const timestamp = exchangeTime(timeMs, localTimestamp, 'trade time')
  return {
    type: 'trade',
    exchange: EXCHANGE_ID,
    symbol,
    id: String(id),
    price: decimal(price, 'trade price'),
    amount: decimal(quantity, 'trade quantity'),
    side: buyerIsMaker ? 'sell' : 'buy',
    timestamp,
    localTimestamp,
  }
}

/** `@kline_<interval>` → bar; `closed` is the kline's final flag `x`. @throws TypeError on fields of the wrong type */
export function parseKline(frame: BinanceKlineFrame, localTimestamp: number): BarEvent {
  const k = frame.k
  if (typeof k !== 'object' || k === null) invalid('kline k', k)
  if (typeof frame.s !== 'string' || typeof k.i !== 'string') invalid('kline symbol or interval', [frame.s, k.i])
  const openTime = exchangeTime(k.t, localTimestamp, 'kline open time')
  const timestamp = exchangeTime(frame.E, localTimestamp, 'kline event time')
  if (typeof k.x !== 'boolean') invalid('kline closed flag', k.x)
  return {
    type: 'bar',
    exchange: EXCHANGE_ID,
    symbol: frame.s,
    interval: k.i,
    openTime,
    open: decimal(k.o, 'kline open'),
    high: decimal(k.h, 'kline high'),
    low: decimal(k.l, 'kline low'),
    close: decimal(k.c, 'kline close'),
    volume: decimal(k.v, 'kline volume'),
    closed: k.x,
    timestamp,
    localTimestamp,
  }
}

/**
 * A `GET /api/v3/klines` body → bars, ascending by open time. A bar is `closed` when a later row
 * follows it (Binance opened the next kline, so this one is final) or its close time has passed by
 * `localTimestamp`; its `timestamp` is then its close time, else the receive time. Intervals without
 * trades come as bars with volume 0: they are Binance's own, passed on as they are.
 *
 * @param localTimestamp receive time, µs
 * @throws TypeError when the body is not a list of rows `[openTime, open, high, low, close, volume,
 *   closeTime, …]` with plausible integer ms times, strict decimal strings and ascending open times
 */
export function parseKlineRows(symbol: string, interval: string, body: unknown, localTimestamp: number): BarEvent[] {
  if (!Array.isArray(body)) invalid('klines body', body)
  const bars = new Array<BarEvent>(body.length)
  let previous = -Infinity
  for (let i = 0; i < body.length; i++) {
    const row = body[i] as unknown
    if (!Array.isArray(row) || row.length < 7) invalid('kline row', row)
    const openTime = exchangeTime(row[0], localTimestamp, 'kline open time')
    if (!(openTime > previous)) invalid('kline open times (not ascending)', [previous / 1000, row[0]])
    previous = openTime
    const closeMs = row[6] as unknown
    // A kline ends before the next opens; `closeTime` is `openTime + interval - 1` ms (months vary).
    if (!Number.isSafeInteger(closeMs) || (closeMs as number) * 1000 < openTime || (closeMs as number) * 1000 >= addBars(interval, openTime, 1)) {
      invalid('kline close time', closeMs)
    }
    const closeTime = (closeMs as number) * 1000
    const closed = i < body.length - 1 || closeTime < localTimestamp
    bars[i] = {
      type: 'bar',
      exchange: EXCHANGE_ID,
      symbol,
      interval,
      openTime,
      open: decimal(row[1], 'kline open'),
      high: decimal(row[2], 'kline high'),
      low: decimal(row[3], 'kline low'),
      close: decimal(row[4], 'kline close'),
      volume: decimal(row[5], 'kline volume'),
      closed,
      timestamp: closed ? closeTime : localTimestamp,
      localTimestamp,
    }
  }
  return bars
}

/**
 * A `GET /api/v3/aggTrades?limit=1` body → the first trade id of its row (`f`), or undefined when
 * the list is empty (no trade at or after the time asked for).
 *
 * @throws TypeError when the body is not a list or its first row has no integer `f` ≥ 0
 */
export function parseFirstTradeId(body: unknown): number | undefined {
  if (!Array.isArray(body)) invalid('aggTrades body', body)
  if (body.length === 0) return undefined
  const first = (body[0] as Partial<BinanceAggTrade> | null)?.f
  if (!Number.isSafeInteger(first) || (first as number) < 0) invalid('aggTrade first trade id f', first)
  return first
}

/** `depthUpdate` → update-id range plus the delta it would emit. @throws TypeError on fields of the wrong type */
export function parseDepthUpdate(frame: BinanceDepthUpdateFrame, localTimestamp: number): BinanceDepthUpdate {
  const { s, U, u } = frame
  if (typeof s !== 'string') invalid('depthUpdate symbol', s)
  // The book sync proves continuity by comparing these: anything but integers U <= u makes every comparison false.
  if (!Number.isSafeInteger(U) || !Number.isSafeInteger(u) || U > u) invalid('depthUpdate ids U..u', [U, u])
  const timestamp = exchangeTime(frame.E, localTimestamp, 'depthUpdate event time')
  return {
    type: 'depthUpdate',
    symbol: s,
    firstUpdateId: U,
    finalUpdateId: u,
    event: {
      type: 'book',
      exchange: EXCHANGE_ID,
      symbol: frame.s,
      isSnapshot: false,
      bids: toLevels(frame.b),
      asks: toLevels(frame.a),
      timestamp,
      localTimestamp,
    },
  }
}

/**
 * `[["0.1","2"], …]` → `[{price: 0.1, amount: 2}, …]`, in the order given (the numbers are `Number()`'s, faster).
 *
 * @throws TypeError when `levels` is not a list or a price or quantity is not a decimal string ≥ 0
 */
export function toLevels(levels: readonly BinanceLevel[] | undefined): BookLevel[] {
  if (levels === undefined) return []
  if (!Array.isArray(levels)) invalid('price levels', levels)
  const out = new Array<BookLevel>(levels.length)
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i]!
    out[i] = { price: decimal(level[0], 'level price'), amount: decimal(level[1], 'level quantity') }
  }
  return out
}

/**
 * Checks a `GET /api/v3/depth` body and returns it: an integer `lastUpdateId` and two lists of readable levels.
 * Accepted without an id, a snapshot let the book sync apply any event after it; an unreadable level threw
 * where no caller could catch it.
 *
 * @throws TypeError otherwise (the feed treats it as a failed request and asks again later)
 */
export function checkDepthSnapshot(body: unknown): BinanceDepthSnapshot {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) invalid('depth snapshot', body)
  const { lastUpdateId, bids, asks } = body as Partial<BinanceDepthSnapshot>
  if (!Number.isSafeInteger(lastUpdateId)) invalid('depth snapshot lastUpdateId', lastUpdateId)
  if (!Array.isArray(bids) || !Array.isArray(asks)) invalid('depth snapshot bids or asks', [bids, asks])
  toLevels(bids)
  toLevels(asks)
  return body as BinanceDepthSnapshot
}

/**
 * An exchange time in ms → µs, when it is plausible (core's `isPlausibleExchangeTime`:
 * an integer from 2009 to a day after the receive time). `1e300` or a negative time
 * would otherwise reach books and recordings (the Parquet writer cannot store them).
 */
function exchangeTime(ms: unknown, localTimestamp: number, what: string): number {
  const micros = (ms as number) * 1000
  if (typeof ms !== 'number' || !isPlausibleExchangeTime(micros, localTimestamp)) invalid(what, ms)
  return micros
}

/** A price or quantity: a decimal string whose value is finite and ≥ 0. */
function decimal(text: unknown, what: string): number {
  const value = typeof text === 'string' && text !== '' ? decimalToNumber(text) : Number.NaN
  // Written so NaN fails too.
  if (!(value >= 0 && value < Infinity)) invalid(what, text)
  return value
}

function invalid(what: string, value: unknown): never {
  throw new TypeError(`${what} is ${(JSON.stringify(value) ?? String(value)).slice(0, 100)}`)
}
