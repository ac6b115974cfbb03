// Events of one fake stream (fakex BTCUSD): trades by id and 1m bars by index, at times the tests choose.
import type { BarEvent, TradeEvent } from '@dccd/core'

/** 2026-11-25T01:00:00Z, µs: the open time of bar 0. */
export const H = Date.UTC(2026, 10, 25, 1) * 1000
/** One minute, µs. */
export const MINUTE = 60_000_000

/** Open time of 1m bar `i`, µs. */
export const openTime = (i: number): number => H + i * MINUTE

/** A trade received at `at`, 5 µs after its exchange time. */
export function trade(id: number | string, at: number): TradeEvent {
  return { type: 'trade', exchange: 'fakex', symbol: 'BTCUSD', id: String(id), price: 100, amount: 1, side: 'buy', timestamp: at - 5, localTimestamp: at }
}

/** Bar `i`: closed just after its minute ends, or an update halfway through it. */
export function bar(i: number, closed: boolean): BarEvent {
  const at = closed ? openTime(i + 1) + 1000 : openTime(i) + MINUTE / 2
  const open = openTime(i)
  return { type: 'bar', exchange: 'fakex', symbol: 'BTCUSD', interval: '1m', openTime: open, open: 100, high: 101, low: 99, close: 100 + i, volume: 2, closed, timestamp: at - 5, localTimestamp: at }
}
