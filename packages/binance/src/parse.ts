/**
 * Binance frames → normalized records, for every Binance market (a
 * {@link BinanceDialect} says how its frames differ). Pure and synchronous:
 * one frame in, at most one message out, no I/O. Depth updates are not
 * emitted as they are: they go through the book sync first (see
 * book-sync.ts). The payloads only futures send (`aggTrade` as the trade
 * stream, `bookTicker`, `markPriceUpdate`, `forceOrder`) are read in
 * futures/parse.ts.
 *
 * A frame of a known event whose fields lack Binance's types throws (the
 * transport counts a parse error and skips it). Taken as a record, it would
 * put NaN into books and trades, or hand the book sync and the trade
 * de-duplication ids that no comparison can order (a depth update with text
 * ids made the next continuity check pass whatever the next ids were).
 */
import { addBars, nowMicros } from '@dccd/core'
import type { BarEvent, BookEvent, BookLevel, DerivativeEvent, LiquidationEvent, QuoteEvent, TradeEvent } from '@dccd/core'
import { EXCHANGE_ID } from './capabilities.js'
import { parseAggTrade, parseBookTicker, parseForceOrder, parseMarkPrice } from './futures/parse.js'
import { scanDepthUpdate } from './depth-scan.js'
import { decimal, exchangeTime, invalid } from './parse-fields.js'
import { tradeEvent } from './trade-event.js'
import type {
  BinanceAggTrade,
  BinanceDepthSnapshot,
  BinanceHistoricalTrade,
  BinanceCombinedFrame,
  BinanceDepthUpdateFrame,
  BinanceKlineFrame,
  BinanceLevel,
  BinanceTradeFrame,
  BinanceAggTradeFrame,
} from './wire.js'
import type { BinanceForceOrderFrame, BinanceFuturesBookTickerFrame, BinanceMarkPriceFrame } from './futures/wire.js'

/** How one Binance market's frames differ from spot's. */
export interface BinanceDialect {
  /** `exchange` of the events: the adapter's id. */
  readonly exchange: string
  /** Trades come as `aggTrade` (futures, id `a`) instead of `trade` (spot, id `t`). */
  readonly aggTrades: boolean
  /** Depth events carry `pu`, the previous event's `u` (futures). */
  readonly previousUpdateIds: boolean
  /** The kline field with the base-asset volume: `v` (spot, USDⓈ-M), `q` (COIN-M, whose `v` counts contracts). */
  readonly klineBaseVolume: 'v' | 'q'
  /** `bookTicker`, `markPriceUpdate` and `forceOrder` are read (futures); else they carry nothing for dccd. */
  readonly derivativeEvents: boolean
}

/** Binance spot's frames. */
export const SPOT_DIALECT: BinanceDialect = {
  exchange: EXCHANGE_ID,
  aggTrades: false,
  previousUpdateIds: false,
  klineBaseVolume: 'v',
  derivativeEvents: false,
}

/** The update-id range of a diff-depth event: what the book sync proves contiguous. */
export interface DepthUpdateIds {
  /** `U`: first update id in the event. */
  readonly firstUpdateId: number
  /** `u`: final update id in the event. */
  readonly finalUpdateId: number
  /** `pu`: the previous event's final update id (futures only). */
  readonly previousUpdateId?: number
}

/** A {@link DepthUpdateIds} that {@link readDepthUpdate} fills, one per feed, reused for every frame. */
export interface DepthIdsHolder {
  firstUpdateId: number
  finalUpdateId: number
  previousUpdateId: number | undefined
}

