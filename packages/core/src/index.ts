export type {
  BarEvent,
  BookEvent,
  BookLevel,
  DerivativeEvent,
  LiquidationEvent,
  MarketEvent,
  MarketEventType,
  QuoteEvent,
  StatusEvent,
  StatusKind,
  TradeEvent,
  TradeSide,
} from './events.js'
export type {
  AdapterEndpoints,
  Channel,
  ChannelKind,
  ConnectionOptions,
  ExchangeAdapter,
  Feed,
  FeedOptions,
  FeedStats,
  Instrument,
  InstrumentsOptions,
  InstrumentType,
  MarketDescription,
} from './adapter.js'
export { checkSymbolFormat, checkSymbolsListed, parseChannels, Subscriptions, validChannelNames } from './channels.js'
export type { ParsedChannel } from './channels.js'
export {
  ChecksumMismatchError,
  DccdError,
  errorMessage,
  ExchangeError,
  FeedStoppedError,
  hasErrorCode,
  InvalidArgumentError,
  NoCapabilityError,
  RequestError,
  SequenceGapError,
} from './errors.js'
export type { DccdErrorCode } from './errors.js'
export { booleanOption, integerOption, numberOption, urlOption } from './options.js'
export { decimalToNumber } from './decimal.js'
export { exactLevels, scanDecimalText, scanInteger, scanLiteral, scanNumber, scanQuotedLevels, scanStringEnd, scanned } from './frame-scan.js'
export { decimalField, invalidField, msTimeField, signedDecimalField } from './fields.js'
export { FileCheckpointStore, MemoryCheckpointStore } from './checkpoint-store.js'
export type { CheckpointStore, CheckpointValue } from './checkpoint-store.js'
export { OrderBook } from './order-book.js'
export type { BookSideName, BookUpdate } from './order-book.js'
export { OrderBookSet, withBooks } from './order-book-set.js'
export type { EventWithBook } from './order-book-set.js'
export { consoleLogger, silentLogger } from './logger.js'
export type { Logger } from './logger.js'
export {
  EARLIEST_EXCHANGE_TIME,
  isoToMicros,
  isPlausibleExchangeTime,
  MAX_EXCHANGE_TIME_AHEAD,
  microsToIso,
  msToMicros,
  nowMicros,
  scanIsoTimestamp,
  secondsStringToMicros,
} from './time.js'
export { barGapEvent, statusEvent, tradeGapEvent } from './status.js'
export type { StatusFields } from './status.js'
export { TradeContinuity } from './trade-continuity.js'
export { addBars, barsBetween, intervalMicros, nextOpenTime } from './bar-time.js'
export { resumeOption } from './resume.js'
export { BarContinuity } from './bar-continuity.js'
export type { BarContinuityOptions, BarHistorySource, BarHole } from './bar-continuity.js'
export { SequenceContinuity } from './sequence-continuity.js'
export type { ContinuityCommonOptions, SequenceContinuityOptions, SequenceHistory, SequenceHole, SequencePosition, SequenceRule } from './sequence-continuity.js'
export type { BarResumePoint, ResumePoints, SymbolResumePoint, TradeResumePoint } from './resume.js'
export type { BarHistoryRequest, ExchangeHistory, HistoryOptions, HistoryRequest, TradeHistoryRequest } from './history.js'
export { checkHistoryRange } from './history.js'
export type { TradeContinuityOptions, TradeHistorySource, TradeHole, TradeIdRule, TradePosition } from './trade-continuity.js'
