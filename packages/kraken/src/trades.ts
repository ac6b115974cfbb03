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
 * once the hole is filled. Calls are paced to one per second per pair, together
 * with `OHLC` (Kraken limits both per IP and pair; `KrakenRest`). The same
 * paging serves the history download (history.ts).
 */
import { decimalToNumber, nowMicros } from '@dccd/core'
import type { TradeEvent, TradeHistorySource, TradeHole } from '@dccd/core'
import type { RestClient } from '@dccd/transport'
import { EXCHANGE_ID } from './capabilities.js'
import type { KrakenRest } from './rest.js'
import type { KrakenRestTrade, KrakenTradesResponse } from './wire.js'

/** The endpoint, as gap reasons name it. */
export const TRADES_ENDPOINT = 'GET /0/public/Trades'

/**
 * How far before the last good trade paging starts, µs. REST times (7 decimals, read as a float) and WebSocket
 * times (µs) of one trade can differ by 1 µs, so a millisecond is plenty; rows are filtered by id, so the overlap
 * is harmless. (It was a second: after a busy second the pages allowed ran out before reaching the hole.)
 */
export const SINCE_MARGIN_MICROS = 1000
/** Rows in a full `Trades` page. */
const PAGE_ROWS = 1000
/** Pages read beyond what the hole's size needs, for rows before it (many trades in the margin) and ids Kraken skipped. */
const EXTRA_PAGES = 3

/** The history source `TradeContinuity` recovers Kraken holes from (pairs paced by `rest`, shared with OHLC). */
export function krakenTradesSource(rest: KrakenRest): TradeHistorySource {
  return {
    name: TRADES_ENDPOINT,
    fetch: (hole, signal) => holePages(rest, hole, signal),
  }
}

async function* holePages(rest: KrakenRest, hole: TradeHole, signal: AbortSignal): AsyncGenerator<TradeEvent[]> {
  const { pair, client } = await rest.pair(hole.symbol, signal)
  const maxPages = Math.ceil((hole.toId - hole.fromId + 1) / PAGE_ROWS) + EXTRA_PAGES
  let page = 0
  for await (const rows of tradePages(client, pair, hole.afterTimestamp - SINCE_MARGIN_MICROS, signal)) {
    const now = nowMicros()
    yield rows.map((row) => restTradeEvent(hole.symbol, row, now))
    // Past the hole, or the pages allowed are spent: the continuity marks whatever is still missing.
    if (rows.at(-1)![6] >= hole.toId || ++page >= maxPages) return
  }
}

/**
 * `GET /0/public/Trades` for one pair, page after page, from `sinceMicros` on:
 * each page holds the rows not returned before (by id), ascending. Ends once
 * Kraken has nothing newer. The engine of both live recovery and the history
 * download.
 *
 * Kraken pages by time: rows after `since` (ns), and `last`, the time of the
 * last row, as the next cursor. Several trades can share one time (the fills
 * of one taker order), and a page can end among them; asking from exactly
 * `last` would then skip the rest of them. So the next page starts 1 ns
 * before `last`, and rows already returned are dropped by id. A page that
 * brings nothing new ends the paging, unless it is full (a tie longer than a
 * page): then the cursor steps to `last` itself.
 */
export async function* tradePages(client: RestClient, pair: string, sinceMicros: number, signal: AbortSignal): AsyncGenerator<KrakenRestTrade[]> {
  let since = BigInt(microsToNanosString(sinceMicros))
  let lastId = -1
  for (;;) {
    const response = await client.getJson<KrakenTradesResponse>('/0/public/Trades', { query: { pair, since: String(since) }, signal })
    const rows = rowsOf(response)
    // Only rows known to be repeats are dropped: a malformed one goes on, to fail where it is read.
    const fresh = rows.filter((row) => !(Array.isArray(row) && row[6] <= lastId))
    for (const row of fresh) if (Array.isArray(row) && row[6] > lastId) lastId = row[6]
    if (fresh.length > 0) yield fresh
    const last = cursorOf(response.result?.last)
    if (rows.length === 0 || last === undefined) return
    if (fresh.length > 0) since = last - 1n > since ? last - 1n : since + 1n
    // Nothing new in a page that is not full: only the trades at `last` came back, so nothing is newer.
    else if (rows.length < PAGE_ROWS || last <= since) return
    else since = last
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

/** `last` as a ns cursor, undefined when it is no integer string. */
function cursorOf(last: unknown): bigint | undefined {
  return typeof last === 'string' && /^\d{1,25}$/.test(last) ? BigInt(last) : undefined
}

/** µs → the ns string Kraken's `since` takes (ns exceed 2^53, so no multiplication in floats). */
export function microsToNanosString(micros: number): string {
  return micros > 0 ? `${Math.trunc(micros)}000` : '0'
}
