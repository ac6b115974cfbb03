/**
 * Binance COIN-M futures as a {@link BinanceMarket}: `dstream.binance.com`
 * (one path for every stream: the routing of USDⓈ-M does not apply here),
 * `dapi.binance.com/dapi/v1`. Contracts are inverse: margined and settled in
 * the base coin, priced in USD, and every amount (trades, book levels,
 * liquidations) and open interest counts contracts of `contractSize` USD
 * (100 for BTCUSD, 10 for the others; `instruments()` lists them). Base
 * amount = contracts × contractSize ÷ price. Perpetuals are `BTCUSD_PERP`,
 * quarterly contracts `BTCUSD_250627`. Bar volume is in the base coin (the
 * kline's `q`, "base asset volume"; its `v` counts contracts).
 * https://developers.binance.com/docs/derivatives/coin-margined-futures/websocket-market-streams/Connect
 */
import { FUTURES_DEPTH_CONTINUITY } from '../depth-continuity.js'
import type { BinanceMarket } from '../market.js'
import type { BinanceDialect } from '../parse.js'
import { DELIVERY_SUFFIX, FUTURES_CHANNELS, FUTURES_INTERVALS, FUTURES_LIMITS, FUTURES_STREAMS, futuresRest } from './common.js'

/** Adapter id of COIN-M futures. */
export const COINM_ID = 'binance-delivery'

/** How COIN-M frames read (`parseFrame(raw, receivedAt, COINM_DIALECT)`): bar volume from the kline's `q`. */
export const COINM_DIALECT: BinanceDialect = { exchange: COINM_ID, aggTrades: true, previousUpdateIds: true, klineBaseVolume: 'q', derivativeEvents: true }

/** Binance COIN-M futures. */
export const COINM_MARKET: BinanceMarket = {
  id: COINM_ID,
  name: 'Binance COIN-M Futures',
  channels: FUTURES_CHANNELS,
  barIntervals: FUTURES_INTERVALS,
  exampleSymbol: 'BTCUSD_PERP',
  symbolFormat: new RegExp(String.raw`^[A-Z0-9]{2,20}_(?:PERP|${DELIVERY_SUFFIX.slice(1)})$`),
  symbolFormatDescription: 'a COIN-M symbol as Binance writes it: BTCUSD_PERP (perpetual) or BTCUSD_250627 (quarterly, _YYMMDD)',
  production: { wsUrl: 'wss://dstream.binance.com', restUrl: 'https://dapi.binance.com' },
  endpointPaths: ['ws', 'stream', 'dapi'],
  streams: FUTURES_STREAMS,
  limits: FUTURES_LIMITS,
  dialect: COINM_DIALECT,
  depthContinuity: FUTURES_DEPTH_CONTINUITY,
  rest: futuresRest(COINM_ID, '/dapi/v1', true),
  market: {
    instrumentTypes: ['perpetual', 'future'],
    amountUnit: 'contracts',
    openInterestUnit: 'contracts',
    note: 'Coin-margined inverse perpetual (BTCUSD_PERP) and quarterly (BTCUSD_250627) contracts; amounts, book sizes and open interest count contracts of contractSize USD (100 for BTCUSD, 10 for others; see instruments()): base amount = contracts × contractSize ÷ price. Bar volume is in the base coin.',
  },
}
