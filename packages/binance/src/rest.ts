/**
 * Binance REST: the client (typed errors), exchangeInfo and depth snapshots.
 * See https://developers.binance.com/docs/binance-spot-api-docs/rest-api/market-data-endpoints
 */
import { ExchangeError } from '@dccd/core'
import type { Logger } from '@dccd/core'
import { RestClient } from '@dccd/transport'
import { checkDepthSnapshot } from './parse.js'
import { EXCHANGE_ID } from './symbols.js'
import { EXCHANGE_INFO_WEIGHT, HISTORICAL_TRADES_WEIGHT, snapshotWeight } from './weight.js'
import type { BinanceDepthSnapshot, BinanceErrorBody, BinanceExchangeInfo, BinanceHistoricalTrade } from './wire.js'

/**
 * A Binance error body (`{"code":-1121,"msg":"Invalid symbol."}`) → `ExchangeError`
 * with `exchangeCode` -1121 and the HTTP status; undefined for other bodies.
 */
export function binanceRestError(status: number, body: unknown): ExchangeError | undefined {
  if (typeof body !== 'object' || body === null) return undefined
  const { code, msg } = body as Partial<BinanceErrorBody>
  if (typeof code !== 'number' || typeof msg !== 'string') return undefined
  return new ExchangeError(EXCHANGE_ID, code, msg, { status })
}

/** The REST client the feed uses; `onUsedWeight` sees every used-weight header value. */
export function createBinanceRestClient(options: {
  restUrl: string
  logger: Logger
  usedWeightHeader: () => string
  onUsedWeight: (used: number) => void
}): RestClient {
  return new RestClient({
    baseUrl: options.restUrl,
    exchange: EXCHANGE_ID,
    logger: options.logger,
    parseError: binanceRestError,
    onResponse: (response) => {
      const used = response.headers.get(options.usedWeightHeader())
      if (used !== null) options.onUsedWeight(Number(used))
    },
  })
}

/** `GET /api/v3/exchangeInfo` (weight 20): every symbol plus the rate limits. */
export function fetchExchangeInfo(client: RestClient, signal: AbortSignal): Promise<BinanceExchangeInfo> {
  return client.getJson<BinanceExchangeInfo>('/api/v3/exchangeInfo', { weight: EXCHANGE_INFO_WEIGHT, signal })
}

/** `GET /api/v3/historicalTrades?symbol=…&fromId=…&limit=…` (weight 25): trades from `fromId` (inclusive), ascending. */
export function fetchHistoricalTrades(
  client: RestClient,
  symbol: string,
  fromId: number,
  limit: number,
  signal: AbortSignal,
): Promise<BinanceHistoricalTrade[]> {
  return client.getJson<BinanceHistoricalTrade[]>('/api/v3/historicalTrades', {
    query: { symbol, fromId, limit },
    weight: HISTORICAL_TRADES_WEIGHT,
    signal,
  })
}

/** `GET /api/v3/depth?symbol=…&limit=…`; rejects with a TypeError for a body of the wrong shape (see `checkDepthSnapshot`). */
export function fetchDepthSnapshot(
  client: RestClient,
  symbol: string,
  limit: number,
  signal: AbortSignal,
): Promise<BinanceDepthSnapshot> {
  return client
    .getJson<unknown>('/api/v3/depth', {
      query: { symbol, limit },
      weight: snapshotWeight(limit),
      signal,
    })
    .then(checkDepthSnapshot)
}
