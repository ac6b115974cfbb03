/**
 * Binance spot's own frame and body shapes, as they arrive on the wire.
 * Prices and quantities are decimal strings; times are ms since the epoch.
 * See https://developers.binance.com/docs/binance-spot-api-docs/web-socket-streams
 */

/** A price level `[price, quantity]`; quantity `"0"` removes the level. */
export type BinanceLevel = [price: string, quantity: string]

/** `<symbol>@trade` payload. `m` = buyer is maker (taker sold). */
export interface BinanceTradeFrame {
  e: 'trade'
  /** Event time, ms. */
  E: number
  s: string
  /** Trade id, per symbol, increasing by 1. */
  t: number
  p: string
  q: string
  /** Trade time, ms. */
  T: number
  m: boolean
  M?: boolean
}

/** One row of `GET /api/v3/historicalTrades` (REST). `isBuyerMaker` = the taker sold. */
export interface BinanceHistoricalTrade {
  /** Trade id, the same as the stream's `t`. */
  id: number
  price: string
  qty: string
  quoteQty: string
  /** Trade time, ms. */
  time: number
  isBuyerMaker: boolean
  isBestMatch: boolean
}

/** `<symbol>@aggTrade` payload: spot's adapter subscribes to `@trade`, the futures adapters to this (`a` is the trade id). */
export interface BinanceAggTradeFrame {
  e: 'aggTrade'
  E: number
  s: string
  a: number
  p: string
  q: string
  /** First and last underlying trade id. */
  f: number
  l: number
  T: number
  m: boolean
  M?: boolean
}

/**
 * One row of `GET /api/v3/aggTrades`: one taker order's fills at one price. `f`..`l` are the
 * underlying trade ids (the stream's `t`), so the first row at a time names the first trade id there.
 */
export interface BinanceAggTrade {
  /** Aggregate trade id. */
  a: number
  p: string
  q: string
  /** First and last trade id. */
  f: number
  l: number
  /** Trade time, ms. */
  T: number
  m: boolean
  M?: boolean
}

/**
 * One row of `GET /api/v3/klines`, ascending by open time. Binance reports every interval, those
 * without trades too (volume `"0"`, open = high = low = close = the previous close); the last row
 * is the kline still open when the range reaches the present.
 */
export type BinanceKlineRow = [
  /** Open time, ms. */
  openTime: number,
  open: string,
  high: string,
  low: string,
  close: string,
  /** Base-asset volume. */
  volume: string,
  /** Close time, ms (`openTime + interval - 1`). */
  closeTime: number,
  quoteVolume: string,
  trades: number,
  takerBuyBaseVolume: string,
  takerBuyQuoteVolume: string,
  ignore: string,
]

/** `<symbol>@kline_<interval>` payload. */
export interface BinanceKlineFrame {
  e: 'kline'
  E: number
  s: string
  k: {
    /** Open time, ms. */
    t: number
    /** Close time, ms (`t + interval - 1`). */
    T: number
    s: string
    i: string
    f: number
    L: number
    o: string
    c: string
    h: string
    l: string
    /** Base-asset volume. */
    v: string
    n: number
    /** Is this kline closed (final update of the bucket). */
    x: boolean
    q: string
    V: string
    Q: string
    B: string
  }
}

/** `<symbol>@depth@100ms` payload. Spot events carry no `pu` and no `T`. */
export interface BinanceDepthUpdateFrame {
  e: 'depthUpdate'
  E: number
  /** Transaction time, ms (futures only). */
  T?: number
  s: string
  /** First update id in the event. */
  U: number
  /** Final update id in the event. */
  u: number
  /** The previous event's final update id (futures only: their ids are shared by all symbols). */
  pu?: number
  b: BinanceLevel[]
  a: BinanceLevel[]
}

/** `<symbol>@bookTicker` payload (no `e`, no `E`). */
export interface BinanceBookTickerFrame {
  u: number
  s: string
  b: string
  B: string
  a: string
  A: string
}

/** Sent when the server is about to shut down; the connection should be replaced now. */
export interface BinanceServerShutdownFrame {
  e: 'serverShutdown'
  E: number
}

/** Every `/stream` frame: `{"stream": "<name>", "data": <payload>}`. */
export interface BinanceCombinedFrame<T = unknown> {
  stream: string
  data: T
}

/** Answer to SUBSCRIBE / UNSUBSCRIBE: `{"result": null, "id": 1}`. */
export interface BinanceControlResult {
  result: unknown
  id: number | string | null
}

/** Rejected control message: `{"error": {"code": 2, "msg": "Invalid request: invalid stream"}, "id": 1}`. */
export interface BinanceControlError {
  error: { code: number; msg: string }
  id: number | string | null
}

/** A live control message the client sends. */
export interface BinanceSubscribeMessage {
  method: 'SUBSCRIBE' | 'UNSUBSCRIBE'
  params: string[]
  id: number
}

/** `GET /api/v3/depth` body (futures `/fapi/v1/depth`, `/dapi/v1/depth` add `E` and `T`). */
export interface BinanceDepthSnapshot {
  lastUpdateId: number
  /** Message output time, ms (futures only). */
  E?: number
  /** Transaction time, ms (futures only): the snapshot's exchange time. */
  T?: number
  bids: BinanceLevel[]
  asks: BinanceLevel[]
}

/** One entry of `exchangeInfo.rateLimits`. */
export interface BinanceRateLimit {
  rateLimitType: 'REQUEST_WEIGHT' | 'ORDERS' | 'RAW_REQUESTS' | string
  interval: 'SECOND' | 'MINUTE' | 'HOUR' | 'DAY' | string
  intervalNum: number
  limit: number
}

/** The part of `GET /api/v3/exchangeInfo` the adapter reads. */
export interface BinanceExchangeInfo {
  timezone?: string
  serverTime?: number
  rateLimits?: BinanceRateLimit[]
  symbols: Array<{ symbol: string; status?: string; baseAsset?: string; quoteAsset?: string }>
}

/** REST error body: `{"code": -1121, "msg": "Invalid symbol."}`. */
export interface BinanceErrorBody {
  code: number
  msg: string
}
