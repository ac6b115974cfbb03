/** Running a KrakenFeed against the simulated Kraken and comparing what it yields with the market's history. */
import type { BarEvent, MarketEvent, StatusEvent, TradeEvent } from '@dccd/core'
import { EventCollector } from '@dccd/testkit/helpers'
import { KrakenFeed } from '../../src/index.js'
import type { KrakenFeedOptions } from '../../src/index.js'
import type { SimulatedKraken } from './simulated-kraken.js'

/** A feed against `sim` with heartbeats off and quick reconnects, read by a collector; `options` win. */
export function simulatedFeed(sim: SimulatedKraken, options: Partial<KrakenFeedOptions> = {}, timeoutMs = 15_000): EventCollector {
  const feed = new KrakenFeed({
    symbols: [...sim.market.symbols],
    channels: ['trades', 'bars:1m'],
    wsUrl: sim.fx.wsUrl,
    restUrl: sim.fx.restUrl,
    pingIntervalMs: 0,
    initialBackoffMs: 20,
    maxBackoffMs: 100,
    ...options,
  })
  return new EventCollector(feed, { timeoutMs })
}

export const tradesOf = (events: readonly MarketEvent[], symbol: string): TradeEvent[] =>
  events.filter((event): event is TradeEvent => event.type === 'trade' && event.symbol === symbol)

export const closedBarsOf = (events: readonly MarketEvent[], symbol: string, interval = '1m'): BarEvent[] =>
  events.filter((event): event is BarEvent => event.type === 'bar' && event.closed && event.symbol === symbol && event.interval === interval)

export const gapsOf = (events: readonly MarketEvent[]): StatusEvent[] =>
  events.filter((event): event is StatusEvent => event.type === 'status' && event.status === 'gap')

/** True once every symbol's trades reached the market's last trade. */
export function sawLastTrades(sim: SimulatedKraken): (events: readonly MarketEvent[]) => boolean {
  const last = new Map(sim.market.symbols.map((symbol) => [symbol, String(sim.market.trades(symbol).at(-1)!.id)]))
  return (events) => [...last].every(([symbol, id]) => events.some((event) => event.type === 'trade' && event.symbol === symbol && event.id === id))
}

/**
 * True once every symbol has its closed 1m bars up to the one before the market's last trade (that trade's
 * update closed them).
 */
export function sawClosedBars(sim: SimulatedKraken, interval = '1m', length = 60_000_000): (events: readonly MarketEvent[]) => boolean {
  const due = new Map(sim.market.symbols.map((symbol) => [symbol, Math.floor(sim.market.trades(symbol).at(-1)!.time / length) * length - length]))
  return (events) =>
    [...due].every(([symbol, openTime]) => events.some((e) => e.type === 'bar' && e.closed && e.symbol === symbol && e.interval === interval && e.openTime === openTime))
}

/** A bar's values as compared with the market's. */
export const ohlcv = (bar: { openTime: number; open: number; high: number; low: number; close: number; volume: number }) => ({
  openTime: bar.openTime,
  open: bar.open,
  high: bar.high,
  low: bar.low,
  close: bar.close,
  volume: bar.volume,
})

/** The market's closed 1m bars (Kraken's series: every interval, quiet ones flat with volume 0) with `from <= openTime <= to`. */
export function marketBars(sim: SimulatedKraken, symbol: string, from: number, to: number, interval = '1m') {
  return sim.market.bars(symbol, interval, { from, to, emptyBars: 'flat' }).filter((bar) => bar.closed).map(ohlcv)
}

/** A trade's values as compared with the market's (REST times may be 1 µs off: compared apart). */
export const tradeValues = (trade: { id: string | number; price: number; amount: number; side: string }) => ({
  id: Number(trade.id),
  price: trade.price,
  amount: trade.amount,
  side: trade.side,
})
