/**
 * The normalized event contract every dccd adapter emits.
 *
 * All timestamps are integer microseconds since the Unix epoch (a JS number
 * holds them exactly until the year 2255). Prices and amounts are numbers.
 * `symbol` is the exchange-native symbol as the exchange writes it
 * (Binance `BTCUSDT`, Kraken v2 `BTC/USD`).
 */

/** Taker side of a trade. */
export type TradeSide = 'buy' | 'sell' | 'unknown'

/** One executed trade. */
export interface TradeEvent {
  readonly type: 'trade'
  readonly exchange: string
  readonly symbol: string
  /** Exchange trade id, as a string (ids may exceed 2^53 on some venues). */
  readonly id: string
  readonly price: number
  readonly amount: number
  /** Side of the taker (aggressor). */
  readonly side: TradeSide
  /** Exchange trade time, µs. */
  readonly timestamp: number
  /**
   * Local receive time, µs: when the socket read that brought the message was handled (the
   * messages of one read share it), or when a REST answer arrived.
   */
  readonly localTimestamp: number
}

/** One price level. `amount` 0 removes the level. */
export interface BookLevel {
  readonly price: number
  readonly amount: number
}

/**
 * One exchange book message for one symbol — never split, never merged — so a
 * consumer's book passes through the same states as the exchange's.
 * After `isSnapshot: true` the consumer resets its book.
 */
export interface BookEvent {
  readonly type: 'book'
  readonly exchange: string
  readonly symbol: string
  readonly isSnapshot: boolean
  readonly bids: BookLevel[]
  readonly asks: BookLevel[]
  /** Exchange time of the message, µs (local time when the exchange sends none). */
  readonly timestamp: number
  readonly localTimestamp: number
}

/** One OHLCV bar (candle). Each update carries the bar's current absolute values. */
export interface BarEvent {
  readonly type: 'bar'
  readonly exchange: string
  readonly symbol: string
  /** Interval name: `1m`, `5m`, `1h`, `1d`, … */
  readonly interval: string
  /** Start of the bar, µs. */
  readonly openTime: number
  readonly open: number
  readonly high: number
  readonly low: number
  readonly close: number
  /** Base-asset volume. */
  readonly volume: number
  /** True once the bar will not change any more. */
  readonly closed: boolean
  readonly timestamp: number
  readonly localTimestamp: number
}

/**
 * Status kinds:
 * - `connected` / `disconnected`: the connection carrying `channel`/`symbol` (or all) came up / went down.
 * - `resync`: a sequence gap or checksum mismatch was detected on that book; a fresh snapshot follows.
 * - `gap`: a range of data (e.g. trade ids `fromId`..`toId`) is missing and could not be recovered.
 */
export type StatusKind = 'connected' | 'disconnected' | 'resync' | 'gap'

/** A marker where continuity changed. Never a silent gap. */
export interface StatusEvent {
  readonly type: 'status'
  readonly exchange: string
  readonly status: StatusKind
  readonly symbol?: string
  readonly channel?: string
  readonly reason?: string
  /** First missing id (inclusive) for `gap`. */
  readonly fromId?: string
  /** Last missing id (inclusive) for `gap`. */
  readonly toId?: string
  readonly localTimestamp: number
}

/** The exchange's best bid and offer (channel `quotes`; Binance `bookTicker`). */
export interface QuoteEvent {
  readonly type: 'quote'
  readonly exchange: string
  readonly symbol: string
  readonly bidPrice: number
  readonly bidAmount: number
  readonly askPrice: number
  readonly askAmount: number
  /** Exchange time of the quote, µs (local time when the exchange sends none). */
  readonly timestamp: number
  readonly localTimestamp: number
}

/**
 * Derivative state of one instrument (channel `derivatives`). A field the
 * venue did not send in this message is absent, never 0: a consumer keeps the
 * last value it saw per field.
 */
export interface DerivativeEvent {
  readonly type: 'derivative'
  readonly exchange: string
  readonly symbol: string
  readonly markPrice?: number
  readonly indexPrice?: number
  /** Funding rate of the current period, as a fraction (0.0001 = 0.01 %). */
  readonly fundingRate?: number
  /** Time of the next funding, µs. */
  readonly fundingTime?: number
  /** Open interest, in the unit the adapter's market description names (contracts or base units). */
  readonly openInterest?: number
  readonly timestamp: number
  readonly localTimestamp: number
}

/** A forced liquidation (channel `liquidations`). */
export interface LiquidationEvent {
  readonly type: 'liquidation'
  readonly exchange: string
  readonly symbol: string
  /** Exchange id of the liquidation order, when the venue gives one. */
  readonly id?: string
  /** Side of the liquidation order: `sell` closed a long position, `buy` a short one. */
  readonly side: 'buy' | 'sell'
  readonly price: number
  /** In the unit of the market's `amount` (contracts on COIN-M futures). */
  readonly amount: number
  readonly timestamp: number
  readonly localTimestamp: number
}

/** Everything a dccd feed yields. */
export type MarketEvent = TradeEvent | BookEvent | BarEvent | QuoteEvent | DerivativeEvent | LiquidationEvent | StatusEvent

/** The `type` discriminators of {@link MarketEvent}. */
export type MarketEventType = MarketEvent['type']
