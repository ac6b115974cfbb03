/**
 * Binance's REST history for `dccd backfill`: the same pages the live feed
 * recovers from (`tradePages` over `GET /api/v3/historicalTrades`,
 * `klinePages` over `GET /api/v3/klines`), spent from one weight-budgeted
 * REST client whose limit comes from `exchangeInfo`.
 * See https://developers.binance.com/docs/binance-spot-api-docs/rest-api/market-data-endpoints
 */
import {
  addBars,
  checkSymbolFormat,
  checkSymbolsListed,
  checkHistoryRange,
  InvalidArgumentError,
  microsToIso,
  numberOption,
  parseChannels,
  silentLogger,
  TradeContinuity,
  urlOption,
} from '@dccd/core'
import type {
  BarHistoryRequest,
  ExchangeHistory,
  HistoryOptions,
  HistoryRequest,
  MarketEvent,
  ParsedChannel,
  TradeHistoryRequest,
} from '@dccd/core'
import type { RestClient } from '@dccd/transport'
import { klinePages } from './bars.js'
import type { KlinesPage } from './bars.js'
import { CAPABILITIES, EXCHANGE_ID, SYMBOL_FORMAT, SYMBOL_FORMAT_DESCRIPTION } from './capabilities.js'
import { DEFAULT_REST_WEIGHT_SHARE } from './options.js'
import { PRODUCTION_REST_URL } from './capabilities.js'
import { parseFirstTradeId } from './parse.js'
import {
  createRestClient,
  fallbackRateLimit,
  fetchExchangeInfo,
  fetchFirstAggTrade,
  fetchTradePage,
  fetchKlines,
  rateLimitFrom,
} from './rest.js'
import { HISTORICAL_TRADES_SOURCE, tradePages } from './trades.js'
import type { TradePage } from './trades.js'
import type { BinanceExchangeInfo } from './wire.js'

/** What Binance serves, one sentence per channel kind. */
export const HISTORY_LIMITS: readonly string[] = [
  'trades: every trade id back to the symbol\'s listing, from GET /api/v3/historicalTrades (weight 25 per 1000 trades; the first id at the start time comes from one GET /api/v3/aggTrades, weight 4).',
  'bars:<interval>: klines of any range back to the listing, every interval including those without trades (volume 0), from GET /api/v3/klines (weight 2 per 1000 bars).',
  'book: no history (Binance serves only the current order book).',
]

/** The channel kinds that have history. */
const HISTORY_CAPABILITIES = { ...CAPABILITIES, channels: CAPABILITIES.channels.filter((kind) => kind !== 'book') }

/**
 * Binance spot's REST history. The REST weight limit is read from `exchangeInfo` (weight 20, once)
 * before the first download request, so a backfill spends `restWeightShare` of the real limit
 * (6000/min today) instead of the 1200/min fallback.
 *
 * @example
 * const history = createBinanceHistory({})
 * history.check({ symbols: ['BTCUSDT'], channels: ['trades'], from, to }, nowMicros())
 * for await (const page of history.trades({ symbol: 'BTCUSDT', from, to }, signal)) write(page)
 * @throws InvalidArgumentError for a bad `restUrl` or `restWeightShare`
 */
export function createBinanceHistory(options: HistoryOptions = {}): ExchangeHistory {
  return new BinanceHistory(options)
}

class BinanceHistory implements ExchangeHistory {
  readonly exchange = EXCHANGE_ID
  readonly limits = HISTORY_LIMITS
  readonly #rest: RestClient
  readonly #share: number
  readonly #historicalTrades: TradePage
  readonly #klines: KlinesPage
  #info: Promise<BinanceExchangeInfo> | undefined

