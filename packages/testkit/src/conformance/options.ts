import type { Channel, ExchangeAdapter } from '@dccd/core'
import type { FakeExchange } from '../fake-exchange.js'
import type { ReplayOptions } from '../replay.js'
import type { SessionFrame } from '../session.js'
import type { ContinuityRules } from './continuity-options.js'

/** Options of {@link runAdapterConformance} and {@link conformanceClauses}. */
export interface ConformanceOptions {
  /** Replay file for this adapter (a path, a `file:` URL, or frames already loaded); trades and book at least. */
  session: URL | string | readonly SessionFrame[]
  /**
   * Every symbol the session carries data for, in the exchange's notation (the replay sends all
   * of them whatever the feed subscribed to). Each needs a book in the session when the adapter
   * offers books; the session needs at least one trade when it offers trades. The first symbol
   * is the one the forced-disconnect clause watches.
   */
  symbols: string[]
  /** A well-formed symbol the exchange does not list. */
  unknownSymbol: string
  /** A symbol the adapter rejects by format alone. */
  malformedSymbol: string
  /** Extra options passed to every `createFeed` (the suite's own URL, symbol and channel options win). */
  feedOptions?: Record<string, unknown>
  /** Extra routes or behaviour on each case's fake exchange (exchangeInfo, AssetPairs…). */
  setup?: (fx: FakeExchange) => void | Promise<void>
  /** Appended to the fake exchange's `ws://127.0.0.1:PORT` to form `wsUrl`. Default `''`. */
  wsPath?: string
  /** Channels to stream. Default: every kind the descriptor offers, bars at its first interval. */
  channels?: Channel[]
  /**
   * How each case replays the session. Default `{}`: as fast as possible, pausing at each `out`
   * line until the client has sent that many messages (pass `waitForClient: false` when the
   * adapter sends fewer messages than the capture recorded).
   */
  replay?: ReplayOptions
  /** Longest wait for any one expected event, ms. Default 10000. */
  timeoutMs?: number
  /**
   * The venue's continuity rules (book deltas, trade ids, how a resync is answered, rotation),
   * which the continuity clauses use to cut holes into the session. Clauses whose rules are not
   * declared are named skips. See {@link ContinuityRules}.
   */
  continuity?: ContinuityRules
}

/** Options with defaults applied. */
export interface ResolvedConformanceOptions extends ConformanceOptions {
  wsPath: string
  channels: Channel[]
  timeoutMs: number
  continuity: ContinuityRules
}

export function resolveOptions(exchange: ExchangeAdapter, options: ConformanceOptions): ResolvedConformanceOptions {
  const channels =
    options.channels ??
    exchange.channels.flatMap((kind): Channel[] => {
      if (kind !== 'bars') return [kind]
      const interval = exchange.barIntervals[0]
      return interval === undefined ? [] : [`bars:${interval}`]
    })
  return {
    ...options,
    wsPath: options.wsPath ?? '',
    channels,
    timeoutMs: options.timeoutMs ?? 10_000,
    continuity: options.continuity ?? {},
  }
}
