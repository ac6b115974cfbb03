/**
 * The descriptors of Binance's futures markets, exported beside spot's
 * `exchange` as `futures` and `delivery` (and all three as `exchanges`).
 */
import type { ExchangeAdapter } from '@dccd/core'
import type { BinanceMarket } from '../market.js'
import { COINM_MARKET } from './coinm.js'
import { BinanceDeliveryFeed, BinanceFuturesFeed } from './feed.js'
import { listInstruments } from './instruments.js'
import type { BinanceFuturesFeedOptions } from './options.js'
import { USDM_MARKET } from './usdm.js'

/** The descriptor fields of a market's profile. */
function describe(market: BinanceMarket): Pick<ExchangeAdapter, 'id' | 'name' | 'channels' | 'barIntervals' | 'exampleSymbol' | 'market' | 'endpoints'> {
  const { id, name, channels, barIntervals, exampleSymbol } = market
  return { id, name, channels, barIntervals, exampleSymbol, endpoints: market.production, ...(market.market === undefined ? {} : { market: market.market }) }
}

/**
 * Binance USDⓈ-M futures (`binance-futures`): perpetual `BTCUSDT` and quarterly `BTCUSDT_250627`
 * contracts; `trades`, `book`, `bars:<interval>`, `quotes`, `derivatives`, `liquidations`; amounts
 * in the base asset. `createFeed` validates offline; `instruments()` reads `/fapi/v1/exchangeInfo`.
 *
 * @example
 * import { futures } from '@dccd/binance'
 * const feed = futures.createFeed({ symbols: ['BTCUSDT'], channels: ['trades', 'book', 'derivatives'] })
 * const contracts = await futures.instruments!()
 */
export const futures: ExchangeAdapter<BinanceFuturesFeedOptions> = {
  ...describe(USDM_MARKET),
  createFeed: (options) => new BinanceFuturesFeed(options),
  instruments: (options) => listInstruments(USDM_MARKET, options),
}

/**
 * Binance COIN-M futures (`binance-delivery`): perpetual `BTCUSD_PERP` and quarterly `BTCUSD_250627`
 * inverse contracts, with the channels of {@link futures}; amounts and open interest in contracts of
 * `contractSize` USD, which `instruments()` (from `/dapi/v1/exchangeInfo`) gives per contract.
 *
 * @example
 * import { delivery } from '@dccd/binance'
 * const feed = delivery.createFeed({ symbols: ['BTCUSD_PERP'], channels: ['book', 'liquidations'] })
 * const sizes = new Map((await delivery.instruments!()).map((i) => [i.symbol, i.contractSize]))
 */
export const delivery: ExchangeAdapter<BinanceFuturesFeedOptions> = {
  ...describe(COINM_MARKET),
  createFeed: (options) => new BinanceDeliveryFeed(options),
  instruments: (options) => listInstruments(COINM_MARKET, options),
}