  constructor(options: HistoryOptions) {
    const restUrl = urlOption('restUrl', options.restUrl, PRODUCTION_REST_URL, ['http:', 'https:'], ['api'])
    this.#share = numberOption('restWeightShare', options.restWeightShare, DEFAULT_REST_WEIGHT_SHARE, (n) => n > 0 && n <= 1, 'a number in (0, 1]')
    const rest = createRestClient(restUrl, fallbackRateLimit(this.#share), options.logger ?? silentLogger)
    this.#rest = rest
    this.#historicalTrades = (symbol, fromId, limit, signal) => fetchTradePage(rest, symbol, fromId, limit, signal)
    this.#klines = (query, signal) => fetchKlines(rest, query, signal)
  }

  check(request: HistoryRequest, now: number): ParsedChannel[] {
    checkSymbolFormat(request.symbols, SYMBOL_FORMAT, SYMBOL_FORMAT_DESCRIPTION)
    const valid = ['trades', ...CAPABILITIES.barIntervals.map((interval) => `bars:${interval}`)]
    if (Array.isArray(request.channels) && request.channels.includes('book')) {
      throw new InvalidArgumentError(`${EXCHANGE_ID} history channel`, 'book', valid, 'book history is not available: Binance serves only the current order book')
    }
    const channels = parseChannels(request.channels, HISTORY_CAPABILITIES)
    checkHistoryRange(request)
    if (request.from >= now) {
      throw new InvalidArgumentError('history from', microsToIso(request.from), [`a time before now (${microsToIso(now)})`], 'Binance has no history after now')
    }
    return channels
  }

  async checkSymbols(symbols: readonly string[], signal: AbortSignal): Promise<void> {
    const info = await this.#exchangeInfo(signal)
    checkSymbolsListed(EXCHANGE_ID, symbols, new Set(info.symbols.map((entry) => entry.symbol)))
  }

  /**
   * The first trade id at or after `from` (one `aggTrades` row), or the id after `after`; then
   * `historicalTrades` pages by id until a trade at or after `to`. Ids Binance does not return
   * (a jump inside the pages) become one `gap` each, in order.
   */
  async *trades(request: TradeHistoryRequest, signal: AbortSignal): AsyncGenerator<readonly MarketEvent[]> {
    const { symbol, from, to, after } = request
    await this.#exchangeInfo(signal)
    let startId: number | undefined
    if (after !== undefined) startId = Number(after.lastId) + 1
    // startTime alone, never with endTime: given both, Binance has answered the last `limit` rows of the window
    // (ccxt issue 6400, binance-spot-api-docs issue 10), which would start the download late.
    else startId = parseFirstTradeId(await fetchFirstAggTrade(this.#rest, symbol, Math.ceil(from / 1000), signal))
    if (startId === undefined) return
    // Core's trade rule with no history source: one gap per id jump, in order, as the live feed reports it.
    const continuity = new TradeContinuity({
      exchange: EXCHANGE_ID,
      maxRecoveredTrades: 0,
      unrecoveredReason: `not returned by ${HISTORICAL_TRADES_SOURCE}`,
      emit: () => {},
    })
    continuity.resume(symbol, { lastId: String(startId - 1), lastTimestamp: after?.lastTimestamp ?? from })
    for await (const page of tradePages(this.#historicalTrades, symbol, startId, Number.POSITIVE_INFINITY, signal)) {
      const accepted: MarketEvent[] = []
      let done = false
      for (const trade of page) {
        // The first trade at or after `to` still goes through: a jump before it is a gap of the range.
        continuity.accept(trade, accepted)
        if (trade.timestamp >= to) {
          done = true
          break
        }
      }
      const out = accepted.filter((event) => event.type !== 'trade' || (event.timestamp >= from && event.timestamp < to))
      if (out.length > 0) yield out
      if (done) return
    }
  }

  /** Klines from `from` (or the bar after `after`) up to `to`, closed bars only. */
  async *bars(request: BarHistoryRequest, signal: AbortSignal): AsyncGenerator<readonly MarketEvent[]> {
    const { symbol, interval, from, to, after } = request
    await this.#exchangeInfo(signal)
    const start = after === undefined ? from : Math.max(from, addBars(interval, after.lastOpenTime, 1))
    for await (const page of klinePages(this.#klines, { symbol, interval, from: start, before: to }, signal)) {
      const out = page.filter((bar) => bar.closed && bar.openTime >= from && bar.openTime < to)
      if (out.length > 0) yield out
      // The kline still open: nothing after it exists yet.
      if (page.some((bar) => !bar.closed)) return
    }
  }

  /** `exchangeInfo`, fetched once (again after a failure); adopts its REST weight limit. */
  #exchangeInfo(signal: AbortSignal): Promise<BinanceExchangeInfo> {
    this.#info ??= fetchExchangeInfo(this.#rest, signal).then(
      (info) => {
        const limit = rateLimitFrom(info.rateLimits, this.#share)
        if (limit !== undefined) this.#rest.setRateLimit(limit)
        return info
      },
      (error: unknown) => {
        this.#info = undefined
        throw error
      },
    )
    return this.#info
  }
}
