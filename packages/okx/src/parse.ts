/**
 * OKX v5 frames → typed messages with normalized events. Pure and
 * synchronous: no socket, no promise per frame, testable with literal
 * frames. A frame whose fields lack OKX's types throws (the base counts and
 * logs a parse error); it never reaches a book or a consumer. Book levels
 * keep their wire strings beside the numbers: OKX's checksum is computed
 * over the strings as sent.
 * https://www.okx.com/docs-v5/en/#order-book-trading-market-data-ws-trades-channel
 */
import { decimalField as decimal, invalidField as invalid, msTimeField, signedDecimalField } from '@dccd/core'
import type { BarEvent, BookEvent, BookLevel, DerivativeEvent, LiquidationEvent, QuoteEvent, TradeEvent } from '@dccd/core'
import { EXCHANGE_ID, instTypeOf, intervalOfCandle } from './capabilities.js'
import type { OkxArg, OkxBookData, OkxCandle, OkxEventFrame, OkxLevel, OkxLiquidation, OkxPush, OkxTrade } from './wire.js'

/** A `books` message waiting for its book sync to prove it contiguous. */
export interface OkxBookMessage {
  readonly type: 'book'
  readonly symbol: string
  /** `books5` pushes are whole 5-level books: each one a snapshot with no chain to check. */
  readonly channel: 'books' | 'books5'
  readonly isSnapshot: boolean
  /** Absent on captures from before OKX added sequence ids (2022): the checksum is then the only check. */
  readonly seqId: number | undefined
  readonly prevSeqId: number | undefined
  /** 0 when OKX sends none (deprecated: 0 today). */
  readonly checksum: number
  /**
   * The wire levels, for the checksum; absent on a message `scanBookUpdate` read (the feed scans
   * only updates of books that verify no checksums).
   */
  readonly data?: OkxBookData
  /** The event to emit once proven. */
  readonly event: BookEvent
}

/** A `trades` push. */
export interface OkxTradesMessage {
  readonly type: 'trades'
  readonly trades: TradeEvent[]
  /** Fills each row aggregates (`count`), when some row has more than one; absent otherwise. */
  readonly counts: number[] | undefined
}

/** An `index-tickers` price: it belongs to every subscribed instrument on that index. */
export interface OkxIndexMessage {
  readonly type: 'index'
  readonly index: string
  readonly price: number
  readonly timestamp: number
  readonly localTimestamp: number
}

/** What one frame turns into. */
export type OkxMessage =
  | OkxTradesMessage
  | OkxBookMessage
  | { readonly type: 'bars'; readonly bars: BarEvent[] }
  | { readonly type: 'quote'; readonly quote: QuoteEvent }
  | { readonly type: 'derivatives'; readonly events: DerivativeEvent[] }
  | OkxIndexMessage
  | { readonly type: 'liquidations'; readonly events: LiquidationEvent[] }
  | { readonly type: 'event'; readonly frame: OkxEventFrame }
  | { readonly type: 'pong' }

/**
 * Parses one frame (`pong` is the answer to our text `ping`).
 *
 * @param receivedAt receive time, µs
 * @throws SyntaxError for a frame that is not JSON, TypeError for one of the wrong shape
 * @example parseFrame('{"arg":{"channel":"trades","instId":"BTC-USDT"},"data":[…]}', nowMicros())
 */
export function parseFrame(raw: string, receivedAt: number): OkxMessage {
  if (raw === 'pong') return PONG
  const frame = JSON.parse(raw) as Partial<OkxPush> & Partial<OkxEventFrame>
  if (typeof frame !== 'object' || frame === null) invalid('frame', frame)
  if (typeof frame.event === 'string') return { type: 'event', frame: frame as OkxEventFrame }
  const arg = frame.arg
  if (typeof arg !== 'object' || arg === null || !Array.isArray(frame.data)) invalid('frame', frame)
  const data = frame.data
  switch (arg.channel) {
    case 'books':
    case 'books5':
      return bookMessage(arg, frame.action, data, receivedAt)
    case 'trades': {
      const rows = data as OkxTrade[]
      return { type: 'trades', trades: tradeRows(rows, instIdOf(arg), receivedAt), counts: aggregateCounts(rows) }
    }
    case 'bbo-tbt':
      return { type: 'quote', quote: quoteOf(instIdOf(arg), only(data) as OkxBookData, receivedAt) }
    case 'mark-price':
    case 'funding-rate':
    case 'open-interest':
      return { type: 'derivatives', events: data.map((row) => derivativeOf(arg.channel, row as Record<string, unknown>, receivedAt)) }
    case 'index-tickers': {
      const row = only(data) as { idxPx?: unknown; ts?: unknown }
      const price = decimal(row.idxPx, 'index price')
      return { type: 'index', index: instIdOf(arg), price, timestamp: msTimeField(row.ts, receivedAt, 'index time'), localTimestamp: receivedAt }
    }
    case 'liquidation-orders':
      return { type: 'liquidations', events: liquidations(data as OkxLiquidation[], receivedAt) }
    default: {
      const interval = typeof arg.channel === 'string' ? intervalOfCandle(arg.channel) : undefined
      if (interval === undefined) invalid('channel', arg.channel)
      const symbol = instIdOf(arg)
      return { type: 'bars', bars: data.map((row) => candleBar(row as OkxCandle, symbol, interval, receivedAt, true)) }
    }
  }
}

