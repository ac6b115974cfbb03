/**
 * The adapter descriptor the CLI and the conformance suite find as `exchange`.
 */
import type { ExchangeAdapter } from '@dccd/core'
import { CAPABILITIES } from './capabilities.js'
import { BinanceFeed } from './feed.js'
import { SPOT_MARKET } from './spot.js'
import { createBinanceHistory } from './history.js'
import { listSpotInstruments } from './instruments.js'
import type { BinanceFeedOptions } from './options.js'

/**
 * Binance spot: `trades` (`@trade`), `bars:<interval>` (`@kline_<interval>`) and
 * `book` (`@depth@100ms` + REST snapshot, synced by update id).
 * `createFeed` validates offline and never touches the network.
 * `createHistory` downloads past trades (`historicalTrades`, by id back to the
 * listing) and closed bars (`klines`) inside one REST weight budget.
 * `instruments()` lists the pairs of `exchangeInfo` (one request, weight 20).
 *
 * @example
 * import { exchange } from '@dccd/binance'
 * const feed = exchange.createFeed({ symbols: ['BTCUSDT'], channels: ['trades', 'bars:1m'] })
 * const history = exchange.createHistory!({ restWeightShare: 0.5 })
 * const usdtPairs = (await exchange.instruments!()).filter((i) => i.quote === 'USDT' && i.trading !== false)
 */
export const exchange: ExchangeAdapter<BinanceFeedOptions> = {
  ...CAPABILITIES,
  endpoints: SPOT_MARKET.production,
  createFeed: (options) => new BinanceFeed(options),
  createHistory: (options) => createBinanceHistory(options),
  instruments: (options) => listSpotInstruments(options),
}
