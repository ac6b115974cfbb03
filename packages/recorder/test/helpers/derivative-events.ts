// Quote, derivative and liquidation events of one fake perpetual (fakex BTCUSD-PERP), and how their rows read back.
import type { DerivativeEvent, LiquidationEvent, QuoteEvent } from '@dccd/core'

/** 2026-11-25T01:00:00Z, µs. */
export const T = Date.UTC(2026, 10, 25, 1) * 1000
/** The next funding: 2026-11-25T08:00:00Z, µs. */
export const FUNDING = Date.UTC(2026, 10, 25, 8) * 1000

const stream = { exchange: 'fakex', symbol: 'BTCUSD-PERP' } as const

export const quotes: QuoteEvent[] = [
  { type: 'quote', ...stream, bidPrice: 64_012.4, bidAmount: 1.25, askPrice: 64_012.5, askAmount: 0.003, timestamp: T, localTimestamp: T + 700 },
  { type: 'quote', ...stream, bidPrice: 64_012.4, bidAmount: 0.5, askPrice: 64_013, askAmount: 2, timestamp: T + 1000, localTimestamp: T + 1500 },
]

/** Every field; two fields (index price and open interest arrive separately on most venues); a funding rate of exactly 0. */
export const derivatives: DerivativeEvent[] = [
  { type: 'derivative', ...stream, markPrice: 64_010.1, indexPrice: 64_008.75, fundingRate: 0.0001, fundingTime: FUNDING, openInterest: 81_234.5, timestamp: T, localTimestamp: T + 900 },
  { type: 'derivative', ...stream, markPrice: 64_011, indexPrice: 64_009, timestamp: T + 1_000_000, localTimestamp: T + 1_000_800 },
  { type: 'derivative', ...stream, fundingRate: 0, timestamp: T + 2_000_000, localTimestamp: T + 2_000_800 },
  { type: 'derivative', ...stream, fundingRate: -0.000_037_5, fundingTime: FUNDING, timestamp: T + 3_000_000, localTimestamp: T + 3_000_800 },
]

/** With the venue's order id, and without one (Binance `forceOrder` gives none). */
export const liquidations: LiquidationEvent[] = [
  { type: 'liquidation', ...stream, id: '9001', side: 'sell', price: 63_900.5, amount: 0.75, timestamp: T + 5000, localTimestamp: T + 6000 },
  { type: 'liquidation', ...stream, side: 'buy', price: 64_100, amount: 12, timestamp: T + 7000, localTimestamp: T + 8000 },
]

/** An event's expected row: its columns in file order, NULL for every optional field it leaves out. */
export function rowOf(event: QuoteEvent | DerivativeEvent | LiquidationEvent, columns: readonly string[]): Record<string, unknown> {
  const fields = event as unknown as Record<string, unknown>
  return Object.fromEntries(columns.map((name) => [name, fields[name] ?? null]))
}

/** The event a row records: NULL columns left out, as the event contract leaves out a field not sent. */
export function eventOf(row: Record<string, unknown>, type: string): Record<string, unknown> {
  return { type, ...Object.fromEntries(Object.entries(row).filter(([, value]) => value !== null)) }
}
