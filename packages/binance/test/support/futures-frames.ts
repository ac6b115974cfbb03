/** Literal Binance futures frames and bodies for feed tests (USDⓈ-M and COIN-M share their shapes). */
import type { BinanceDepthSnapshot } from '../../src/wire.js'
import type { BinanceFuturesExchangeInfo } from '../../src/futures/wire.js'

/** Event time base, ms: a frame's times are `FUTURES_TIME_MS + n`. */
export const FUTURES_TIME_MS = 1_700_000_000_000
const E = FUTURES_TIME_MS

type Level = [string, string]
const combined = (symbol: string, stream: string, data: object) => ({ stream: `${symbol.toLowerCase()}@${stream}`, data })

/** A `depthUpdate` covering ids `U`..`u`, chained to the previous event by `pu`; its times are `E + u`. */
export function futuresDepthFrame(symbol: string, U: number, u: number, pu: number, bids: Level[] = [], asks: Level[] = []) {
  return combined(symbol, 'depth@100ms', { e: 'depthUpdate', E: E + u + 1, T: E + u, s: symbol, U, u, pu, b: bids, a: asks })
}

/** An `aggTrade` with aggregate id `a`, traded at `E + a`. */
export function aggTradeFrame(symbol: string, a: number, price = '100', quantity = '1', buyerIsMaker = false) {
  return combined(symbol, 'aggTrade', { e: 'aggTrade', E: E + a + 1, a, s: symbol, p: price, q: quantity, f: 10 * a, l: 10 * a + 2, T: E + a, m: buyerIsMaker })
}

/** The `aggTrades` REST row of the trade {@link aggTradeFrame} streams with the same arguments. */
export function aggTradeRow(a: number, price = '100', quantity = '1', buyerIsMaker = false) {
  return { a, p: price, q: quantity, f: 10 * a, l: 10 * a + 2, T: E + a, m: buyerIsMaker }
}

export function bookTickerFrame(symbol: string, u: number, bid: Level, ask: Level, T = E + u) {
  return combined(symbol, 'bookTicker', { e: 'bookTicker', u, s: symbol, b: bid[0], B: bid[1], a: ask[0], A: ask[1], T, E: T + 3 })
}

/** `@markPrice@1s`: a perpetual's (`r`, `T` given) or a delivery contract's (`r: ""`, `T: 0`). */
export function markPriceFrame(symbol: string, fields: { p: string; i?: string; P?: string; r: string; T: number }, eventTime = E) {
  return combined(symbol, 'markPrice@1s', { e: 'markPriceUpdate', E: eventTime, s: symbol, ...fields })
}

export function forceOrderFrame(symbol: string, order: { S: 'BUY' | 'SELL'; q: string; p: string; ap: string; X: string; l: string; z: string; T: number }) {
  return combined(symbol, 'forceOrder', { e: 'forceOrder', E: order.T + 5, o: { s: symbol, o: 'LIMIT', f: 'IOC', ...order } })
}

/** A futures depth snapshot at `lastUpdateId`, with its message and transaction times. */
export function futuresSnapshotBody(lastUpdateId: number, bids: Level[] = [], asks: Level[] = []): BinanceDepthSnapshot {
  return { lastUpdateId, E: E + lastUpdateId + 1, T: E + lastUpdateId, bids, asks }
}

/** `exchangeInfo` listing `symbols` as trading perpetuals (COIN-M: `contractStatus`, `contractSize` 100 for BTC, else 10). */
export function futuresExchangeInfoBody(symbols: readonly string[], market: 'usdm' | 'coinm', weightPerMinute = 2400): BinanceFuturesExchangeInfo {
  return {
    timezone: 'UTC',
    rateLimits: [{ rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: weightPerMinute }],
    symbols: symbols.map((symbol) => {
      const [pair, suffix] = symbol.split('_')
      const perpetual = suffix === undefined || suffix === 'PERP'
      const base = market === 'coinm' ? pair!.replace(/USD$/, '') : pair!.replace(/USDT$/, '')
      const common = {
        symbol,
        pair,
        contractType: perpetual ? 'PERPETUAL' : 'CURRENT_QUARTER',
        deliveryDate: perpetual ? 4133404800000 : Date.UTC(2000 + Number(suffix!.slice(0, 2)), Number(suffix!.slice(2, 4)) - 1, Number(suffix!.slice(4)), 8),
        baseAsset: base,
      }
      return market === 'coinm'
        ? { ...common, contractStatus: 'TRADING', quoteAsset: 'USD', marginAsset: base, contractSize: base === 'BTC' ? 100 : 10 }
        : { ...common, status: 'TRADING', quoteAsset: 'USDT', marginAsset: 'USDT' }
    }),
  }
}
