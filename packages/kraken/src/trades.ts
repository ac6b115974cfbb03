/**
 * Kraken's trade continuity rule and its recovery endpoint.
 *
 * Rule: v2 `trade_id` is a per-pair sequence number (protocols §2.6), so every
 * trade is checked against the one before it (core's `TradeContinuity`). A
 * jump is a hole wherever it happened: across a reconnect, in an unreadable
 * frame, or on a healthy socket. After a reconnect the resubscription asks for
 * Kraken's trade snapshot (the 50 most recent), which fills short holes by
 * itself (its repeats are dropped as duplicates).
 *
 * Recovery: REST `GET /0/public/Trades` (protocols §2.10), which pages by TIME,
 * not by id: `since` is a nanosecond cursor and every answer carries the next
 * one in `last`. So a hole is fetched from slightly before the last good
 * trade's time; the continuity ignores rows outside the hole and stops paging
 * once the hole is filled. Calls are paced to one per second per pair (Kraken
 * limits `Trades` per IP and pair).
 */
import { decimalToNumber, nowMicros } from '@dccd/core'
import type { Logger, TradeEvent, TradeHistorySource, TradeHole } from '@dccd/core'
import type { RestClient } from '@dccd/transport'
import { createRestClient } from './rest.js'
import { EXCHANGE_ID } from './capabilities.js'
import type { KrakenRestTrade, KrakenTradesResponse } from './wire.js'

/**
 * How far before the last good trade paging starts, µs. REST times (7 decimals, read as a float) and WebSocket
 * times (µs) of one trade can differ by 1 µs, so a millisecond is plenty; rows are filtered by id, so the overlap
 * is harmless. (It was a second: after a busy second the pages allowed ran out before reaching the hole.)
 */
const SINCE_MARGIN_MICROS = 1000
/** Rows in a full `Trades` page. */
const PAGE_ROWS = 1000
/** Pages read beyond what the hole's size needs, for rows before it (many trades in the margin) and ids Kraken skipped. */
const EXTRA_PAGES = 3

/** Where the feed's REST side lives and how to name pairs for it. */
export interface KrakenTradesSourceOptions {
  readonly restUrl: string
  readonly logger: Logger
  /** v2 symbol → REST pair (`AssetPairs.altname`); may fetch, may reject. */
  readonly restPair: (symbol: string, signal: AbortSignal) => Promise<string>
}

/** The history source `TradeContinuity` recovers Kraken holes from. */
export function krakenTradesSource(options: KrakenTradesSourceOptions): TradeHistorySource {
  /** One client per REST pair, each limited to one call per second. */
  const clients = new Map<string, RestClient>()
  const clientFor = (pair: string): RestClient => {
    let client = clients.get(pair)
    if (client === undefined) {
      // Kraken's error body (throttling included) is checked by the client, which retries throttling.
      client = createRestClient(options.restUrl, options.logger, { weight: 1, intervalMs: 1000 })
      clients.set(pair, client)
    }
    return client
  }
  return {
    name: 'GET /0/public/Trades',
    fetch: (hole, signal) => pages(hole, signal, options, clientFor),
  }
}

async function* pages(
  hole: TradeHole,
  signal: AbortSignal,
  options: KrakenTradesSourceOptions,
  clientFor: (pair: string) => RestClient,
): AsyncGenerator<TradeEvent[]> {
  const pair = await options.restPair(hole.symbol, signal)
  const client = clientFor(pair)
  const maxPages = Math.ceil((hole.toId - hole.fromId + 1) / PAGE_ROWS) + EXTRA_PAGES
  let since = microsToNanosString(hole.afterTimestamp - SINCE_MARGIN_MICROS)
  for (let page = 0; page < maxPages; page++) {
    const response = await client.getJson<KrakenTradesResponse>('/0/public/Trades', { query: { pair, since }, signal })
    const rows = rowsOf(response)
    const now = nowMicros()
    yield rows.map((row) => restTradeEvent(hole.symbol, row, now))
    const next = response.result?.last
    // Past the hole, or nothing more to read: the continuity marks whatever is still missing.
    if (rows.length === 0 || rows.at(-1)![6] >= hole.toId || typeof next !== 'string' || next === since) return
    since = next
  }
}

/**
 * One REST row → a trade event. The row's time is a float with 7 decimals;
 * after `JSON.parse` the 7th is beyond what a double holds at today's epoch,
 * so the µs value is the nearest one and may differ by 1 µs from the
 * WebSocket's timestamp for the same trade. Trades are therefore matched by
 * id only, never by time.
 *
 * @throws TypeError for a row of the wrong shape (the recovery then reports its hole as a gap)
 */
export function restTradeEvent(symbol: string, row: KrakenRestTrade, localTimestamp = nowMicros()): TradeEvent {
  if (!Array.isArray(row) || !Number.isSafeInteger(row[6]) || typeof row[2] !== 'number') {
    throw new TypeError(`Not a Kraken REST trade row: ${JSON.stringify(row)?.slice(0, 200)}`)
  }
  const price = decimal(row[0])
  const amount = decimal(row[1])
  if (!(price < Infinity) || !(amount < Infinity)) {
    throw new TypeError(`Kraken REST trade row with an unreadable price or volume: ${JSON.stringify(row).slice(0, 200)}`)
  }
  return {
    type: 'trade',
    exchange: EXCHANGE_ID,
    symbol,
    id: String(row[6]),
    price,
    amount,
    side: row[3] === 'b' ? 'buy' : row[3] === 's' ? 'sell' : 'unknown',
    timestamp: Math.round(row[2] * 1_000_000),
    localTimestamp,
  }
}

/** An unsigned decimal string as Kraken REST writes it (`"30243.40000"`) → number; NaN for anything else (`"0x10"`, `" 1"`). */
function decimal(text: unknown): number {
  return typeof text === 'string' ? decimalToNumber(text) : Number.NaN
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
