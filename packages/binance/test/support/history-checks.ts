/** What a consumer got, per symbol, next to what the simulated market knows happened. */
import type { BarEvent, MarketEvent, StatusEvent, TradeEvent } from '@dccd/core'
import type { SimulatedBar, SimulatedTrade } from '@dccd/testkit'

const MINUTE_MS = 60_000

/** A market start `ago` ms before now, on a minute boundary, µs: recent enough for the default resume age, past enough that bars close. */
export function recentStart(agoMs: number): number {
  return Math.floor((Date.now() - agoMs) / MINUTE_MS) * MINUTE_MS * 1000
}

export const tradesOf = (events: readonly MarketEvent[], symbol: string): TradeEvent[] =>
  events.filter((e): e is TradeEvent => e.type === 'trade' && e.symbol === symbol)

export const closedBarsOf = (events: readonly MarketEvent[], symbol: string, interval: string): BarEvent[] =>
  events.filter((e): e is BarEvent => e.type === 'bar' && e.symbol === symbol && e.interval === interval && e.closed)

export const gapsOf = (events: readonly MarketEvent[]): StatusEvent[] =>
  events.filter((e): e is StatusEvent => e.type === 'status' && e.status === 'gap')

/** A symbol's trades and trade gaps in stream order: ids, and `gap from-to`. */
export const tradeOrder = (events: readonly MarketEvent[], symbol: string): string[] =>
  events
    .filter((e) => e.symbol === symbol && (e.type === 'trade' || (e.type === 'status' && e.status === 'gap' && e.channel === 'trades')))
    .map((e) => (e.type === 'trade' ? e.id : `gap ${(e as StatusEvent).fromId}-${(e as StatusEvent).toId}`))

/** The fields of a trade as Binance reports it (ms times) and the adapter normalizes it. */
export function expectedTrade(trade: SimulatedTrade): Pick<TradeEvent, 'id' | 'price' | 'amount' | 'side' | 'timestamp'> {
  return { id: String(trade.id), price: trade.price, amount: trade.amount, side: trade.side, timestamp: Math.floor(trade.time / 1000) * 1000 }
}

export function tradeFields(trade: TradeEvent): Pick<TradeEvent, 'id' | 'price' | 'amount' | 'side' | 'timestamp'> {
  return { id: trade.id, price: trade.price, amount: trade.amount, side: trade.side, timestamp: trade.timestamp }
}

export function expectedBar(bar: SimulatedBar): Pick<BarEvent, 'openTime' | 'open' | 'high' | 'low' | 'close' | 'volume'> {
  return { openTime: bar.openTime, open: bar.open, high: bar.high, low: bar.low, close: bar.close, volume: bar.volume }
}

export function barFields(bar: BarEvent): Pick<BarEvent, 'openTime' | 'open' | 'high' | 'low' | 'close' | 'volume'> {
  return { openTime: bar.openTime, open: bar.open, high: bar.high, low: bar.low, close: bar.close, volume: bar.volume }
}
