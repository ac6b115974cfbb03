/**
 * The REST answers of the simulated Binance (`simulated-binance.ts`), as pure functions of the market:
 * Binance's selection and paging rules for historicalTrades, aggTrades and klines, and its errors.
 * See https://developers.binance.com/docs/binance-spot-api-docs/rest-api/market-data-endpoints
 */
import { intervalMicros } from '@dccd/core'
import type { RestRequest, RestResponse, SimulatedBar, SimulatedMarket, SimulatedTrade } from '@dccd/testkit'

/** Kline intervals the simulation serves (fixed lengths: the market does not aggregate months). */
const INTERVALS = ['1s', '1m', '3m', '5m', '15m', '30m', '1h', '2h', '4h', '6h', '8h', '12h', '1d', '3d', '1w']

/** Bars as the venue serves them (`from` ≤ open time ≤ `to`, µs), empty intervals per its rule. */
export type BarsAsServed = (symbol: string, interval: string, from: number, to: number) => SimulatedBar[]

/** The request's symbol, or the 400 Binance answers for an unknown one. */
function symbolOf(market: SimulatedMarket, request: RestRequest): string | RestResponse {
  const symbol = request.query.get('symbol')
  if (symbol === null || !market.symbols.includes(symbol)) return { status: 400, body: { code: -1121, msg: 'Invalid symbol.' } }
  return symbol
}

/** `GET /api/v3/historicalTrades`: `fromId` inclusive, else the most recent; `limit` default 500, max 1000. */
export function historicalTrades(market: SimulatedMarket, request: RestRequest, withheldBySymbol: ReadonlyMap<string, ReadonlySet<number>>): RestResponse {
  const symbol = symbolOf(market, request)
  if (typeof symbol !== 'string') return symbol
  const limit = limitParam(request, 500, 1000)
  if (typeof limit !== 'number') return limit
  const fromId = request.query.get('fromId')
  const withheld = withheldBySymbol.get(symbol)
  let trades = fromId === null ? market.latestTrades(symbol, limit) : market.tradesFromId(symbol, Number(fromId), limit)
  if (withheld !== undefined) trades = trades.filter((trade) => !withheld.has(trade.id))
  return {
    body: trades.map((trade) => ({
      id: trade.id,
      price: decimal(trade.price),
      qty: decimal(trade.amount),
      quoteQty: decimal(trade.price * trade.amount),
      time: Math.floor(trade.time / 1000),
      isBuyerMaker: trade.side === 'sell',
      isBestMatch: true,
    })),
  }
}

/** `GET /api/v3/aggTrades`, every trade its own aggregate: by `fromId`, or `startTime`/`endTime` (ms, inclusive, < 1 h apart), or the most recent. */
export function aggTrades(market: SimulatedMarket, request: RestRequest): RestResponse {
  const symbol = symbolOf(market, request)
  if (typeof symbol !== 'string') return symbol
  const limit = limitParam(request, 500, 1000)
  if (typeof limit !== 'number') return limit
  const fromId = request.query.get('fromId')
  const startTime = request.query.get('startTime')
  const endTime = request.query.get('endTime')
  let trades: SimulatedTrade[]
  if (fromId !== null) {
    trades = market.tradesFromId(symbol, Number(fromId), limit)
  } else if (startTime !== null) {
    const end = endTime === null ? Number.POSITIVE_INFINITY : (Number(endTime) + 1) * 1000 - 1
    if (endTime !== null && Number(endTime) - Number(startTime) > 3_600_000) {
      return { status: 400, body: { code: -1127, msg: 'More than 1 hours between startTime and endTime.' } }
    }
    trades = market.tradesBetween(symbol, Number(startTime) * 1000, end, limit)
  } else if (endTime === null) {
    trades = market.latestTrades(symbol, limit)
  } else {
    return { status: 400, body: { code: -1128, msg: 'endTime without startTime is not simulated.' } }
  }
  return {
    body: trades.map((trade) => ({
      a: trade.id,
      p: decimal(trade.price),
      q: decimal(trade.amount),
      f: trade.id,
      l: trade.id,
      T: Math.floor(trade.time / 1000),
      m: trade.side === 'sell',
      M: true,
    })),
  }
}

/** `GET /api/v3/klines`: by open time, the first `limit` from `startTime`, else the last up to `endTime` or now. */
export function klines(market: SimulatedMarket, served: BarsAsServed, request: RestRequest): RestResponse {
  const symbol = symbolOf(market, request)
  if (typeof symbol !== 'string') return symbol
  const interval = request.query.get('interval') ?? ''
  if (!INTERVALS.includes(interval)) return { status: 400, body: { code: -1120, msg: 'Invalid interval.' } }
  const limit = limitParam(request, 500, 1000)
  if (typeof limit !== 'number') return limit
  const length = intervalMicros(interval)!
  const startTime = request.query.get('startTime')
  const endTime = request.query.get('endTime')
  const end = Math.min(endTime === null ? Number.POSITIVE_INFINITY : Number(endTime) * 1000, market.now)
  let bars: SimulatedBar[]
  if (startTime !== null) {
    // Open times at or after startTime: the first bar opening there or later.
    const first = Math.ceil((Number(startTime) * 1000) / length) * length
    bars = first > end ? [] : served(symbol, interval, first, end).slice(0, limit)
  } else {
    const last = Math.floor(end / length) * length
    bars = served(symbol, interval, last - (limit - 1) * length, last).slice(-limit)
  }
  return {
    body: bars.map((bar) => {
      const trades = market.tradesBetween(symbol, bar.openTime, bar.openTime + length - 1)
      const volumes = takerVolumes(trades)
      return [
        bar.openTime / 1000,
        decimal(bar.open),
        decimal(bar.high),
        decimal(bar.low),
        decimal(bar.close),
        decimal(bar.volume),
        (bar.openTime + length) / 1000 - 1,
        decimal(volumes.quote),
        trades.length,
        decimal(volumes.takerBase),
        decimal(volumes.takerQuote),
        '0',
      ]
    }),
  }
}

/** `limit` as Binance reads it: the default when absent, 400 (-1130) when outside 1..max. */
function limitParam(request: RestRequest, fallback: number, max: number): number | RestResponse {
  const text = request.query.get('limit')
  if (text === null) return fallback
  const limit = Number(text)
  if (!Number.isInteger(limit) || limit < 1 || limit > max) {
    return { status: 400, body: { code: -1130, msg: "Data sent for parameter 'limit' is not valid." } }
  }
  return limit
}

/** Quote volume and the taker-buy volumes a kline reports (the adapter reads none of them). */
export function takerVolumes(trades: readonly SimulatedTrade[]): { quote: number; takerBase: number; takerQuote: number } {
  let quote = 0
  let takerBase = 0
  let takerQuote = 0
  for (const trade of trades) {
    quote += trade.price * trade.amount
    if (trade.side === 'buy') {
      takerBase += trade.amount
      takerQuote += trade.price * trade.amount
    }
  }
  return { quote, takerBase, takerQuote }
}

/** Binance's 8-decimal strings. */
export function decimal(value: number): string {
  return value.toFixed(8)
}
