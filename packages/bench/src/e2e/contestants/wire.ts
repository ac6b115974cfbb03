/**
 * The exchange protocol as a hand-rolled `ws` client speaks it: where to
 * connect, what to subscribe, and which frames are data (not acks).
 */
import type { ContestantSpec } from './run.js'
import { KRAKEN_DEPTH } from '../kraken-depth-book.js'

/** One socket a client opens: its URL and the requests it sends once open. */
export interface WireConnection {
  readonly url: string
  readonly requests: readonly string[]
}

/** What any data or control frame of the four exchanges may carry that tells them apart. */
export interface WireMessage {
  /** Binance's combined-stream envelope. */
  readonly stream?: unknown
  /** Kraken v2. */
  readonly channel?: unknown
  /** OKX: the subscription a push (or an ack, with `event`) names. */
  readonly arg?: unknown
  readonly event?: unknown
}

/**
 * The sockets a client opens for the session, with what each subscribes:
 * - Binance spot: one combined-stream URL with every stream (trades and depth per symbol);
 * - Binance USDⓈ-M: streams are routed by path, `/public/stream` for depth, `/market/stream` for `@aggTrade`;
 * - Kraken v2: `/v2`, book at the session's depth and trades for every symbol, and `instrument` first
 *   when the client needs the precisions (to verify checksums);
 * - OKX v5: `/ws/v5/public`, one `subscribe` with `books` and `trades` per instrument.
 */
export function wireConnections(spec: ContestantSpec, instrument = false): WireConnection[] {
  const lower = spec.symbols.map((s) => s.toLowerCase())
  const combined = (path: string, streams: string[]): WireConnection => ({ url: `${spec.wsUrl}${path}?streams=${streams.join('/')}`, requests: [] })
  switch (spec.exchange) {
    case 'binance':
      return [combined('/stream', lower.flatMap((s) => [`${s}@trade`, `${s}@depth@100ms`]))]
    case 'binance-futures':
      return [combined('/public/stream', lower.map((s) => `${s}@depth@100ms`)), combined('/market/stream', lower.map((s) => `${s}@aggTrade`))]
    case 'kraken': {
      const symbol = [...spec.symbols]
      const requests = [
        ...(instrument ? [{ method: 'subscribe', params: { channel: 'instrument', snapshot: true }, req_id: 1 }] : []),
        { method: 'subscribe', params: { channel: 'book', symbol, depth: KRAKEN_DEPTH, snapshot: true }, req_id: 2 },
        { method: 'subscribe', params: { channel: 'trade', symbol, snapshot: false }, req_id: 3 },
      ]
      return [{ url: `${spec.wsUrl}/v2`, requests: requests.map((request) => JSON.stringify(request)) }]
    }
    case 'okx': {
      const args = spec.symbols.flatMap((instId) => [
        { channel: 'books', instId },
        { channel: 'trades', instId },
      ])
      return [{ url: `${spec.wsUrl}/ws/v5/public`, requests: [JSON.stringify({ op: 'subscribe', args })] }]
    }
  }
}

/**
 * A data frame (as opposed to an ack, `status` or `instrument` answer): Binance's combined-stream
 * envelope, Kraken's book, trade and heartbeat, OKX's pushes (an `arg` without an `event`).
 */
export function isDataFrame(message: WireMessage): boolean {
  return (
    message.stream !== undefined ||
    message.channel === 'book' ||
    message.channel === 'trade' ||
    message.channel === 'heartbeat' ||
    (message.arg !== undefined && message.event === undefined)
  )
}
