/**
 * Binance futures' own frame and body shapes (USDⓈ-M `fstream`/`fapi`,
 * COIN-M `dstream`/`dapi`), where they differ from spot's (../wire.ts).
 * Prices and quantities are decimal strings; COIN-M quantities count
 * contracts. Times are ms since the epoch.
 * See https://developers.binance.com/docs/derivatives/usds-margined-futures/websocket-market-streams
 * and https://developers.binance.com/docs/derivatives/coin-margined-futures/websocket-market-streams
 */
import type { BinanceRateLimit } from '../wire.js'

/** `<symbol>@bookTicker` payload on futures (spot's has no `e`, `E`, `T`). */
export interface BinanceFuturesBookTickerFrame {
  e: 'bookTicker'
  /** Order book update id. */
  u: number
  /** Event time, ms. */
  E: number
  /** Transaction time, ms. */
  T: number
  s: string
  /** COIN-M only: the pair (`BTCUSD`). */
  ps?: string
  /** Best bid price and quantity. */
  b: string
  B: string
  /** Best ask price and quantity. */
  a: string
  A: string
}

/**
 * `<symbol>@markPrice@1s` payload. On delivery contracts `r` is `""` and `T` is 0: they have no
 * funding. `P` (estimated settle price) matters only in the hour before settlement.
 */
export interface BinanceMarkPriceFrame {
  e: 'markPriceUpdate'
  /** Event time, ms. */
  E: number
  s: string
  /** Mark price. */
  p: string
  /** Index price. */
  i?: string
  /** Estimated settle price. */
  P?: string
  /** Funding rate of the current period; `""` on delivery contracts. */
  r: string
  /** Next funding time, ms; 0 on delivery contracts. */
  T: number
}

/**
 * `<symbol>@forceOrder` payload: the latest liquidation order of the symbol within 1000 ms (Binance
 * publishes one per symbol per second at most, and none when nothing was liquidated).
 */
export interface BinanceForceOrderFrame {
  e: 'forceOrder'
  /** Event time, ms. */
  E: number
  o: {
    s: string
    /** COIN-M only: the pair. */
    ps?: string
    /** Side of the liquidation order: `SELL` closes a long. */
    S: 'BUY' | 'SELL'
    /** Order type (`LIMIT`) and time in force (`IOC`). */
    o: string
    f: string
    /** Original quantity. */
    q: string
    /** Order price (the liquidation order's limit). */
    p: string
    /** Average price of what filled. */
    ap: string
    /** Order status (`FILLED`, `PARTIALLY_FILLED`, `EXPIRED`…). */
    X: string
    /** Last filled quantity. */
    l: string
    /** Filled accumulated quantity. */
    z: string
    /** Order trade time, ms. */
    T: number
  }
}

/** `GET /fapi/v1/openInterest` / `GET /dapi/v1/openInterest` body (COIN-M adds `pair`, `contractType`). */
export interface BinanceOpenInterest {
  symbol: string
  /** USDⓈ-M: base-asset units; COIN-M: contracts. */
  openInterest: string
  /** Transaction time, ms. */
  time: number
  pair?: string
  contractType?: string
}

/** One `symbols` entry of `GET /fapi/v1/exchangeInfo` / `GET /dapi/v1/exchangeInfo`. */
export interface BinanceFuturesSymbol {
  symbol: string
  pair?: string
  /** `PERPETUAL`, `CURRENT_QUARTER`, `NEXT_QUARTER`, `CURRENT_MONTH`… (`""` on some delisted ones). */
  contractType?: string
  /** ms; 4133404800000 (2100-12-25) for perpetuals. */
  deliveryDate?: number
  onboardDate?: number
  /** USDⓈ-M. */
  status?: string
  /** COIN-M. */
  contractStatus?: string
  baseAsset?: string
  quoteAsset?: string
  marginAsset?: string
  /** COIN-M: USD per contract (100 for BTCUSD, 10 for others). */
  contractSize?: number
}

/** The part of futures `exchangeInfo` the adapters read. */
export interface BinanceFuturesExchangeInfo {
  timezone?: string
  serverTime?: number
  rateLimits?: BinanceRateLimit[]
  symbols: BinanceFuturesSymbol[]
}