const PONG = { type: 'pong' } as const

/**
 * Trade rows (stream or `history-trades`, the same fields) → trade events. `id` is OKX's
 * `tradeId`; `amount` is `sz` (base currency on spot, contracts on swaps and futures); a
 * stream row may aggregate several fills of one taker order at one price (`count`).
 *
 * @throws TypeError on a row of the wrong shape, before any event is returned
 */
export function tradeRows(rows: readonly OkxTrade[], symbol: string, receivedAt: number): TradeEvent[] {
  const out: TradeEvent[] = new Array(rows.length)
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!
    if (typeof row !== 'object' || row === null) invalid('trade row', row)
    const { tradeId, side } = row
    if (typeof tradeId !== 'string' || !/^\d{1,15}$/.test(tradeId)) invalid('tradeId', tradeId)
    if (side !== 'buy' && side !== 'sell') invalid('trade side', side)
    if (row.instId !== undefined && row.instId !== symbol) invalid('trade instId', row.instId)
    out[i] = {
      type: 'trade',
      exchange: EXCHANGE_ID,
      symbol,
      id: tradeId,
      price: decimal(row.px, 'trade price'),
      amount: decimal(row.sz, 'trade size'),
      side,
      timestamp: msTimeField(row.ts, receivedAt, 'trade time'),
      localTimestamp: receivedAt,
    }
  }
  return out
}

/** Each row's `count` when one of them aggregates several fills; undefined in the common case of none. */
function aggregateCounts(rows: readonly OkxTrade[]): number[] | undefined {
  let counts: number[] | undefined
  for (let i = 0; i < rows.length; i++) {
    const count = rows[i]!.count
    if (count === undefined || count === '1') continue
    const value = Number(count)
    if (!Number.isSafeInteger(value) || value < 1) invalid('trade count', count)
    counts ??= rows.map(() => 1)
    counts[i] = value
  }
  return counts
}

/**
 * A candle row (stream or `history-candles`) → a bar. `volume` is in the base currency:
 * `vol` on spot, `volCcy` on swaps and futures (whose `vol` counts contracts).
 *
 * @param live a stream row (closed when `confirm` is `"1"`); REST rows carry the same column
 * @throws TypeError on a row of the wrong shape
 */
export function candleBar(row: OkxCandle, symbol: string, interval: string, receivedAt: number, live: boolean): BarEvent {
  if (!Array.isArray(row) || row.length < 9) invalid('candle', row)
  const confirm = row[8]
  if (confirm !== '0' && confirm !== '1') invalid('candle confirm', confirm)
  const openTime = msTimeField(row[0], receivedAt, 'candle open time')
  return {
    type: 'bar',
    exchange: EXCHANGE_ID,
    symbol,
    interval,
    openTime,
    open: decimal(row[1], 'candle open'),
    high: decimal(row[2], 'candle high'),
    low: decimal(row[3], 'candle low'),
    close: decimal(row[4], 'candle close'),
    volume: decimal(instTypeOf(symbol) === 'SPOT' ? row[5] : row[6], 'candle volume'),
    closed: confirm === '1',
    // OKX sends no event time with a candle: a live update is as of its receipt, a REST row as of its open.
    timestamp: live ? receivedAt : openTime,
    localTimestamp: receivedAt,
  }
}

function bookMessage(arg: OkxArg, action: unknown, data: readonly unknown[], receivedAt: number): OkxBookMessage {
  const symbol = instIdOf(arg)
  const row = only(data) as OkxBookData
  const books5 = arg.channel === 'books5'
  if (!books5 && action !== 'snapshot' && action !== 'update') invalid('book action', action)
  const isSnapshot = books5 || action === 'snapshot'
  const { seqId, prevSeqId, checksum } = row
  if (seqId !== undefined && !Number.isSafeInteger(seqId)) invalid('book seqId', seqId)
  if (prevSeqId !== undefined && !Number.isSafeInteger(prevSeqId)) invalid('book prevSeqId', prevSeqId)
  if (checksum !== undefined && !Number.isSafeInteger(checksum)) invalid('book checksum', checksum)
  return {
    type: 'book',
    symbol,
    channel: books5 ? 'books5' : 'books',
    isSnapshot,
    seqId,
    prevSeqId,
    checksum: checksum ?? 0,
    data: row,
    event: {
      type: 'book',
      exchange: EXCHANGE_ID,
      symbol,
      isSnapshot,
      bids: levels(row.bids, BID_LABELS),
      asks: levels(row.asks, ASK_LABELS),
      timestamp: msTimeField(row.ts, receivedAt, 'book time'),
      localTimestamp: receivedAt,
    },
  }
}

