/**
 * Kraken spot WebSocket v2 frames as they arrive on the wire
 * (https://docs.kraken.com/api/docs/websocket-v2/book and sibling pages).
 * Prices and quantities are JSON numbers; timestamps are RFC 3339 strings
 * with 6 or 9 fractional digits.
 */

/** One price level of a `book` message. `qty` 0 removes the level. */
export interface KrakenBookLevel {
  price: number
  qty: number
}

/** One symbol's entry in a `book` snapshot or update. */
export interface KrakenBookData {
  symbol: string
  bids: KrakenBookLevel[]
  asks: KrakenBookLevel[]
  /** CRC32 (unsigned) over the top 10 levels of each side after this message is applied. */
  checksum: number
  /** RFC 3339; always on updates, optional on snapshots. */
  timestamp?: string
}

export interface KrakenBookMessage {
  channel: 'book'
  type: 'snapshot' | 'update'
  data: KrakenBookData[]
}

/** One trade. `side` is the taker side. */
export interface KrakenTrade {
  symbol: string
  side: 'buy' | 'sell'
  price: number
  qty: number
  ord_type: string
  trade_id: number
  /** RFC 3339 with µs. */
  timestamp: string
}

export interface KrakenTradeMessage {
  channel: 'trade'
  type: 'snapshot' | 'update'
  data: KrakenTrade[]
}

/** One candle; each message carries the candle's absolute values so far. */
export interface KrakenCandle {
  symbol: string
  open: number
  high: number
  low: number
  close: number
  trades: number
  volume: number
  vwap: number
  /** Candle key: RFC 3339 with 9 fractional digits. */
  interval_begin: string
  /** Minutes. */
  interval: number
  /** Deprecated by Kraken (documented as start, shown as end of the interval): not used. */
  timestamp?: string
}

export interface KrakenOhlcMessage {
  channel: 'ohlc'
  type: 'snapshot' | 'update'
  /** Envelope time, RFC 3339 with 9 fractional digits. */
  timestamp?: string
  data: KrakenCandle[]
}

/** One tradable pair from the `instrument` channel. */
export interface KrakenInstrumentPair {
  symbol: string
  base: string
  quote: string
  status: string
  /** Decimals the book checksum formats prices with. */
  price_precision: number
  /** Decimals the book checksum formats quantities with. */
  qty_precision: number
  price_increment?: number
  qty_increment?: number
  qty_min?: number
}

export interface KrakenInstrumentMessage {
  channel: 'instrument'
  type: 'snapshot' | 'update'
  data: { assets?: unknown[]; pairs?: KrakenInstrumentPair[] }
}

export interface KrakenStatusMessage {
  channel: 'status'
  type: 'update' | 'snapshot'
  data: { api_version?: string; system: 'online' | 'maintenance' | 'cancel_only' | 'post_only' | string; version?: string }[]
}

export interface KrakenHeartbeatMessage {
  channel: 'heartbeat'
}

/** Acknowledgement of a request (`subscribe`, `unsubscribe`, `ping` → `pong`). */
export interface KrakenAck {
  method: 'subscribe' | 'unsubscribe' | 'pong' | string
  success?: boolean
  /** Kraken's message when `success` is false, e.g. `Currency pair not supported XBT/EUR`. */
  error?: string
  /** On some failures, the symbol the request failed for. */
  symbol?: string
  result?: { channel: string; symbol?: string; depth?: number; interval?: number; snapshot?: boolean; warnings?: string[] }
  req_id?: number
  time_in?: string
  time_out?: string
}

/** Every frame the adapter understands. */
export type KrakenMessage =
  | KrakenBookMessage
  | KrakenTradeMessage
  | KrakenOhlcMessage
  | KrakenInstrumentMessage
  | KrakenStatusMessage
  | KrakenHeartbeatMessage

/** Request parameters for `subscribe` / `unsubscribe`. */
export interface KrakenSubscriptionParams {
  channel: 'book' | 'trade' | 'ohlc' | 'instrument'
  symbol?: string[]
  depth?: number
  interval?: number
  snapshot?: boolean
}

export interface KrakenRequest {
  method: 'subscribe' | 'unsubscribe'
  params: KrakenSubscriptionParams
  req_id?: number
}

/** `GET /0/public/AssetPairs` response (only the fields the adapter reads). */
export interface KrakenAssetPairsResponse {
  error: string[]
  result?: Record<string, { altname?: string; wsname?: string; status?: string }>
}

/** One row of REST `Trades`: price, volume, time (float s, 7 decimals), taker side, market/limit, misc, trade id. */
export type KrakenRestTrade = [price: string, volume: string, time: number, side: 'b' | 's', type: 'm' | 'l', misc: string, tradeId: number]

/** `GET /0/public/Trades` response: one array under the REST pair key, and `last`, the ns cursor for the next page. */
export interface KrakenTradesResponse {
  error: string[]
  result?: { last?: string } & Record<string, KrakenRestTrade[] | string | undefined>
}

/**
 * One row of REST `OHLC`: interval start (unix seconds), open, high, low, close, vwap, volume (decimal strings),
 * trade count. An interval without trades is a row too: open = high = low = close = the previous close, vwap,
 * volume and count 0 (e.g. `[1627084800,"1.024497","1.024497","1.024497","1.024497","0.000000","0.00000000",0]`).
 */
export type KrakenRestOhlc = [time: number, open: string, high: string, low: string, close: string, vwap: string, volume: string, count: number]

/**
 * `GET /0/public/OHLC` response: up to the 720 most recent rows under the REST pair key, the last one the
 * current, uncommitted interval; `last`, the start (unix seconds) of the last committed one.
 */
export interface KrakenOhlcResponse {
  error: string[]
  result?: { last?: number } & Record<string, KrakenRestOhlc[] | number | undefined>
}
