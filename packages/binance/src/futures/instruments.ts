/**
 * `instruments()` of the futures adapters: every contract `exchangeInfo`
 * lists (`GET /fapi/v1/exchangeInfo`, `GET /dapi/v1/exchangeInfo`, weight 1),
 * as core's `Instrument`: perpetual or future (`contractType`; delivery time
 * from `deliveryDate`), base, quote and settlement asset, and on COIN-M the
 * contract size in USD that turns an amount of contracts into money.
 * https://developers.binance.com/docs/derivatives/usds-margined-futures/market-data/rest-api/Exchange-Information
 * https://developers.binance.com/docs/derivatives/coin-margined-futures/market-data/rest-api/Exchange-Information
 */
import { silentLogger, urlOption } from '@dccd/core'
import type { Instrument, InstrumentsOptions } from '@dccd/core'
import type { BinanceMarket } from '../market.js'
import { DEFAULT_REST_WEIGHT_SHARE } from '../options.js'
import { invalid } from '../parse-fields.js'
import { createRestClient, fallbackRateLimit, fetchExchangeInfo } from '../rest.js'
import type { BinanceFuturesSymbol } from './wire.js'

/** `deliveryDate` of perpetuals: 2100-12-25, ms. Anything from then on has no expiry. */
const PERPETUAL_DELIVERY_DATE = 4_133_404_800_000

/**
 * The market's instruments, from one `exchangeInfo` request.
 *
 * @throws InvalidArgumentError for a bad `restUrl`; rejects with the request's error, or a TypeError for a body of the wrong shape
 */
export async function listInstruments(market: BinanceMarket, options: InstrumentsOptions = {}): Promise<Instrument[]> {
  const restUrl = urlOption('restUrl', options.restUrl, market.production.restUrl, ['http:', 'https:'], market.endpointPaths)
  const rateLimit = fallbackRateLimit(DEFAULT_REST_WEIGHT_SHARE, market.rest.fallbackWeightPerMinute)
  const rest = createRestClient(restUrl, rateLimit, options.logger ?? silentLogger, market.id)
  const body = await fetchExchangeInfo<unknown>(rest, options.signal ?? new AbortController().signal, market.rest)
  return instrumentsFrom(body, market)
}

/** An `exchangeInfo` body → instruments. @throws TypeError when it has no `symbols` list of contracts */
export function instrumentsFrom(body: unknown, market: BinanceMarket): Instrument[] {
  const symbols = (body as { symbols?: unknown } | null)?.symbols
  if (!Array.isArray(symbols)) invalid('exchangeInfo symbols', symbols)
  return (symbols as BinanceFuturesSymbol[]).map((entry) => instrumentOf(entry, market))
}

function instrumentOf(entry: BinanceFuturesSymbol, market: BinanceMarket): Instrument {
  const { symbol, baseAsset, quoteAsset, marginAsset, contractType, deliveryDate, contractSize } = entry ?? {}
  if (typeof symbol !== 'string' || typeof baseAsset !== 'string' || typeof quoteAsset !== 'string') {
    invalid('exchangeInfo symbol entry', entry)
  }
  const delivery = typeof deliveryDate === 'number' && deliveryDate > 0 && deliveryDate < PERPETUAL_DELIVERY_DATE ? deliveryDate : undefined
  const perpetual = (contractType ?? '').includes('PERPETUAL') || delivery === undefined
  const amountUnit = market.market?.amountUnit === 'contracts' ? 'contracts' : 'base'
  const instrument: { -readonly [K in keyof Instrument]: Instrument[K] } = {
    symbol,
    type: perpetual ? 'perpetual' : 'future',
    base: baseAsset,
    quote: quoteAsset,
    amountUnit,
  }
  if (typeof marginAsset === 'string') instrument.settle = marginAsset
  const status = entry.status ?? entry.contractStatus
  if (status !== undefined && status !== 'TRADING') instrument.trading = false
  if (!perpetual) instrument.expiry = delivery! * 1000
  if (amountUnit === 'contracts') {
    if (!(typeof contractSize === 'number' && contractSize > 0)) invalid(`${symbol} contractSize`, contractSize)
    instrument.contractSize = contractSize
    // COIN-M contracts are worth a fixed amount of the quote currency (USD).
    instrument.contractUnit = quoteAsset
  }
  return instrument
}
