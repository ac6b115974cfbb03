export { exchange } from './exchange.js'
export { OkxFeed } from './feed.js'
export type { OkxFeedOptions } from './options.js'
export { parseFrame } from './parse.js'
export type { OkxBookMessage, OkxIndexMessage, OkxMessage, OkxTradesMessage } from './parse.js'
export { BookSync } from './book-sync.js'
export { scanBookUpdate } from './book-scan.js'
export type { BookVerdict } from './book-sync.js'
export { ChecksumBook } from './checksum.js'
export type {
  OkxArg,
  OkxBookData,
  OkxCandle,
  OkxEventFrame,
  OkxFundingRate,
  OkxIndexTicker,
  OkxInstrument,
  OkxLevel,
  OkxLiquidation,
  OkxMarkPrice,
  OkxOpenInterest,
  OkxPush,
  OkxRestBody,
  OkxTrade,
} from './wire.js'
export { createOkxHistory } from './history.js'
