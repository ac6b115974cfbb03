/**
 * OKX v5's own frame and body types, as sent (numbers are decimal strings).
 * https://www.okx.com/docs-v5/en/#overview-websocket
 * https://www.okx.com/docs-v5/en/#order-book-trading-market-data-ws-order-book-channel
 */

/** What a push or an ack names: a channel and an instrument (or an instrument type). */
export interface OkxArg {
  readonly channel: string
  readonly instId?: string
  readonly instType?: string
}

/** A data push: `arg` names the subscription, `data` its rows. */
export interface OkxPush<T = unknown> {
  readonly arg: OkxArg
  /** `books` only: `snapshot` or `update`. */
  readonly action?: 'snapshot' | 'update'
  readonly data: readonly T[]
}

/** An answer to a request: `subscribe`/`unsubscribe` acks, `error`, or a `notice` (service upgrade). */
export interface OkxEventFrame {
  readonly event: 'subscribe' | 'unsubscribe' | 'error' | 'notice' | string
  readonly arg?: OkxArg
  readonly code?: string
  readonly msg?: string
  readonly connId?: string
}

/** A book level: `[price, size, "0" (deprecated liquidated orders), number of orders]`; size `"0"` deletes. */
export type OkxLevel = readonly [string, string, ...string[]]

/** One `books` / `books5` / `bbo-tbt` row. `seqId`/`prevSeqId` came in 2022; older captures have only `checksum`. */
export interface OkxBookData {
  readonly asks: readonly OkxLevel[]
  readonly bids: readonly OkxLevel[]
  /** ms */
  readonly ts: string
  /** CRC32 of the top 25 (signed); deprecated: 0 today. */
  readonly checksum?: number
  readonly prevSeqId?: number
  readonly seqId?: number
}

/** One `trades` row (and one `history-trades` row, without `count`). */
export interface OkxTrade {
  readonly instId: string
  readonly tradeId: string
  readonly px: string
  readonly sz: string
  /** The taker's side. */
  readonly side: string
  /** ms */
  readonly ts: string
  /** Fills of one taker order at one price aggregated into this row. */
  readonly count?: string
}

/** One candle: `[open time ms, o, h, l, c, vol, volCcy, volCcyQuote, confirm]`; confirm `"1"` = closed. */
export type OkxCandle = readonly string[]

/** One `mark-price` row. */
export interface OkxMarkPrice {
  readonly instId: string
  readonly markPx: string
  readonly ts: string
}

/** One `index-tickers` row (`instId` is the index, `BTC-USDT`). */
export interface OkxIndexTicker {
  readonly instId: string
  readonly idxPx: string
  readonly ts: string
}

/** One `funding-rate` row. */
export interface OkxFundingRate {
  readonly instId: string
  readonly fundingRate: string
  /** Settlement time of the current period, ms. */
  readonly fundingTime: string
  readonly ts?: string
}

/** One `open-interest` row (`oi` in contracts). */
export interface OkxOpenInterest {
  readonly instId: string
  readonly oi: string
  readonly ts: string
}

/** One `liquidation-orders` row: an instrument and its liquidations. */
export interface OkxLiquidation {
  readonly instId: string
  readonly details: readonly {
    /** Side of the liquidation order. */
    readonly side: string
    /** Bankruptcy price. */
    readonly bkPx: string
    /** Contracts (swaps, futures). */
    readonly sz: string
    readonly ts: string
  }[]
}

/** Every REST answer: `code` `"0"` on success. */
export interface OkxRestBody<T> {
  readonly code: string
  readonly msg: string
  readonly data: readonly T[]
}

/** One `GET /api/v5/public/instruments` row (fields used here). */
export interface OkxInstrument {
  readonly instType: string
  readonly instId: string
  readonly baseCcy?: string
  readonly quoteCcy?: string
  readonly settleCcy?: string
  /** Contract value (swaps, futures), in `ctValCcy`. */
  readonly ctVal?: string
  readonly ctValCcy?: string
  /** `linear` or `inverse` (swaps, futures). */
  readonly ctType?: string
  /** Underlying (`BTC-USD`) of swaps and futures. */
  readonly uly?: string
  /** Delivery time, ms (futures). */
  readonly expTime?: string
  readonly state?: string
}
