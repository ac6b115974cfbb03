export { exchange } from './exchange.js'
export { delivery, futures } from './futures/exchange.js'
export { exchanges } from './exchanges.js'
export { BinanceFeed } from './feed.js'
export { BinanceDeliveryFeed, BinanceFuturesFeed } from './futures/feed.js'
export type { BinanceMarketFeed, BookProgress } from './feed.js'
export type { BinanceFeedOptions } from './options.js'
export type { BinanceFuturesFeedOptions } from './futures/options.js'
export { parseFrame, SPOT_DIALECT } from './parse.js'
export { COINM_DIALECT } from './futures/coinm.js'
export { USDM_DIALECT } from './futures/usdm.js'
export type { BinanceControlAnswer, BinanceDepthUpdate, BinanceDialect, BinanceMessage, BinanceShutdownNotice, DepthUpdateIds } from './parse.js'
export { BookSync } from './book-sync.js'
export type { BookSyncOptions, BookSyncState, BookSyncStats } from './book-sync.js'
export { FUTURES_DEPTH_CONTINUITY, SPOT_DEPTH_CONTINUITY } from './depth-continuity.js'
export type { DepthContinuity, SnapshotPosition } from './depth-continuity.js'
export type {
  BinanceAggTrade,
  BinanceAggTradeFrame,
  BinanceBookTickerFrame,
  BinanceCombinedFrame,
  BinanceDepthSnapshot,
  BinanceDepthUpdateFrame,
  BinanceErrorBody,
  BinanceExchangeInfo,
  BinanceHistoricalTrade,
  BinanceKlineFrame,
  BinanceKlineRow,
  BinanceLevel,
  BinanceRateLimit,
  BinanceTradeFrame,
} from './wire.js'
export type {
  BinanceForceOrderFrame,
  BinanceFuturesBookTickerFrame,
  BinanceFuturesExchangeInfo,
  BinanceFuturesSymbol,
  BinanceMarkPriceFrame,
  BinanceOpenInterest,
} from './futures/wire.js'
