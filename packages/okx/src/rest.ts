/**
 * OKX REST: the client and the endpoints the adapter calls.
 * TODO(new adapter): real paths, weights and the exchange's rate limit (`rateLimit` of the client).
 */
import type { Logger } from '@dccd/core'
import { RestClient } from '@dccd/transport'
import { EXCHANGE_ID } from './capabilities.js'
import type { OKXRestTrade } from './wire.js'

/** Most rows one `GET /api/trades` returns. */
export const MAX_TRADES_PER_PAGE = 1000

/** The feed's REST client. */
export function createRestClient(restUrl: string, logger: Logger): RestClient {
  return new RestClient({ baseUrl: restUrl, exchange: EXCHANGE_ID, logger })
}

/** `GET /api/symbols`: every symbol the exchange lists. */
export function fetchSymbols(client: RestClient, signal: AbortSignal): Promise<string[]> {
  return client.getJson<string[]>('/api/symbols', { signal })
}

/** `GET /api/trades`: up to `limit` trades of `symbol` from `fromId` (inclusive), ascending. */
export function fetchTrades(client: RestClient, symbol: string, fromId: number, limit: number, signal: AbortSignal): Promise<OKXRestTrade[]> {
  return client.getJson<OKXRestTrade[]>('/api/trades', { query: { symbol, fromId, limit }, signal })
}