/** A diff-depth event with its update-id range, waiting for the book sync to prove it contiguous. */
export interface BinanceDepthUpdate extends DepthUpdateIds {
  readonly type: 'depthUpdate'
  readonly symbol: string
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
export type BinanceMessage =
  | TradeEvent
  | BarEvent
  | QuoteEvent
  | DerivativeEvent
  | LiquidationEvent
  | BinanceDepthUpdate
  | BinanceControlAnswer
  | BinanceShutdownNotice

/**
 * Parses one WebSocket frame, combined-stream (`{"stream","data"}`) or raw.
 * Returns undefined for frames that carry nothing for dccd on this market
 * (spot: `bookTicker`, `aggTrade`; unknown events).
 *
 * @param raw the frame text
 * @param localTimestamp receive time, µs
 * @param dialect the market whose frames these are. Default: spot.
 * @throws SyntaxError on a frame that is not JSON, TypeError on an event whose fields do not have
 *   Binance's types (the transport counts either as a parse error)
 * @example parseFrame('{"stream":"btcusdt@trade","data":{"e":"trade",…}}', nowMicros())
 */
export function parseFrame(raw: string, localTimestamp: number, dialect: BinanceDialect = SPOT_DIALECT): BinanceMessage | undefined {
  // Depth frames of the layout Binance sends, without JSON.parse; anything else as below.
  const event = scanDepthUpdate(raw, localTimestamp, dialect, scannedIds)
  if (event !== undefined) return depthUpdate(event, scannedIds)
  const payload = decodeFrame(raw)
  return payload === undefined ? undefined : parsePayload(payload, localTimestamp, dialect)
}

/**
 * `JSON.parse` of one frame, unwrapped from its combined-stream envelope: the event payload, or
 * undefined when the frame holds no object. @throws SyntaxError on a frame that is not JSON
 */
export function decodeFrame(raw: string): Record<string, unknown> | undefined {
  const frame = JSON.parse(raw) as unknown
  if (typeof frame !== 'object' || frame === null) return undefined
  const envelope = frame as Partial<BinanceCombinedFrame>
  const payload = typeof envelope.stream === 'string' ? envelope.data : frame
  if (typeof payload !== 'object' || payload === null) return undefined
  return payload as Record<string, unknown>
}

/** Parses an already-decoded event payload (the `data` of a combined frame, or a raw-stream frame). */
export function parsePayload(
  payload: Record<string, unknown>,
  localTimestamp: number,
  dialect: BinanceDialect = SPOT_DIALECT,
): BinanceMessage | undefined {
  switch (payload.e) {
    case 'depthUpdate':
      return parseDepthUpdate(payload as unknown as BinanceDepthUpdateFrame, localTimestamp, dialect)
    case 'trade':
      return dialect.aggTrades ? undefined : parseTrade(payload as unknown as BinanceTradeFrame, localTimestamp, dialect.exchange)
    case 'aggTrade':
      return dialect.aggTrades ? parseAggTrade(payload as unknown as BinanceAggTradeFrame, localTimestamp, dialect.exchange) : undefined
    case 'kline':
      return parseKline(payload as unknown as BinanceKlineFrame, localTimestamp, dialect)
    case 'bookTicker':
      return dialect.derivativeEvents ? parseBookTicker(payload as unknown as BinanceFuturesBookTickerFrame, localTimestamp, dialect.exchange) : undefined
    case 'markPriceUpdate':
      return dialect.derivativeEvents ? parseMarkPrice(payload as unknown as BinanceMarkPriceFrame, localTimestamp, dialect.exchange) : undefined
    case 'forceOrder':
      return dialect.derivativeEvents ? parseForceOrder(payload as unknown as BinanceForceOrderFrame, localTimestamp, dialect.exchange) : undefined
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
export function parseTrade(frame: BinanceTradeFrame, localTimestamp: number, exchange: string = EXCHANGE_ID): TradeEvent {
  return tradeEvent(frame.s, frame.t, frame.p, frame.q, frame.m, frame.T, localTimestamp, exchange)
}

/** A `GET /api/v3/historicalTrades` row → trade, normalized exactly as the stream's `@trade`. @throws TypeError on fields of the wrong type */
export function parseHistoricalTrade(symbol: string, row: BinanceHistoricalTrade, localTimestamp: number): TradeEvent {
  return tradeEvent(symbol, row.id, row.price, row.qty, row.isBuyerMaker, row.time, localTimestamp, EXCHANGE_ID)
}

/**
 * `@kline_<interval>` → bar; `closed` is the kline's final flag `x`; `volume` the base-asset volume
 * (the dialect's `klineBaseVolume` field). @throws TypeError on fields of the wrong type
 */
export function parseKline(frame: BinanceKlineFrame, localTimestamp: number, dialect: BinanceDialect = SPOT_DIALECT): BarEvent {
  const k = frame.k
  if (typeof k !== 'object' || k === null) invalid('kline k', k)
  if (typeof frame.s !== 'string' || typeof k.i !== 'string') invalid('kline symbol or interval', [frame.s, k.i])
  const openTime = exchangeTime(k.t, localTimestamp, 'kline open time')
  const timestamp = exchangeTime(frame.E, localTimestamp, 'kline event time')
  if (typeof k.x !== 'boolean') invalid('kline closed flag', k.x)
  return {
    type: 'bar',
    exchange: dialect.exchange,
    symbol: frame.s,
    interval: k.i,
    openTime,
    open: decimal(k.o, 'kline open'),
    high: decimal(k.h, 'kline high'),
    low: decimal(k.l, 'kline low'),
    close: decimal(k.c, 'kline close'),
    volume: decimal(k[dialect.klineBaseVolume], 'kline volume'),
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
 * The bar's `volume` is the base-asset volume: column 5 (spot, USDⓈ-M), column 7 on COIN-M, whose
 * column 5 counts contracts (the dialect's `klineBaseVolume`).
 *
 * @param localTimestamp receive time, µs
 * @param dialect the market whose rows these are. Default: spot.
 * @throws TypeError when the body is not a list of rows `[openTime, open, high, low, close, volume,
 *   closeTime, …]` with plausible integer ms times, strict decimal strings and ascending open times
 */
export function parseKlineRows(
  symbol: string,
  interval: string,
  body: unknown,
  localTimestamp: number,
  dialect: BinanceDialect = SPOT_DIALECT,
): BarEvent[] {
  if (!Array.isArray(body)) invalid('klines body', body)
  const volumeColumn = dialect.klineBaseVolume === 'v' ? 5 : 7
  const bars = new Array<BarEvent>(body.length)
  let previous = -Infinity
  for (let i = 0; i < body.length; i++) {
    const row = body[i] as unknown
    if (!Array.isArray(row) || row.length < Math.max(7, volumeColumn + 1)) invalid('kline row', row)
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
      exchange: dialect.exchange,
      symbol,
      interval,
      openTime,
      open: decimal(row[1], 'kline open'),
      high: decimal(row[2], 'kline high'),
      low: decimal(row[3], 'kline low'),
      close: decimal(row[4], 'kline close'),
      volume: decimal(row[volumeColumn], 'kline volume'),
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

/**
 * `depthUpdate` → update-id range plus the delta it would emit. Futures events also carry `pu` (the
 * previous event's `u`, their continuity rule) and `T`, the transaction time, taken as the event's
 * time; spot's carry `E` only. @throws TypeError on fields of the wrong type
 */
export function parseDepthUpdate(frame: BinanceDepthUpdateFrame, localTimestamp: number, dialect: BinanceDialect = SPOT_DIALECT): BinanceDepthUpdate {
  const ids: DepthIdsHolder = { firstUpdateId: 0, finalUpdateId: 0, previousUpdateId: undefined }
  return depthUpdate(readDepthUpdate(frame, localTimestamp, dialect, ids), ids)
}

/** The ids `parseFrame` has the depth scan write; copied out before it returns. */
const scannedIds: DepthIdsHolder = { firstUpdateId: 0, finalUpdateId: 0, previousUpdateId: undefined }

function depthUpdate(event: BookEvent, ids: DepthIdsHolder): BinanceDepthUpdate {
  const { firstUpdateId, finalUpdateId, previousUpdateId } = ids
  if (previousUpdateId === undefined) return { type: 'depthUpdate', symbol: event.symbol, firstUpdateId, finalUpdateId, event }
  return { type: 'depthUpdate', symbol: event.symbol, firstUpdateId, finalUpdateId, previousUpdateId, event }
}

/**
 * {@link parseDepthUpdate} without the wrapper: returns the delta and writes the update-id range
 * into `ids` (the feed's one holder; the book sync reads it during the call and keeps nothing of it).
 * Every field is checked before `ids` is written, so a malformed frame leaves it as it was.
 *
 * @throws TypeError on fields of the wrong type
 */
export function readDepthUpdate(frame: BinanceDepthUpdateFrame, localTimestamp: number, dialect: BinanceDialect, ids: DepthIdsHolder): BookEvent {
  const { s, U, u } = frame
  if (typeof s !== 'string') invalid('depthUpdate symbol', s)
  // The book sync proves continuity by comparing these: anything but integers U <= u makes every comparison false.
  if (!Number.isSafeInteger(U) || !Number.isSafeInteger(u) || U > u) invalid('depthUpdate ids U..u', [U, u])
  const futures = dialect.previousUpdateIds
  const timestamp = futures ? exchangeTime(frame.T, localTimestamp, 'depthUpdate transaction time') : exchangeTime(frame.E, localTimestamp, 'depthUpdate event time')
  const pu = futures ? frame.pu : undefined
  if (futures && !Number.isSafeInteger(pu)) invalid('depthUpdate previous final id pu', pu)
  const event: BookEvent = {
    type: 'book',
    exchange: dialect.exchange,
    symbol: s,
    isSnapshot: false,
    bids: toLevels(frame.b),
    asks: toLevels(frame.a),
    timestamp,
    localTimestamp,
  }
  ids.firstUpdateId = U
  ids.finalUpdateId = u
  ids.previousUpdateId = pu
  return event
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
    // A string indexes too: "12" would read as price 1, quantity 2.
    if (!Array.isArray(level)) invalid('price level', level)
    out[i] = { price: decimal(level[0], 'level price'), amount: decimal(level[1], 'level quantity') }
  }
  return out
}

/**
 * Checks a `GET /api/v3/depth` (or futures `/fapi/v1/depth`, `/dapi/v1/depth`) body and returns it: an
 * integer `lastUpdateId`, two lists of readable levels and, where present (futures), a plausible
 * transaction time `T`. Accepted without an id, a snapshot let the book sync apply any event after
 * it; an unreadable level threw where no caller could catch it.
 *
 * @param localTimestamp receive time, µs (judges `T`)
 * @throws TypeError otherwise (the feed treats it as a failed request and asks again later)
 */
export function checkDepthSnapshot(body: unknown, localTimestamp: number = nowMicros()): BinanceDepthSnapshot {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) invalid('depth snapshot', body)
  const { lastUpdateId, bids, asks, T } = body as Partial<BinanceDepthSnapshot>
  if (!Number.isSafeInteger(lastUpdateId)) invalid('depth snapshot lastUpdateId', lastUpdateId)
  if (!Array.isArray(bids) || !Array.isArray(asks)) invalid('depth snapshot bids or asks', [bids, asks])
  if (T !== undefined) exchangeTime(T, localTimestamp, 'depth snapshot transaction time T')
  toLevels(bids)
  toLevels(asks)
  return body as BinanceDepthSnapshot
}
