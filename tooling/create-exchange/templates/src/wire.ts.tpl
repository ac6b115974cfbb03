/**
 * __NAME__'s own frame and body shapes, exactly as the exchange sends them.
 * TODO(new adapter): replace with the real shapes from the exchange's docs.
 */

/** A price level `[price, size]`; size `"0"` removes the level. */
export type __PASCAL__Level = [price: string, size: string]

/** Trades, in execution order. `side` is the taker's. */
export interface __PASCAL__TradeFrame {
  readonly channel: 'trades'
  readonly symbol: string
  readonly data: { readonly id: number; readonly price: string; readonly qty: string; readonly side: 'buy' | 'sell'; readonly ts: number }[]
}

/**
 * A book snapshot (`prevSeqId` -1) or update. Updates chain: each one's
 * `prevSeqId` is the `seqId` of the message before it for that symbol.
 */
export interface __PASCAL__BookFrame {
  readonly channel: 'book'
  readonly type: 'snapshot' | 'update'
  readonly symbol: string
  readonly seqId: number
  readonly prevSeqId: number
  readonly bids: __PASCAL__Level[]
  readonly asks: __PASCAL__Level[]
  /** Exchange time, ms. */
  readonly ts: number
}

/** An answer to a subscription. */
export interface __PASCAL__Ack {
  readonly event: 'subscribed' | 'unsubscribed' | 'error'
  readonly message?: string
}

export type __PASCAL__Frame = __PASCAL__TradeFrame | __PASCAL__BookFrame | __PASCAL__Ack

/** One row of `GET /api/trades` (REST), the same trade the stream sends. */
export interface __PASCAL__RestTrade {
  readonly id: number
  readonly price: string
  readonly qty: string
  readonly side: 'buy' | 'sell'
  readonly ts: number
}
