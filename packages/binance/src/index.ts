export { exchange } from './exchange.js'
export { BinanceFeed } from './feed.js'
export type { BookProgress } from './feed.js'
export type { BinanceFeedOptions } from './options.js'
export { parseFrame } from './parse.js'
export type { BinanceControlAnswer, BinanceDepthUpdate, BinanceMessage, BinanceShutdownNotice } from './parse.js'
export { BookSync } from './book-sync.js'
export type { BookSyncOptions, BookSyncState, BookSyncStats } from './book-sync.js'
export type {
  BinanceAggTrade,
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
