/**
 * OKX's trade continuity rule and its recovery endpoint.
 *
 * Rule: OKX's `tradeId` is per instrument and increasing; it is not documented
 * as consecutive, but fills are numbered one by one in practice (the 2022
 * capture: +1 per trade on both instruments; REST history lists every fill).
 * The `trades` channel aggregates the fills of one taker order at one price
 * into one row (`count`), taken to end at its `tradeId` (./aggregates.ts), so
 * a row stands for fills `tradeId - count + 1 .. tradeId`. Each row is checked
 * against the one before it (core's `TradeContinuity` with `ids: 'checked'`):
 * an id at or below the last is a duplicate and dropped; a row whose first fill
 * is not the next one is a suspected hole — whether it opened across a
 * reconnect, in an unreadable frame or on a healthy socket — and the history
 * decides: what it returns in between goes out in order, and if it returns
 * nothing in between, nothing was missing (no gap, no false alarm). A symbol
 * whose numbering turns out to skip (20 empty checks in a row) is then checked
 * only after interruptions, so a change on OKX's side cannot cost a request per
 * row.
 * https://www.okx.com/docs-v5/en/#order-book-trading-market-data-ws-trades-channel
 *
 * Recovery: `GET /api/v5/market/history-trades?type=1&after=<tradeId>` pages
 * backwards by id (newest first, 100 a page). A hole `from..to` (between the
 * last trade before the break and the first after it) is read from just above
 * `to` down until a trade below `from` shows the page run reached the last
 * trade received; then its trades go out in id order, and the first live
 * trade, returned too, proves nothing lies beyond them. If OKX's history
 * ends before that (it keeps about three months), nothing is emitted for the
 * hole: it is one `gap` naming the ids and the times OKX's history stops at.
 */
import { microsToIso, nowMicros } from '@dccd/core'
import type { TradeEvent, TradeHistorySource, TradeHole } from '@dccd/core'
import type { RestClient } from '@dccd/transport'
import { tradeRows } from './parse.js'
import { fetchTradesBefore } from './rest.js'

/** Names the endpoint in gap reasons. */
export const TRADE_HISTORY = 'GET /api/v5/market/history-trades'

/** The history source `MarketFeed` recovers holes from. */
export function tradeHistory(client: RestClient): TradeHistorySource {
  return { name: TRADE_HISTORY, fetch: (hole, signal) => recover(client, hole, signal) }
}

async function* recover(client: RestClient, hole: TradeHole, signal: AbortSignal): AsyncGenerator<TradeEvent[]> {
  const found: TradeEvent[] = []
  // `after` is exclusive: start one above the first live trade (to + 1), which proves the hole's end.
  let after = hole.toId + 2
  for (;;) {
    const rows = await fetchTradesBefore(client, hole.symbol, String(after), signal)
    if (rows.length === 0) break
    const page = tradeRows(rows, hole.symbol, nowMicros())
    let oldest = after
    for (const trade of page) {
      const id = Number(trade.id)
      if (id >= after) continue
      oldest = Math.min(oldest, id)
      if (id >= hole.fromId) found.push(trade)
    }
    // A trade at or below the last one received: every trade since is in `found`.
    if (oldest < hole.fromId) {
      yield found.sort((a, b) => Number(a.id) - Number(b.id))
      return
    }
    // No progress means OKX ignored `after`: stop rather than ask forever.
    if (oldest >= after) break
    after = oldest
  }
  const reach = found.length === 0 ? 'none of them' : `back to trade ${found.at(-1)!.id} (${microsToIso(found.at(-1)!.timestamp)}) only`
  throw new Error(
    `OKX's history returned ${reach}; trades after ${microsToIso(hole.afterTimestamp)} (the last one received) up to id ${hole.toId} are missing`,
  )
}
