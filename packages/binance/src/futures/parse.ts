/**
 * The payloads only Binance futures send, → normalized events. Pure and
 * synchronous, like ../parse.ts (which dispatches to these): a payload of
 * the wrong shape throws a TypeError, counted as a parse error.
 *
 * Choices, with Binance's field docs:
 * - `@aggTrade`: the trade id is the aggregate id `a` (see trades.ts for why).
 * - `@bookTicker` → quote at the transaction time `T` (else the event time
 *   `E`). A side without orders (price 0) leaves no quote to give: skipped.
 * - `@markPrice@1s` → derivative: `p` mark, `i` index, `r` funding rate,
 *   `T` next funding time, at the event time `E`. Delivery contracts send
 *   `r: ""` and `T: 0` (they have no funding): those fields stay absent,
 *   never 0, as core's `DerivativeEvent` requires.
 * - `@forceOrder` → liquidation: price = average fill price `ap`, amount =
 *   filled quantity `z`: what the liquidation executed in the book. The
 *   order price `p` is only the limit of an IOC order, and the original
 *   quantity `q` includes what did not fill (left to the insurance fund or
 *   ADL). A frame with nothing filled (`z` 0) reports no liquidation trade
 *   and is skipped. Side `S` is the liquidation order's: `SELL` closed a long.
 * - REST `openInterest` → a derivative event carrying `openInterest` only,
 *   at the response's `time`.
 * https://developers.binance.com/docs/derivatives/usds-margined-futures/websocket-market-streams/Liquidation-Order-Streams
 * https://developers.binance.com/docs/derivatives/coin-margined-futures/websocket-market-streams/Mark-Price-Stream
 */
import type { DerivativeEvent, LiquidationEvent, QuoteEvent, TradeEvent } from '@dccd/core'
import { decimal, exchangeTime, invalid, signedDecimal, symbolField } from '../parse-fields.js'
import { tradeEvent } from '../trade-event.js'
import type { BinanceAggTrade, BinanceAggTradeFrame } from '../wire.js'
import type { BinanceForceOrderFrame, BinanceFuturesBookTickerFrame, BinanceMarkPriceFrame } from './wire.js'

type Writable<T> = { -readonly [K in keyof T]: T[K] }

/** `@aggTrade` → trade with id `a`; `m` (buyer is maker) means the taker sold. @throws TypeError on fields of the wrong type */
export function parseAggTrade(frame: BinanceAggTradeFrame, localTimestamp: number, exchange: string): TradeEvent {
  return tradeEvent(frame.s, frame.a, frame.p, frame.q, frame.m, frame.T, localTimestamp, exchange)
}

/** A REST `aggTrades` row → trade, normalized exactly as the stream's `@aggTrade`. @throws TypeError on fields of the wrong type */
export function parseAggTradeRow(symbol: string, row: BinanceAggTrade, localTimestamp: number, exchange: string): TradeEvent {
  if (typeof row !== 'object' || row === null) invalid('aggTrades row', row)
  return tradeEvent(symbol, row.a, row.p, row.q, row.m, row.T, localTimestamp, exchange)
}

/** `@bookTicker` → quote; undefined when a side has no orders. @throws TypeError on fields of the wrong type */
export function parseBookTicker(frame: BinanceFuturesBookTickerFrame, localTimestamp: number, exchange: string): QuoteEvent | undefined {
  const symbol = symbolField(frame.s, 'bookTicker symbol')
  const bidPrice = decimal(frame.b, 'bookTicker bid price')
  const bidAmount = decimal(frame.B, 'bookTicker bid quantity')
  const askPrice = decimal(frame.a, 'bookTicker ask price')
  const askAmount = decimal(frame.A, 'bookTicker ask quantity')
  const timestamp = exchangeTime(frame.T ?? frame.E, localTimestamp, 'bookTicker transaction time')
  if (bidPrice === 0 || askPrice === 0) return undefined
  return { type: 'quote', exchange, symbol, bidPrice, bidAmount, askPrice, askAmount, timestamp, localTimestamp }
}

/** `@markPrice` → derivative; fields Binance leaves empty (delivery contracts' funding) stay absent. @throws TypeError on fields of the wrong type */
export function parseMarkPrice(frame: BinanceMarkPriceFrame, localTimestamp: number, exchange: string): DerivativeEvent {
  const symbol = symbolField(frame.s, 'markPrice symbol')
  const markPrice = decimal(frame.p, 'mark price')
  if (markPrice === 0) invalid('mark price', frame.p)
  const event: Writable<DerivativeEvent> = {
    type: 'derivative',
    exchange,
    symbol,
    markPrice,
    timestamp: exchangeTime(frame.E, localTimestamp, 'markPrice event time'),
    localTimestamp,
  }
  if (frame.i !== undefined && frame.i !== '') {
    const indexPrice = decimal(frame.i, 'index price')
    if (indexPrice > 0) event.indexPrice = indexPrice
  }
  if (frame.r !== undefined && frame.r !== '') event.fundingRate = signedDecimal(frame.r, 'funding rate')
  if (frame.T !== undefined && frame.T !== 0) event.fundingTime = exchangeTime(frame.T, localTimestamp, 'next funding time')
  return event
}

/** `@forceOrder` → liquidation (average fill price, filled quantity); undefined when nothing filled. @throws TypeError on fields of the wrong type */
export function parseForceOrder(frame: BinanceForceOrderFrame, localTimestamp: number, exchange: string): LiquidationEvent | undefined {
  const order = frame.o
  if (typeof order !== 'object' || order === null) invalid('forceOrder o', order)
  const symbol = symbolField(order.s, 'forceOrder symbol')
  const side = order.S === 'SELL' ? 'sell' : order.S === 'BUY' ? 'buy' : invalid('forceOrder side S', order.S)
  const amount = decimal(order.z, 'forceOrder filled quantity z')
  const price = decimal(order.ap, 'forceOrder average price ap')
  const timestamp = exchangeTime(order.T, localTimestamp, 'forceOrder trade time')
  if (amount === 0) return undefined
  if (price === 0) invalid('forceOrder average price ap of a filled order', order.ap)
  return { type: 'liquidation', exchange, symbol, side, price, amount, timestamp, localTimestamp }
}

/**
 * A REST `openInterest` body → a derivative event carrying only `openInterest`, at the body's `time`.
 *
 * @throws TypeError when the body is not an answer for `symbol` with a decimal `openInterest` and a plausible `time`
 */
export function parseOpenInterest(body: unknown, symbol: string, localTimestamp: number, exchange: string): DerivativeEvent {
  if (typeof body !== 'object' || body === null) invalid('openInterest body', body)
  const answer = body as { symbol?: unknown; openInterest?: unknown; time?: unknown }
  if (answer.symbol !== symbol) invalid(`openInterest symbol (asked for ${symbol})`, answer.symbol)
  return {
    type: 'derivative',
    exchange,
    symbol,
    openInterest: decimal(answer.openInterest, 'open interest'),
    timestamp: exchangeTime(answer.time, localTimestamp, 'openInterest time'),
    localTimestamp,
  }
}
