export { exchange } from './exchange.js'
export { KrakenFeed } from './feed.js'
export type { KrakenFeedOptions } from './options.js'
export { parseFrame } from './parse.js'
export type { KrakenFrame } from './parse.js'
export { BookSync } from './book-sync.js'
export { scanBookUpdate } from './book-scan.js'
export type { ScannedBookUpdate } from './book-scan.js'
export type {
  KrakenAck,
  KrakenBookData,
  KrakenBookLevel,
  KrakenBookMessage,
  KrakenCandle,
  KrakenInstrumentMessage,
  KrakenMessage,
  KrakenOhlcMessage,
  KrakenTrade,
  KrakenTradeMessage,
} from './wire.js'
