/**
 * OKX's own frame and body shapes, exactly as the exchange sends them.
 * TODO(new adapter): replace with the real shapes from the exchange's docs.
 */

/** A price level `[price, size]`; size `"0"` removes the level. */
export type OKXLevel = [price: string, size: string]

/** Trades, in execution order. `side` is the taker's. */
export interface OKXTradeFrame {
  readonly channel: 'trades'
  readonly symbol: string
  readonly data: { readonly id: number; readonly price: string; readonly qty: string; readonly side: 'buy' | 'sell'; readonly ts: number }[]
}

/**
 * A book snapshot (`prevSeqId` -1) or update. Updates chain: each one's
 * `prevSeqId` is the `seqId` of the message before it for that symbol.
 */
export interface OKXBookFrame {
  readonly channel: 'book'
  readonly type: 'snapshot' | 'update'
  readonly symbol: string
  readonly seqId: number
  readonly prevSeqId: number
  readonly bids: OKXLevel[]
  readonly asks: OKXLevel[]
  /** Exchange time, ms. */
  readonly ts: number
}

/** An answer to a subscription. */
export interface OKXAck {
  readonly event: 'subscribed' | 'unsubscribed' | 'error'
  readonly message?: string
}

export type OKXFrame = OKXTradeFrame | OKXBookFrame | OKXAck

/** One row of `GET /api/trades` (REST), the same trade the stream sends. */
export interface OKXRestTrade {
  readonly id: number
  readonly price: string
  readonly qty: string
  readonly side: 'buy' | 'sell'
  readonly ts: number
}
