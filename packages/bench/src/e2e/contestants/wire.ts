/**
 * The exchange protocol as a hand-rolled `ws` client speaks it: where to
 * connect, what to subscribe, and which frames are data (not acks).
 */
import type { ContestantSpec } from './run.js'
import { KRAKEN_DEPTH } from '../kraken-depth-book.js'

/** Binance: one combined-stream URL with every stream (trades and depth per symbol); Kraken: the v2 endpoint. */
export function socketUrl(spec: ContestantSpec): string {
  if (spec.exchange === 'kraken') return `${spec.wsUrl}/v2`
  const streams = spec.symbols.flatMap((s) => [`${s.toLowerCase()}@trade`, `${s.toLowerCase()}@depth@100ms`])
  return `${spec.wsUrl}/stream?streams=${streams.join('/')}`
}

/**
 * Kraken's subscribe requests (Binance subscribes through the URL): book at
 * the session's depth and trades for every symbol, and `instrument` first
 * when the client needs the precisions (to verify checksums).
 */
export function subscribeRequests(spec: ContestantSpec, instrument: boolean): string[] {
  if (spec.exchange !== 'kraken') return []
  const symbol = [...spec.symbols]
  return [
    ...(instrument ? [{ method: 'subscribe', params: { channel: 'instrument', snapshot: true }, req_id: 1 }] : []),
    { method: 'subscribe', params: { channel: 'book', symbol, depth: KRAKEN_DEPTH, snapshot: true }, req_id: 2 },
    { method: 'subscribe', params: { channel: 'trade', symbol, snapshot: false }, req_id: 3 },
  ].map((request) => JSON.stringify(request))
}

/** A data frame (as opposed to an ack, `status` or `instrument` answer): Binance's combined-stream envelope, Kraken's book, trade and heartbeat. */
export function isDataFrame(message: { stream?: unknown; channel?: unknown }): boolean {
  return message.stream !== undefined || message.channel === 'book' || message.channel === 'trade' || message.channel === 'heartbeat'
}
