/**
 * The one way a Binance trade becomes a `TradeEvent`, whichever frame or
 * body carried it: spot `@trade` and `historicalTrades` (id `t`/`id`),
 * futures `@aggTrade` and `aggTrades` (aggregate id `a`).
 */
import type { TradeEvent } from '@dccd/core'
import { decimal, exchangeTime, invalid } from './parse-fields.js'

/**
 * A trade from its Binance fields (spot `@trade` and `historicalTrades`, futures `@aggTrade` and
 * `aggTrades`, whose aggregate id `a` is the id). @throws TypeError on fields of the wrong type
 */
export function tradeEvent(
  symbol: string,
  id: number,
  price: string,
  quantity: string,
  buyerIsMaker: boolean,
  timeMs: number,
  localTimestamp: number,
  exchange: string,
): TradeEvent {
  if (typeof symbol !== 'string') invalid('trade symbol', symbol)
  // The de-duplication orders trades by id: one that is not an integer would disable it for the symbol.
  if (!Number.isSafeInteger(id)) invalid('trade id', id)
  if (typeof buyerIsMaker !== 'boolean') invalid('trade buyer-is-maker flag', buyerIsMaker)
  const timestamp = exchangeTime(timeMs, localTimestamp, 'trade time')
  return {
    type: 'trade',
    exchange,
    symbol,
    id: String(id),
    price: decimal(price, 'trade price'),
    amount: decimal(quantity, 'trade quantity'),
    side: buyerIsMaker ? 'sell' : 'buy',
    timestamp,
    localTimestamp,
  }
}

