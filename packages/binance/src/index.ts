export { BinanceFeed } from './feed.js'
export type { BookProgress } from './books.js'
export { exchange } from './exchange.js'
export type { BinanceFeedOptions } from './options.js'
export { parseBinanceFrame } from './parse.js'
export type { BinanceControlAnswer, BinanceDepthUpdate, BinanceMessage, BinanceShutdownNotice } from './parse.js'
export { BookSync } from './book-sync.js'
export type { BookSyncOptions, BookSyncState, BookSyncStats } from './book-sync.js'
export type { SnapshotProgress } from './snapshot-scheduler.js'
export { BINANCE_INTERVALS, SYMBOL_FORMAT } from './symbols.js'
export { snapshotWeight } from './weight.js'
export type {
  BinanceBookTickerFrame,
  BinanceCombinedFrame,
  BinanceDepthSnapshot,
  BinanceDepthUpdateFrame,
  BinanceErrorBody,
  BinanceExchangeInfo,
  BinanceHistoricalTrade,
  BinanceKlineFrame,
  BinanceLevel,
  BinanceRateLimit,
  BinanceTradeFrame,
} from './wire.js'
