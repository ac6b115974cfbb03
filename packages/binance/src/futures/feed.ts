/**
 * The feeds of Binance's futures markets: the shared Binance feed with the
 * USDⓈ-M or the COIN-M profile.
 */
import { BinanceMarketFeed } from '../feed.js'
import { COINM_MARKET } from './coinm.js'
import type { BinanceFuturesFeedOptions } from './options.js'
import { USDM_MARKET } from './usdm.js'

/**
 * Streams Binance USDⓈ-M futures (`binance-futures`) as normalized events: `trades` (`@aggTrade`),
 * `book` (`@depth@100ms` synced to `/fapi/v1/depth` by the `pu` chain), `bars:<interval>`, `quotes`
 * (`@bookTicker`), `derivatives` (`@markPrice@1s` and polled open interest), `liquidations`
 * (`@forceOrder`). Amounts are in the base asset. Usually created through `futures.createFeed(options)`.
 *
 * @example
 * const feed = new BinanceFuturesFeed({ symbols: ['BTCUSDT'], channels: ['trades', 'derivatives'] })
 * for await (const event of feed.stream()) console.log(event)
 * @throws InvalidArgumentError (synchronously) for malformed symbols, unknown channels or intervals, bad options
 */
export class BinanceFuturesFeed extends BinanceMarketFeed {
  constructor(options: BinanceFuturesFeedOptions) {
    super(options, USDM_MARKET)
  }
}

/**
 * Streams Binance COIN-M futures (`binance-delivery`) as normalized events, with the channels of
 * {@link BinanceFuturesFeed}. Amounts and open interest count contracts (see `delivery.instruments()`
 * for each contract's size in USD). Usually created through `delivery.createFeed(options)`.
 *
 * @example
 * const feed = new BinanceDeliveryFeed({ symbols: ['BTCUSD_PERP'], channels: ['book', 'liquidations'] })
 * for await (const event of feed.stream()) console.log(event)
 * @throws InvalidArgumentError (synchronously) for malformed symbols, unknown channels or intervals, bad options
 */
export class BinanceDeliveryFeed extends BinanceMarketFeed {
  constructor(options: BinanceFuturesFeedOptions) {
    super(options, COINM_MARKET)
  }
}
