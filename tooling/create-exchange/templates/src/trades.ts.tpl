/**
 * __NAME__'s trade continuity rule and its recovery endpoint.
 *
 * Rule: trade ids grow by one per symbol, so every trade is checked against
 * the one before it (the transport's `MarketFeed.acceptTrade`, core's
 * `TradeContinuity`): a jump is a hole wherever it opened.
 * TODO(new adapter): say why the exchange's ids are consecutive, with the doc link. Ids that
 * only increase (OKX `tradeId`) take `ids: 'increasing'` in the feed's `trades` settings: a hole
 * is then looked for only where the stream broke (a reconnect, `tradesInterrupted()`, a resume
 * point), and the history proves it complete by returning a trade past it (packages/okx/src/trades.ts).
 *
 * Recovery: `GET /api/trades?symbol=…&fromId=…&limit=…` (`fromId` inclusive), paged by id.
 */
import { nowMicros } from '@dccd/core'
import type { TradeEvent, TradeHistorySource, TradeHole } from '@dccd/core'
import type { RestClient } from '@dccd/transport'
import { tradeEvent } from './parse.js'
import { fetchTrades, MAX_TRADES_PER_PAGE } from './rest.js'

/** The history source `MarketFeed` recovers holes from. */
export function tradeHistory(client: RestClient): TradeHistorySource {
  return { name: 'GET /api/trades', fetch: (hole, signal) => pages(client, hole, signal) }
}

async function* pages(client: RestClient, hole: TradeHole, signal: AbortSignal): AsyncGenerator<TradeEvent[]> {
  let fromId = hole.fromId
  while (fromId <= hole.toId) {
    const rows = await fetchTrades(client, hole.symbol, fromId, Math.min(MAX_TRADES_PER_PAGE, hole.toId - fromId + 1), signal)
    const now = nowMicros()
    yield rows.map((row) => tradeEvent(hole.symbol, row, now))
    const last = rows.reduce((max, row) => Math.max(max, row.id), fromId - 1)
    // Nothing at or after fromId: the exchange no longer has these ids.
    if (last < fromId) return
    fromId = last + 1
  }
}
