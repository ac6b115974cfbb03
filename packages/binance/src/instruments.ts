/**
 * `instruments()` of Binance spot: every pair `GET /api/v3/exchangeInfo`
 * lists (weight 20), as core's `Instrument`: symbol, base and quote asset,
 * amounts in the base asset, and `trading: false` for a pair whose `status`
 * is not `TRADING` (`BREAK` marks the delisted ones Binance still lists).
 * https://developers.binance.com/docs/binance-spot-api-docs/rest-api/general-endpoints#exchange-information
 */
import { silentLogger, urlOption } from '@dccd/core'
import type { Instrument, InstrumentsOptions } from '@dccd/core'
import { DEFAULT_REST_WEIGHT_SHARE } from './options.js'
import { invalid } from './parse-fields.js'
import { createRestClient, fallbackRateLimit, fetchExchangeInfo } from './rest.js'
import { SPOT_MARKET } from './spot.js'

/**
 * Binance spot's pairs, from one `exchangeInfo` request, in the order Binance lists them.
 *
 * @throws InvalidArgumentError for a bad `restUrl`; rejects with the request's error, or a TypeError for a body of the wrong shape
 */
export async function listSpotInstruments(options: InstrumentsOptions = {}): Promise<Instrument[]> {
  const market = SPOT_MARKET
  const restUrl = urlOption('restUrl', options.restUrl, market.production.restUrl, ['http:', 'https:'], market.endpointPaths)
  const rateLimit = fallbackRateLimit(DEFAULT_REST_WEIGHT_SHARE, market.rest.fallbackWeightPerMinute)
  const rest = createRestClient(restUrl, rateLimit, options.logger ?? silentLogger, market.id)
  const body = await fetchExchangeInfo<unknown>(rest, options.signal ?? new AbortController().signal, market.rest)
  return spotInstrumentsFrom(body)
}

/** An `exchangeInfo` body → instruments. @throws TypeError when it has no `symbols` list of pairs */
export function spotInstrumentsFrom(body: unknown): Instrument[] {
  const symbols = (body as { symbols?: unknown } | null)?.symbols
  if (!Array.isArray(symbols)) invalid('exchangeInfo symbols', symbols)
  return (symbols as unknown[]).map((entry) => {
    const { symbol, status, baseAsset, quoteAsset } = (entry ?? {}) as { symbol?: unknown; status?: unknown; baseAsset?: unknown; quoteAsset?: unknown }
    if (typeof symbol !== 'string' || typeof baseAsset !== 'string' || typeof quoteAsset !== 'string') invalid('exchangeInfo symbol entry', entry)
    const instrument: Instrument = { symbol, type: 'spot', base: baseAsset, quote: quoteAsset, amountUnit: 'base' }
    return status === undefined || status === 'TRADING' ? instrument : { ...instrument, trading: false }
  })
}
