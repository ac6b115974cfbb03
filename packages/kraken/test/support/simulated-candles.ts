/**
 * The simulated Kraken's `ohlc` candles, kept per symbol and interval as trades happen, exactly as
 * `SimulatedMarket.bars` aggregates them (same order of summing, volume rounded to 8 decimals), so the last
 * update of an interval carries the values of the market's bar.
 */
import { microsToIso } from '@dccd/core'
import type { SimulatedMarket, SimulatedTrade } from '@dccd/testkit'

interface Candle {
  openTime: number
  open: number
  high: number
  low: number
  close: number
  /** Unrounded, summed in trade order. */
  volume: number
  trades: number
  cost: number
}

/** `minutes` as a SimulatedMarket interval name. */
export const intervalName = (minutes: number): string => (minutes % 1440 === 0 ? `${minutes / 1440}d` : `${minutes}m`)

/** µs → Kraken's `ohlc` time: RFC 3339 with 9 fractional digits. */
export const nanoIso = (micros: number): string => microsToIso(micros).replace('Z', '000Z')

export class SimulatedCandles {
  readonly #market: SimulatedMarket
  readonly #candles = new Map<string, Candle>()

  constructor(market: SimulatedMarket) {
    this.#market = market
  }

  /** Starts following `symbol` at `minutes` (from the market's trades so far); idempotent. */
  follow(symbol: string, minutes: number): void {
    const key = `${symbol}|${minutes}`
    if (this.#candles.has(key)) return
    const length = minutes * 60_000_000
    const openTime = Math.floor(this.#market.now / length) * length
    const candle = empty(openTime)
    for (const trade of this.#market.trades(symbol)) if (trade.time >= openTime) add(candle, trade)
    this.#candles.set(key, candle)
  }

  /** Followed intervals of `symbol`, minutes. */
  intervals(symbol: string): number[] {
    const out: number[] = []
    for (const key of this.#candles.keys()) if (key.startsWith(`${symbol}|`)) out.push(Number(key.slice(symbol.length + 1)))
    return out
  }

  /** Adds trades (in order, all at one time) and returns the candle frame data for `minutes` after them. */
  trade(symbol: string, minutes: number, trades: readonly SimulatedTrade[]): object {
    const candle = this.#candles.get(`${symbol}|${minutes}`)!
    const length = minutes * 60_000_000
    for (const trade of trades) {
      const openTime = Math.floor(trade.time / length) * length
      if (openTime !== candle.openTime) Object.assign(candle, empty(openTime))
      add(candle, trade)
    }
    return wsCandle(symbol, minutes, candle)
  }

  /**
   * The `ohlc` snapshot data: the latest `count` candles that had trades (the last one possibly long past: Kraken
   * sends the last valid candle whatever its end).
   */
  snapshot(symbol: string, minutes: number, count: number): object[] {
    const length = minutes * 60_000_000
    const bars = this.#market.bars(symbol, intervalName(minutes), { from: this.#market.now - 720 * length }).slice(-count)
    return bars.map((bar) => wsCandle(symbol, minutes, { ...bar, cost: bar.close * bar.volume }))
  }
}

function empty(openTime: number): Candle {
  return { openTime, open: 0, high: -Infinity, low: Infinity, close: 0, volume: 0, trades: 0, cost: 0 }
}

function add(candle: Candle, trade: SimulatedTrade): void {
  if (candle.trades === 0) candle.open = trade.price
  candle.high = Math.max(candle.high, trade.price)
  candle.low = Math.min(candle.low, trade.price)
  candle.close = trade.price
  candle.volume += trade.amount
  candle.cost += trade.price * trade.amount
  candle.trades++
}

function wsCandle(symbol: string, minutes: number, candle: Omit<Candle, 'volume'> & { volume: number }): object {
  const volume = Math.round(candle.volume * 1e8) / 1e8
  return {
    symbol,
    open: candle.open,
    high: candle.high,
    low: candle.low,
    close: candle.close,
    trades: candle.trades,
    volume,
    vwap: volume > 0 ? Math.round((candle.cost / candle.volume) * 1e5) / 1e5 : 0,
    interval_begin: nanoIso(candle.openTime),
    interval: minutes,
    timestamp: nanoIso(candle.openTime + minutes * 60_000_000),
  }
}
