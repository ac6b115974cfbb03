/**
 * OKX's REST history (core's `ExchangeHistory`, what `dccd backfill`
 * downloads), through the endpoints live recovery uses:
 * - trades: `GET /api/v5/market/history-trades` keeps the last 3 months and
 *   pages backwards only (newest first). A range is read in windows of an
 *   hour: each window from its end down (the first page by time, `type=2`,
 *   then by id, `type=1`) to its start, then handed out oldest first, so
 *   memory holds one window, never the whole range;
 * - bars: `GET /api/v5/market/history-candles`, oldest first (bars.ts).
 * https://www.okx.com/docs-v5/en/#order-book-trading-market-data-get-trades-history
 */
import {
  addBars,
  checkHistoryRange,
  checkSymbolFormat,
  checkSymbolsListed,
  InvalidArgumentError,
  microsToIso,
  nowMicros,
  numberOption,
  parseChannels,
  silentLogger,
  urlOption,
} from '@dccd/core'
import type {
  BarHistoryRequest,
  ExchangeHistory,
  HistoryOptions,
  HistoryRequest,
  MarketEvent,
  ParsedChannel,
  TradeEvent,
  TradeHistoryRequest,
} from '@dccd/core'
import type { RestClient } from '@dccd/transport'
import { candleHistory, CANDLE_HISTORY } from './bars.js'
import { BAR_INTERVALS, EXCHANGE_ID, instTypeOf, SYMBOL_FORMAT, SYMBOL_FORMAT_DESCRIPTION } from './capabilities.js'
import type { OkxInstType } from './capabilities.js'
import { DEFAULT_REST_URL } from './options.js'
import { tradeRows } from './parse.js'
import { createRestClient, fetchInstruments, fetchTradesBefore, fetchTradesBeforeTime, REQUESTS_PER_2S } from './rest.js'
import { TRADE_HISTORY } from './trades.js'

/** How far back `history-trades` serves, µs (OKX: "the last 3 months"; 90 days is the safe reading). */
export const TRADE_HISTORY_DEPTH = 90 * 86_400_000_000

/** One window of trades read backwards and then handed out, µs. */
const TRADE_WINDOW = 3_600_000_000

const LIMITS: readonly string[] = [
  `trades: ${TRADE_HISTORY} serves the last 3 months, newest first, 100 trades a call at 10 calls a second; ranges are read an hour at a time.`,
  `bars: ${CANDLE_HISTORY} serves candles of recent years, 100 a call at 10 calls a second.`,
]

/** Settings tests use to lift OKX's pacing on a simulated OKX; production keeps OKX's rule. */
export interface OkxHistorySettings {
  /** Requests per 2 s. Default 20 (OKX's limit per endpoint), times `restWeightShare`. */
  readonly requestsPer2s?: number
}

/**
 * OKX's REST history. `restWeightShare` (0, 1] is the share of OKX's request limit it spends.
 *
 * @throws InvalidArgumentError for a bad `restUrl`
 * @example
 * const history = createOkxHistory()
 * history.check({ symbols: ['BTC-USDT'], channels: ['trades'], from, to }, nowMicros())
 * for await (const page of history.trades({ symbol: 'BTC-USDT', from, to }, signal)) write(page)
 */
