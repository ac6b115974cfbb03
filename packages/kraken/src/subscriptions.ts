/**
 * Options → Kraken v2 request frames (pure). `snapshot` is always sent
 * explicitly: Kraken's two doc sites disagree on its default (protocols §0.10).
 */
import type { KrakenRequest } from './wire.js'

/** What one feed subscribes to, validated. */
export interface KrakenSubscriptionPlan {
  readonly symbols: readonly string[]
  readonly trades: boolean
  /** Book depth, or 0 for no book. */
  readonly bookDepth: number
  /** `ohlc` intervals in minutes. */
  readonly barMinutes: readonly number[]
}

/**
 * The `instrument` subscription. It takes no symbol filter: the snapshot lists
 * every pair, with the precisions the book checksum needs.
 */
export function instrumentRequest(reqId: number): KrakenRequest {
  return { method: 'subscribe', params: { channel: 'instrument', snapshot: true }, req_id: reqId }
}

/**
 * The data subscriptions for a plan, one request per channel (and interval),
 * each listing every symbol. Request ids are `firstReqId`, `firstReqId + 1`, ….
 *
 * @param tradeSnapshot ask for the 50 most recent trades: on a first
 *   subscription only when the user wants them (a recorder would store them
 *   again on every start); after a reconnect to fill what was missed
 */
export function dataRequests(plan: KrakenSubscriptionPlan, firstReqId: number, tradeSnapshot = false): KrakenRequest[] {
  const symbol = [...plan.symbols]
  const requests: KrakenRequest[] = []
  let reqId = firstReqId
  if (plan.bookDepth > 0) requests.push(bookRequest('subscribe', symbol, plan.bookDepth, reqId++))
  if (plan.trades) {
    requests.push({ method: 'subscribe', params: { channel: 'trade', symbol, snapshot: tradeSnapshot }, req_id: reqId++ })
  }
  for (const interval of plan.barMinutes) {
    // The candle snapshot gives the current candle's values so far (absolute, so never double counted).
    requests.push({ method: 'subscribe', params: { channel: 'ohlc', symbol, interval, snapshot: true }, req_id: reqId++ })
  }
  return requests
}

/**
 * A book subscribe or unsubscribe for some symbols. The depth goes into the
 * unsubscribe too, since a book subscription is keyed by it.
 */
export function bookRequest(
  method: 'subscribe' | 'unsubscribe',
  symbols: string[],
  depth: number,
  reqId: number,
): KrakenRequest {
  const params =
    method === 'subscribe'
      ? { channel: 'book' as const, symbol: symbols, depth, snapshot: true }
      : { channel: 'book' as const, symbol: symbols, depth }
  return { method, params, req_id: reqId }
}
