/**
 * Fetching a trade-id hole from REST `GET /0/public/Trades` (protocols §2.10).
 *
 * Kraken pages that endpoint by TIME, not by id: `since` is a nanosecond
 * cursor and every answer carries the next one in `last`. So a hole is
 * fetched from slightly before the last good trade's time, rows at or below
 * the last good id are dropped, and paging stops at the first id the feed
 * already holds. Calls are paced to one per second per pair (Kraken limits
 * `Trades` per IP and pair).
 */
import { nowMicros } from '@dccd/core'
import type { Logger, TradeEvent } from '@dccd/core'
import type { RestClient } from '@dccd/transport'
import { krakenRestClient } from './rest.js'
import type { RecoveryRequest } from './trade-continuity.js'
import type { KrakenTradesResponse, KrakenRestTrade } from './wire.js'

const EXCHANGE = 'kraken'
/** How far before the last good trade paging starts, µs: rows are filtered by id, so any overlap is harmless. */
const SINCE_MARGIN_MICROS = 1_000_000
/** Pages (up to 1000 trades each) one recovery may read before reporting the rest as a gap. */
export const MAX_RECOVERY_PAGES = 20

/** What a recovery found: trades inside the hole and, when it stopped early, why. */
export interface RecoveryResult {
  readonly trades: TradeEvent[]
  readonly failure?: string
}

/** Where the feed's REST side lives and how to name pairs for it. */
export interface TradeRecoveryOptions {
  readonly restUrl: string
  readonly logger: Logger
  /** v2 symbol → REST pair (`AssetPairs.altname`); may fetch, may reject. */
  readonly restPair: (symbol: string) => Promise<string>
  readonly signal: AbortSignal
}

export class TradeRecovery {
  readonly #options: TradeRecoveryOptions
  /** One client per REST pair, each limited to one call per second. */
  readonly #clients = new Map<string, RestClient>()

  constructor(options: TradeRecoveryOptions) {
    this.#options = options
  }

  /** Fetches ids `request.fromId`..`request.toId`; never throws (a failure comes back in the result). */
  async fetch(request: RecoveryRequest): Promise<RecoveryResult> {
    const trades: TradeEvent[] = []
    try {
      const pair = await this.#options.restPair(request.symbol)
      const client = this.#client(pair)
      let since = microsToNanosString(request.sinceMicros - SINCE_MARGIN_MICROS)
      for (let page = 0; page < MAX_RECOVERY_PAGES; page++) {
        const response = await client.getJson<KrakenTradesResponse>('/0/public/Trades', {
          query: { pair, since },
          signal: this.#options.signal,
        })
        const rows = rowsOf(response)
        let reached = false
        for (const row of rows) {
          const id = row[6]
          if (id > request.toId) reached = true
          else if (id >= request.fromId) trades.push(restTradeEvent(request.symbol, row))
        }
        const next = response.result?.last
        if (reached || rows.length === 0 || typeof next !== 'string' || next === since) return { trades }
        since = next
      }
      return { trades, failure: `REST Trades: stopped after ${MAX_RECOVERY_PAGES} pages` }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      if (!this.#options.signal.aborted) this.#options.logger.warn('kraken trade recovery failed', { symbol: request.symbol, error: message })
      return { trades, failure: `REST Trades failed: ${message}` }
    }
  }

  #client(pair: string): RestClient {
    let client = this.#clients.get(pair)
    if (client === undefined) {
      // Kraken's error body (throttling included) is checked by the client, which retries throttling.
      client = krakenRestClient(this.#options.restUrl, this.#options.logger, {
        rateLimit: { weight: 1, intervalMs: 1000 },
        initialBackoffMs: 1000,
      })
      this.#clients.set(pair, client)
    }
    return client
  }
}

/**
 * One REST row → a trade event. The row's time is a float with 7 decimals;
 * after `JSON.parse` the 7th is beyond what a double holds at today's epoch,
 * so the µs value is the nearest one and may differ by 1 µs from the
 * WebSocket's timestamp for the same trade. Trades are therefore matched by
 * id only, never by time.
 */
export function restTradeEvent(symbol: string, row: KrakenRestTrade): TradeEvent {
  return {
    type: 'trade',
    exchange: EXCHANGE,
    symbol,
    id: String(row[6]),
    price: Number(row[0]),
    amount: Number(row[1]),
    side: row[3] === 'b' ? 'buy' : row[3] === 's' ? 'sell' : 'unknown',
    timestamp: Math.round(row[2] * 1_000_000),
    localTimestamp: nowMicros(),
  }
}

/** The one pair array of a response (its key is Kraken's REST pair key, e.g. `XXBTZUSD`, not the name sent). */
function rowsOf(response: KrakenTradesResponse): KrakenRestTrade[] {
  for (const [key, value] of Object.entries(response.result ?? {})) if (key !== 'last' && Array.isArray(value)) return value
  return []
}

/** µs → the ns string Kraken's `since` takes (ns exceed 2^53, so no multiplication in floats). */
function microsToNanosString(micros: number): string {
  return micros > 0 ? `${Math.trunc(micros)}000` : '0'
}
