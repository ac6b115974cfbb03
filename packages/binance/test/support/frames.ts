/** Literal Binance frames and bodies for feed tests. */
import type { SessionFrame } from '@dccd/testkit'
import type { BinanceDepthSnapshot, BinanceExchangeInfo, BinanceHistoricalTrade, BinanceRateLimit } from '../../src/wire.js'

/** Event time base, ms: a trade's `T` is `FRAME_TIME_MS + id`. */
export const FRAME_TIME_MS = 1_700_000_000_000
const E = FRAME_TIME_MS

/** A combined-stream depthUpdate; each level id-tagged so books can be checked. */
export function depthFrame(symbol: string, first: number, final: number, bids: [string, string][] = [], asks: [string, string][] = []) {
  return {
    stream: `${symbol.toLowerCase()}@depth@100ms`,
    data: { e: 'depthUpdate', E: E + final, s: symbol, U: first, u: final, b: bids, a: asks },
  }
}

/** A combined-stream trade. */
export function tradeFrame(symbol: string, id: number, price = '100', quantity = '1', buyerIsMaker = false) {
  return {
    stream: `${symbol.toLowerCase()}@trade`,
    data: { e: 'trade', E: E + id, s: symbol, t: id, p: price, q: quantity, T: E + id, m: buyerIsMaker, M: true },
  }
}

export function snapshotBody(lastUpdateId: number, bids: [string, string][] = [], asks: [string, string][] = []): BinanceDepthSnapshot {
  return { lastUpdateId, bids, asks }
}

export function exchangeInfoBody(symbols: readonly string[], rateLimits?: BinanceRateLimit[]): BinanceExchangeInfo {
  return {
    timezone: 'UTC',
    rateLimits: rateLimits ?? [{ rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000 }],
    symbols: symbols.map((symbol) => ({ symbol, status: 'TRADING' })),
  }
}

/** `GET /api/v3/historicalTrades` rows for ids `fromId`.. (at most `limit`), skipping `missing`, up to `lastId`. */
export function historicalTradesBody(fromId: number, limit: number, lastId: number, missing: readonly number[] = []): BinanceHistoricalTrade[] {
  const rows: BinanceHistoricalTrade[] = []
  for (let id = fromId; id <= lastId && rows.length < limit; id++) {
    if (missing.includes(id)) continue
    rows.push(historicalTradeRow(id))
  }
  return rows
}

/** The `GET /api/v3/historicalTrades` row of the trade {@link tradeFrame} streams with the same arguments. */
export function historicalTradeRow(id: number, price = '100', quantity = '1', buyerIsMaker = false): BinanceHistoricalTrade {
  const quoteQty = String(Number(price) * Number(quantity))
  return { id, price, qty: quantity, quoteQty, time: E + id, isBuyerMaker: buyerIsMaker, isBestMatch: true }
}

/** The payloads (`data` of each combined-stream frame) a session's exchange sent, in order. */
export function sessionPayloads(session: readonly SessionFrame[]): Array<Record<string, unknown>> {
  return session.filter((f) => f.dir === 'in').map((f) => (f.data as { data: Record<string, unknown> }).data)
}
