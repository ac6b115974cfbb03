/** A made-up BTC/USD trade history served by a scripted Kraken: WebSocket frames and REST `Trades` pages. */
import { microsToIso } from '@dccd/core'
import type { MarketEvent, StatusEvent, TradeEvent } from '@dccd/core'
import type { FakeExchange } from '@dccd/testkit'

/** Trade `id` happened at this time, µs (one per second, a 6-digit fraction). */
export const timeOf = (id: number): number => 1_714_979_000_000_000 + id * 1_000_000 + 123_456

const wsTrade = (id: number) => ({
  symbol: 'BTC/USD',
  side: id % 2 === 0 ? 'buy' : 'sell',
  price: 60_000 + id,
  qty: 0.5,
  ord_type: 'limit',
  trade_id: id,
  timestamp: microsToIso(timeOf(id)),
})

/** A `trade` frame holding ids `from`..`to`. */
export function tradeFrame(type: 'snapshot' | 'update', from: number, to: number): object {
  const data = []
  for (let id = from; id <= to; id++) data.push(wsTrade(id))
  return { channel: 'trade', type, data }
}

/**
 * Serves `GET /0/public/Trades` the way Kraken pages it: rows strictly after `since` (ns), at most
 * `pageSize`, `last` = the last row's time in ns. Times are written with 7 decimals, as Kraken does.
 * The first `throttleFirst` calls are refused as Kraken refuses a caller over its rate limit; `callTimes` (ms) records every call;
 * `before` delays every answer until it resolves.
 */
export function serveTrades(
  fx: FakeExchange,
  lastId: number,
  pageSize: number,
  { throttleFirst = 0, before }: { throttleFirst?: number; before?: () => Promise<void> } = {},
): { callTimes: number[] } {
  const callTimes: number[] = []
  fx.route('GET', '/0/public/Trades', async (request) => {
    callTimes.push(Date.now())
    // A slow answer: the request is counted at once, the body waits for `before()`.
    await before?.()
    // Kraken throttles with a 200 and an error body.
    if (callTimes.length <= throttleFirst) return { body: '{"error":["EGeneral:Too many requests"]}' }
    const since = BigInt(request.query.get('since') ?? '0')
    const rows: string[] = []
    let last = since
    for (let id = 1; id <= lastId && rows.length < pageSize; id++) {
      const ns = BigInt(timeOf(id)) * 1000n
      if (ns <= since) continue
      const seconds = `${timeOf(id) / 1_000_000}`.padEnd(17, '0') // 10 digits, '.', 6 decimals
      rows.push(`["${(60_000 + id).toFixed(5)}","0.50000000",${seconds}2,"${id % 2 === 0 ? 'b' : 's'}","l","",${id}]`)
      last = ns
    }
    return { body: `{"error":[],"result":{"XXBTZUSD":[${rows.join(',')}],"last":"${last}"}}` }
  })
  return { callTimes }
}

export const tradeIds = (events: readonly MarketEvent[]): number[] =>
  events.filter((event): event is TradeEvent => event.type === 'trade').map((event) => Number(event.id))

export const gaps = (events: readonly MarketEvent[]): StatusEvent[] =>
  events.filter((event): event is StatusEvent => event.type === 'status' && event.status === 'gap')

/** `from`..`to` as an array. */
export const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i)
