/**
 * OKX REST: the client and the endpoints the adapter calls. Every answer is
 * `{ code, msg, data }`; a `code` other than `"0"` is OKX refusing the
 * request (an unknown instrument, a bad parameter), never data.
 * Rate limits are per endpoint and IP: 20 requests per 2 s for each
 * endpoint used here, so one budget of 20 per 2 s keeps every one of them
 * within bounds.
 * https://www.okx.com/docs-v5/en/#public-data-rest-api-get-instruments
 * https://www.okx.com/docs-v5/en/#order-book-trading-market-data-get-trades-history
 * https://www.okx.com/docs-v5/en/#order-book-trading-market-data-get-candlesticks-history
 */
import { ExchangeError } from '@dccd/core'
import type { Logger } from '@dccd/core'
import { RestClient } from '@dccd/transport'
import { EXCHANGE_ID } from './capabilities.js'
import type { OkxInstType } from './capabilities.js'
import type { OkxCandle, OkxInstrument, OkxRestBody, OkxTrade } from './wire.js'

/** Most rows one `history-trades` or `history-candles` page returns. */
export const MAX_ROWS_PER_PAGE = 100

/** OKX's limit for each endpoint used here: requests per 2 s per IP. */
export const REQUESTS_PER_2S = 20

/**
 * The feed's REST client.
 *
 * @param requestsPer2s the budget (tests of a simulated OKX raise it; production keeps OKX's)
 */
export function createRestClient(restUrl: string, logger: Logger, requestsPer2s = REQUESTS_PER_2S): RestClient {
  return new RestClient({ baseUrl: restUrl, exchange: EXCHANGE_ID, logger, rateLimit: { weight: requestsPer2s, intervalMs: 2000 } })
}

/** `GET /api/v5/public/instruments?instType=…`: every instrument of one type OKX lists. */
export function fetchInstruments(client: RestClient, instType: OkxInstType, signal: AbortSignal): Promise<readonly OkxInstrument[]> {
  return okxGet<OkxInstrument>(client, '/api/v5/public/instruments', { instType }, signal)
}

/**
 * `GET /api/v5/market/history-trades?type=1&after=…`: up to `limit` trades of `instId` with
 * `tradeId` below `after`, newest first.
 */
export function fetchTradesBefore(client: RestClient, instId: string, after: string, signal: AbortSignal): Promise<readonly OkxTrade[]> {
  return okxGet<OkxTrade>(client, '/api/v5/market/history-trades', { instId, type: 1, after, limit: MAX_ROWS_PER_PAGE }, signal)
}

/** `GET /api/v5/market/history-trades?type=2&after=…`: up to 100 trades of `instId` before `afterMs` (exclusive), newest first. */
export function fetchTradesBeforeTime(client: RestClient, instId: string, afterMs: number, signal: AbortSignal): Promise<readonly OkxTrade[]> {
  return okxGet<OkxTrade>(client, '/api/v5/market/history-trades', { instId, type: 2, after: afterMs, limit: MAX_ROWS_PER_PAGE }, signal)
}

/**
 * `GET /api/v5/market/history-candles?bar=…&after=…&before=…`: up to 100 candles of `instId`
 * opening after `before` and before `after` (ms, both exclusive), newest first.
 */
export function fetchCandles(
  client: RestClient,
  query: { readonly instId: string; readonly bar: string; readonly after: number; readonly before: number },
  signal: AbortSignal,
): Promise<readonly OkxCandle[]> {
  return okxGet<OkxCandle>(client, '/api/v5/market/history-candles', { ...query, limit: MAX_ROWS_PER_PAGE }, signal)
}

async function okxGet<T>(client: RestClient, path: string, query: Record<string, string | number>, signal: AbortSignal): Promise<readonly T[]> {
  const body = await client.getJson<OkxRestBody<T>>(path, { query, signal })
  if (typeof body !== 'object' || body === null || !Array.isArray(body.data)) {
    throw new TypeError(`${path} answered ${(JSON.stringify(body) ?? String(body)).slice(0, 100)}`)
  }
  if (body.code !== '0') throw new ExchangeError(EXCHANGE_ID, body.code, `${path} refused: ${body.msg}`)
  return body.data
}