export function createOkxHistory(options: HistoryOptions = {}, settings: OkxHistorySettings = {}): ExchangeHistory {
  const restUrl = urlOption('restUrl', options.restUrl, DEFAULT_REST_URL, ['http:', 'https:'], ['ws', 'api'])
  const share = numberOption('restWeightShare', options.restWeightShare, 1, (n) => n > 0 && n <= 1, 'a number in (0, 1]')
  const rest = createRestClient(restUrl, options.logger ?? silentLogger, Math.max(1, Math.floor((settings.requestsPer2s ?? REQUESTS_PER_2S) * share)))
  const bars = candleHistory(rest)
  return {
    exchange: EXCHANGE_ID,
    limits: LIMITS,
    check: checkRequest,
    async checkSymbols(symbols, signal) {
      const listed = new Set<string>()
      for (const type of new Set<OkxInstType>(symbols.map(instTypeOf))) {
        for (const row of await fetchInstruments(rest, type, signal)) listed.add(row.instId)
      }
      checkSymbolsListed(EXCHANGE_ID, symbols, listed)
    },
    trades: (request, signal) => historyTrades(rest, request, signal),
    async *bars(request: BarHistoryRequest, signal: AbortSignal): AsyncGenerator<MarketEvent[]> {
      const { symbol, interval, from, to, after } = request
      const start = after === undefined ? from : addBars(interval, after.lastOpenTime, 1)
      if (start >= to) return
      for await (const page of bars.fetch({ symbol, interval, fromOpenTime: start, toOpenTime: to - 1 }, signal)) {
        const closed = page.filter((bar) => bar.closed && bar.openTime >= start && bar.openTime < to)
        if (closed.length > 0) yield closed
      }
    },
  }
}

/** Offline: symbol format, channels with history, the range, and trades older than OKX keeps. */
function checkRequest(request: HistoryRequest, now: number): ParsedChannel[] {
  checkSymbolFormat(request.symbols, SYMBOL_FORMAT, SYMBOL_FORMAT_DESCRIPTION)
  const valid = ['trades', ...BAR_INTERVALS.map((interval) => `bars:${interval}`)]
  for (const live of ['book', 'quotes', 'derivatives', 'liquidations']) {
    if (Array.isArray(request.channels) && request.channels.includes(live)) {
      throw new InvalidArgumentError('okx history channel', live, valid, `OKX serves no ${live} history here: record it live`)
    }
  }
  const channels = parseChannels(request.channels, { id: EXCHANGE_ID, channels: ['trades', 'bars'], barIntervals: BAR_INTERVALS })
  checkHistoryRange(request)
  const earliest = now - TRADE_HISTORY_DEPTH
  if (channels.some((channel) => channel.kind === 'trades') && request.from < earliest) {
    throw new InvalidArgumentError('history from for trades', microsToIso(request.from), [`${microsToIso(earliest)} or later`], `${TRADE_HISTORY} serves the last 3 months`)
  }
  return channels
}

/** Trades `from <= timestamp < to` (or after `after`), ascending by id, a window per page. */
async function* historyTrades(rest: RestClient, request: TradeHistoryRequest, signal: AbortSignal): AsyncGenerator<MarketEvent[]> {
  const { symbol, to, after } = request
  const afterId = after === undefined ? -1 : Number(after.lastId)
  let start = after === undefined ? request.from : after.lastTimestamp
  while (start < to) {
    const end = Math.min(to, start + TRADE_WINDOW)
    const trades = (await tradeWindow(rest, symbol, start, end, signal)).filter((trade) => Number(trade.id) > afterId)
    if (trades.length > 0) yield trades
    start = end
  }
}

/** Trades of `symbol` with `start <= timestamp < end`, ascending by id. */
async function tradeWindow(rest: RestClient, symbol: string, start: number, end: number, signal: AbortSignal): Promise<TradeEvent[]> {
  const found: TradeEvent[] = []
  let rows = await fetchTradesBeforeTime(rest, symbol, Math.ceil(end / 1000), signal)
  for (;;) {
    if (rows.length === 0) break
    const page = tradeRows(rows, symbol, nowMicros())
    let oldest = Infinity
    let reachedStart = false
    for (const trade of page) {
      oldest = Math.min(oldest, Number(trade.id))
      if (trade.timestamp < start) reachedStart = true
      else if (trade.timestamp < end) found.push(trade)
    }
    if (reachedStart) break
    rows = await fetchTradesBefore(rest, symbol, String(oldest), signal)
  }
  return found.sort((a, b) => Number(a.id) - Number(b.id))
}
