/**
 * Kraken's REST history (core's `ExchangeHistory`, what `dccd backfill`
 * downloads): the same paging live recovery uses — `Trades` by time
 * (trades.ts `tradePages`), `OHLC` (ohlc.ts `ohlcPage`) — through one
 * `KrakenRest`, so every pair is asked at most once a second, both endpoints
 * together.
 */
import {
  barGapEvent,
  checkHistoryRange,
  checkSymbolFormat,
  checkSymbolsListed,
  InvalidArgumentError,
  microsToIso,
  nowMicros,
  numberOption,
  parseChannels,
  silentLogger,
  TradeContinuity,
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
import { BAR_INTERVALS, EXCHANGE_ID, intervalToMinutes, SYMBOL_FORMAT, SYMBOL_FORMAT_DESCRIPTION } from './capabilities.js'
import { intervalLength, OHLC_ENDPOINT, OHLC_WINDOW, ohlcPage, unservedRange, unservedReason } from './ohlc.js'
import { restUrlOption } from './options.js'
import { KrakenRest, PAIR_CALL_INTERVAL_MS } from './rest.js'
import { restTradeEvent, SINCE_MARGIN_MICROS, tradePages, TRADES_ENDPOINT } from './trades.js'

/** What the history can and cannot serve, one sentence per kind. */
const LIMITS: readonly string[] = [
  `trades: ${TRADES_ENDPOINT} serves a pair's whole history by time, 1000 trades per call, at about one call per second per pair (a day of a pair trading once a second is 87 calls, about 1.5 min).`,
  `bars: ${OHLC_ENDPOINT} serves only the latest ${OHLC_WINDOW} intervals of a pair (12 h of 1m bars, 30 days of 1h bars, about 2 years of 1d bars); older bars cannot be downloaded.`,
]

/** Settings tests use to shorten Kraken's pacing; production keeps Kraken's rule. */
export interface KrakenHistorySettings {
  /** One call per pair per this many ms, before `restWeightShare`. Default 1000 (Kraken's limit). */
  readonly pairCallIntervalMs?: number
}

/**
 * Kraken's REST history. `restWeightShare` stretches the per-pair pacing
 * (0.5: one call per pair every 2 s).
 *
 * @throws InvalidArgumentError for a bad `restUrl` or `restWeightShare`
 * @example
 * const history = createKrakenHistory()
 * history.check({ symbols: ['BTC/USD'], channels: ['trades'], from, to }, nowMicros())
 * for await (const page of history.trades({ symbol: 'BTC/USD', from, to }, signal)) write(page)
 */
export function createKrakenHistory(options: HistoryOptions = {}, settings: KrakenHistorySettings = {}): ExchangeHistory {
  const restUrl = restUrlOption(options.restUrl)
  const share = numberOption('restWeightShare', options.restWeightShare, 1, (n) => n > 0 && n <= 1, 'a number in (0, 1]')
  const intervalMs = Math.ceil((settings.pairCallIntervalMs ?? PAIR_CALL_INTERVAL_MS) / share)
  const rest = new KrakenRest(restUrl, options.logger ?? silentLogger, intervalMs)
  return {
    exchange: EXCHANGE_ID,
    limits: LIMITS,
    check: checkRequest,
    async checkSymbols(symbols, signal) {
      const listed = await rest.pairs.all(signal)
      checkSymbolsListed(EXCHANGE_ID, symbols, new Set(listed.keys()))
    },
    trades: (request, signal) => historyTrades(rest, request, signal),
    bars: (request, signal) => historyBars(rest, request, signal),
  }
}

/** Offline: symbol format, channels with history, the time range, and bars older than OHLC's window. */
function checkRequest(request: HistoryRequest, now: number): ParsedChannel[] {
  checkSymbolFormat(request.symbols, SYMBOL_FORMAT, SYMBOL_FORMAT_DESCRIPTION)
  const valid = ['trades', ...BAR_INTERVALS.map((interval) => `bars:${interval}`)]
  if (Array.isArray(request.channels) && request.channels.includes('book')) {
    throw new InvalidArgumentError('kraken history channel', 'book', valid, 'Kraken serves no order book history: books can only be recorded live')
  }
  const channels = parseChannels(request.channels, { id: EXCHANGE_ID, channels: ['trades', 'bars'], barIntervals: BAR_INTERVALS })
  checkHistoryRange(request)
  for (const channel of channels) {
    if (channel.kind !== 'bars') continue
    const length = intervalLength(channel.interval!)
    const earliest = Math.floor(now / length) * length - (OHLC_WINDOW - 1) * length
    if (request.from < earliest) {
      throw new InvalidArgumentError(
        `history from for ${channel.name}`,
        microsToIso(request.from),
        [`${microsToIso(earliest)} or later`],
        `${OHLC_ENDPOINT} serves only the latest ${OHLC_WINDOW} intervals`,
      )
    }
  }
  return channels
}

/**
 * Trades `from <= timestamp < to` (or after `after`), ascending by id, a page
 * per call; ids Kraken skipped are `gap` markers in their place (core's
 * `TradeContinuity` without a history to recover from).
 */
async function* historyTrades(rest: KrakenRest, request: TradeHistoryRequest, signal: AbortSignal): AsyncGenerator<MarketEvent[]> {
  const { symbol, from, to, after } = request
  const { pair, client } = await rest.pair(symbol, signal)
  const continuity = new TradeContinuity({
    exchange: EXCHANGE_ID,
    maxRecoveredTrades: 0,
    unrecoveredReason: `not returned by ${TRADES_ENDPOINT}`,
    emit: () => {},
  })
  // Ids up to the resume point are dropped as repeats; the first id after a jump from it is a gap.
  if (after !== undefined) continuity.resume(symbol, after)
  const start = after === undefined ? from : after.lastTimestamp
  for await (const rows of tradePages(client, pair, start - SINCE_MARGIN_MICROS, signal)) {
    const now = nowMicros()
    const trades = rows.map((row) => restTradeEvent(symbol, row, now)).sort(byId)
    const out: MarketEvent[] = []
    let past = false
    for (const trade of trades) {
      // Kraken's ids grow with time, so the first trade at or after `to` ends the range.
      if (trade.timestamp >= to) {
        past = true
        break
      }
      if (after === undefined && trade.timestamp < from) continue
      continuity.accept(trade, out)
    }
    if (out.length > 0) yield out
    if (past) return
  }
}

/** Closed bars `from <= openTime < to` (or after `after`), one `OHLC` call; a part Kraken no longer serves is one gap. */
async function* historyBars(rest: KrakenRest, request: BarHistoryRequest, signal: AbortSignal): AsyncGenerator<MarketEvent[]> {
  const { symbol, interval, from, to, after } = request
  if (intervalToMinutes(interval) === undefined) throw new InvalidArgumentError('kraken bar interval', interval, BAR_INTERVALS)
  const length = intervalLength(interval)
  const start = after === undefined ? Math.ceil(from / length) * length : after.lastOpenTime + length
  if (start >= to) return
  const { pair, client } = await rest.pair(symbol, signal)
  const page = await ohlcPage(client, pair, symbol, interval, start, signal)
  const out: MarketEvent[] = []
  const unserved = unservedRange(page, interval, start, Math.ceil(to / length) * length - length)
  if (unserved !== undefined) out.push(barGapEvent(EXCHANGE_ID, symbol, interval, unserved.from, unserved.to, unservedReason(page)))
  for (const bar of page.closed) if (bar.openTime >= start && bar.openTime < to) out.push(bar)
  if (out.length > 0) yield out
}

const byId = (a: TradeEvent, b: TradeEvent): number => Number(a.id) - Number(b.id)