/** Field names of one side in error messages (constants: no string is built per level on the hot path). */
interface SideLabels {
  readonly levels: string
  readonly level: string
  readonly price: string
  readonly size: string
}
const BID_LABELS: SideLabels = { levels: 'bid levels', level: 'bid level', price: 'bid price', size: 'bid size' }
const ASK_LABELS: SideLabels = { levels: 'ask levels', level: 'ask level', price: 'ask price', size: 'ask size' }

/** Wire levels → book levels, in order; every value checked before any book sees them. */
function levels(wire: readonly OkxLevel[], labels: SideLabels): BookLevel[] {
  if (!Array.isArray(wire)) invalid(labels.levels, wire)
  const out: BookLevel[] = new Array(wire.length)
  for (let i = 0; i < wire.length; i++) {
    const level = wire[i]!
    if (!Array.isArray(level)) invalid(labels.level, level)
    out[i] = { price: decimal(level[0], labels.price), amount: decimal(level[1], labels.size) }
  }
  return out
}

function quoteOf(symbol: string, row: OkxBookData, receivedAt: number): QuoteEvent {
  const bid = row.bids?.[0]
  const ask = row.asks?.[0]
  if (!Array.isArray(bid) || !Array.isArray(ask)) invalid('bbo-tbt levels', row)
  return {
    type: 'quote',
    exchange: EXCHANGE_ID,
    symbol,
    bidPrice: decimal(bid[0], 'bid price'),
    bidAmount: decimal(bid[1], 'bid size'),
    askPrice: decimal(ask[0], 'ask price'),
    askAmount: decimal(ask[1], 'ask size'),
    timestamp: msTimeField(row.ts, receivedAt, 'quote time'),
    localTimestamp: receivedAt,
  }
}

/** A `mark-price`, `funding-rate` or `open-interest` row → a derivative event holding only what that channel sends. */
function derivativeOf(channel: string, row: Record<string, unknown>, receivedAt: number): DerivativeEvent {
  if (typeof row !== 'object' || row === null || typeof row.instId !== 'string') invalid(`${channel} row`, row)
  const base = { type: 'derivative' as const, exchange: EXCHANGE_ID, symbol: row.instId, localTimestamp: receivedAt }
  if (channel === 'mark-price') {
    return { ...base, markPrice: decimal(row.markPx, 'mark price'), timestamp: msTimeField(row.ts, receivedAt, 'mark price time') }
  }
  if (channel === 'open-interest') {
    return { ...base, openInterest: decimal(row.oi, 'open interest'), timestamp: msTimeField(row.ts, receivedAt, 'open interest time') }
  }
  return {
    ...base,
    fundingRate: signedDecimalField(row.fundingRate, 'funding rate'),
    fundingTime: msTimeField(row.fundingTime, receivedAt, 'funding time'),
    // Older funding-rate pushes carry no `ts`.
    timestamp: row.ts === undefined ? receivedAt : msTimeField(row.ts, receivedAt, 'funding rate time'),
  }
}

function liquidations(rows: readonly OkxLiquidation[], receivedAt: number): LiquidationEvent[] {
  const out: LiquidationEvent[] = []
  for (const row of rows) {
    if (typeof row?.instId !== 'string' || !Array.isArray(row.details)) invalid('liquidation row', row)
    for (const detail of row.details) {
      if (detail?.side !== 'buy' && detail?.side !== 'sell') invalid('liquidation side', detail?.side)
      out.push({
        type: 'liquidation',
        exchange: EXCHANGE_ID,
        symbol: row.instId,
        side: detail.side,
        price: decimal(detail.bkPx, 'liquidation bankruptcy price'),
        amount: decimal(detail.sz, 'liquidation size'),
        timestamp: msTimeField(detail.ts, receivedAt, 'liquidation time'),
        localTimestamp: receivedAt,
      })
    }
  }
  return out
}

function instIdOf(arg: OkxArg): string {
  if (typeof arg.instId !== 'string' || arg.instId === '') invalid(`${String(arg.channel)} instId`, arg.instId)
  return arg.instId
}

/** The one row a book or ticker push carries. */
function only(data: readonly unknown[]): unknown {
  if (data.length !== 1 || typeof data[0] !== 'object' || data[0] === null) invalid('push data', data)
  return data[0]
}
