/**
 * __NAME__'s own frame types, exactly as the exchange sends them.
 * TODO(new adapter): replace with the real shapes from the exchange's docs.
 */
export interface __CLASS__TradeFrame {
  readonly channel: 'trades'
  readonly symbol: string
  readonly id: string
  readonly price: string
  readonly qty: string
  readonly side: 'buy' | 'sell'
  /** Exchange time, ms. */
  readonly ts: number
}

export type __CLASS__Frame = __CLASS__TradeFrame
