/**
 * Binance USDⓈ-M futures as a {@link BinanceMarket}: `fstream.binance.com`
 * with routed paths, `fapi.binance.com/fapi/v1`. Contracts are margined and
 * settled in USDT or USDC; every amount (trades, book levels, liquidations)
 * and open interest is in the base asset (BTC for BTCUSDT). Perpetuals are
 * `BTCUSDT`, quarterly contracts `BTCUSDT_250627`.
 *
 * The stream host routes by path: `/public` carries the high-frequency
 * streams (`@depth`, `@bookTicker`), `/market` the rest (`@aggTrade`,
 * `@kline`, `@markPrice`, `@forceOrder`). A stream asked for on the wrong
 * path is silently never sent, and the un-routed URLs were retired on
 * 2026-04-23, so the adapter opens one set of connections per path.
 * https://developers.binance.com/docs/derivatives/usds-margined-futures/websocket-market-streams/Important-WebSocket-Change-Notice
 */
import { FUTURES_DEPTH_CONTINUITY } from '../depth-continuity.js'
import type { BinanceMarket } from '../market.js'
import type { BinanceDialect } from '../parse.js'
import { DELIVERY_SUFFIX, FUTURES_CHANNELS, FUTURES_INTERVALS, FUTURES_LIMITS, FUTURES_STREAMS, futuresRest } from './common.js'

/** Adapter id of USDⓈ-M futures. */
export const USDM_ID = 'binance-futures'

/** How USDⓈ-M frames read (`parseFrame(raw, receivedAt, USDM_DIALECT)`). */
export const USDM_DIALECT: BinanceDialect = { exchange: USDM_ID, aggTrades: true, previousUpdateIds: true, klineBaseVolume: 'v', derivativeEvents: true }

/** Binance USDⓈ-M futures. */
export const USDM_MARKET: BinanceMarket = {
  id: USDM_ID,
  name: 'Binance USDⓈ-M Futures',
  channels: FUTURES_CHANNELS,
  barIntervals: FUTURES_INTERVALS,
  exampleSymbol: 'BTCUSDT',
  // Upper-case letters and digits; a few listed symbols use CJK letters (\p{Lo}), which have no case.
  symbolFormat: new RegExp(String.raw`^[A-Z0-9\p{Lo}]{2,30}(?:${DELIVERY_SUFFIX})?$`, 'u'),
  symbolFormatDescription: 'a USDⓈ-M symbol as Binance writes it: BTCUSDT (perpetual) or BTCUSDT_250627 (quarterly, _YYMMDD)',
  production: { wsUrl: 'wss://fstream.binance.com', restUrl: 'https://fapi.binance.com' },
  endpointPaths: ['ws', 'stream', 'public', 'market', 'private', 'fapi'],
  streams: FUTURES_STREAMS,
  routes: { book: '/public', quotes: '/public', trades: '/market', bars: '/market', derivatives: '/market', liquidations: '/market' },
  limits: FUTURES_LIMITS,
  dialect: USDM_DIALECT,
  depthContinuity: FUTURES_DEPTH_CONTINUITY,
  rest: futuresRest(USDM_ID, '/fapi/v1', false),
  market: {
    instrumentTypes: ['perpetual', 'future'],
    amountUnit: 'base',
    openInterestUnit: 'base',
    note: 'USDⓈ-margined perpetual (BTCUSDT) and quarterly (BTCUSDT_250627) contracts; amounts, book sizes and open interest are in the base asset (BTC for BTCUSDT), prices in the quote asset.',
  },
}
