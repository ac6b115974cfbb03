/**
 * OKX's trade continuity rule and its recovery endpoint.
 *
 * Rule: OKX's `tradeId` is per instrument and increasing, but not documented
 * as consecutive — and the `trades` channel aggregates the fills of one
 * taker order at one price into one row (`count`), so the stream skips ids
 * by design. So every trade is checked against the one before it for order
 * (an id at or below the last is a duplicate and dropped), and a hole is
 * looked for only where trades may have been lost: across a reconnect, a
 * resubscription, an unreadable trade frame, or a restart given a resume
 * point (core's `TradeContinuity` with `ids: 'increasing'`).
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
import type { Logger, TradeEvent, TradeHistorySource, TradeHole } from '@dccd/core'
import type { RestClient } from '@dccd/transport'
import type { AggregateCounts } from './aggregates.js'
import { tradeRows } from './parse.js'
import { fetchTradesBefore } from './rest.js'

/** Names the endpoint in gap reasons. */
export const TRADE_HISTORY = 'GET /api/v5/market/history-trades'

/**
 * The history source `MarketFeed` recovers holes from.
 *
 * @param aggregates the live rows' fill counts: the fills the first live row after the hole
 *   aggregates are in the history too, and go out with that row, not again beside it
 */
export function tradeHistory(client: RestClient, aggregates: AggregateCounts, logger: Logger): TradeHistorySource {
  return { name: TRADE_HISTORY, fetch: (hole, signal) => recover(client, hole, aggregates, logger, signal) }
}

async function* recover(client: RestClient, hole: TradeHole, aggregates: AggregateCounts, logger: Logger, signal: AbortSignal): AsyncGenerator<TradeEvent[]> {
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
      yield withoutHiddenFills(found, hole, aggregates, logger)
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

/**
 * The hole's fills in id order, minus those the first live row after it aggregates
 * (it goes out itself, with their sizes in its own).
 */
function withoutHiddenFills(found: readonly TradeEvent[], hole: TradeHole, aggregates: AggregateCounts, logger: Logger): TradeEvent[] {
  const firstLive = hole.toId + 1
  const hidden = aggregates.hiddenFills(hole.symbol, firstLive)
  const row = found.find((trade) => Number(trade.id) === firstLive)
  const kept: TradeEvent[] = []
  for (const trade of found) {
    const id = Number(trade.id)
    if (id < hidden.from || id > hidden.to) kept.push(trade)
    else if (row !== undefined && (trade.price !== row.price || trade.side !== row.side)) {
      logger.warn("OKX fills below an aggregated trade differ from it: the aggregate id rule may not hold", { symbol: hole.symbol, fill: trade.id })
    }
  }
  return kept.sort((a, b) => Number(a.id) - Number(b.id))
}
