/**
 * A seeded, deterministic market history for tests of everything that reads
 * history: resume after a restart, missed-bar recovery, backfill. Each symbol
 * has trades with consecutive ids (as Binance and Kraken number them) at
 * random times, quiet minutes without any trade (so some bar intervals are
 * empty), and bars aggregated from those trades. The clock only moves when a
 * test moves it, so "the history advanced while the recorder was down" is
 * one call. Adapters' simulated servers (in their own test support) speak
 * the exchange's wire format on top of it.
 */
import { intervalMicros } from '@dccd/core'
import { SeededRandom } from '../seeded-random.js'

/** One simulated trade. */
export interface SimulatedTrade {
  readonly id: number
  /** Exchange time, µs. Several trades may share one. */
  readonly time: number
  readonly price: number
  readonly amount: number
  /** Taker side. */
  readonly side: 'buy' | 'sell'
}

/** One bar aggregated from the trades of its interval. */
export interface SimulatedBar {
  readonly openTime: number
  readonly open: number
  readonly high: number
  readonly low: number
  readonly close: number
  readonly volume: number
  /** Trades in it (0 for an empty interval reported by an exchange that reports those). */
  readonly trades: number
  /** False for the bar containing the market's current time. */
  readonly closed: boolean
}

/** Settings of a {@link SimulatedMarket}. */
export interface SimulatedMarketOptions {
  readonly seed: number
  readonly symbols: readonly string[]
  /** Market time at creation, µs; the history starts here (empty until the clock moves). */
  readonly start: number
  /** Mean trades per second per symbol. Default 5. */
  readonly tradesPerSecond?: number
  /** Id of each symbol's first trade. Default 1000. */
  readonly firstId?: number
  /** Chance that a whole minute has no trade at all (empty 1m bars). Default 0.05. */
  readonly quietMinuteChance?: number
  /** Chance that a trade shares the previous one's µs time. Default 0.1. */
  readonly sameTimeChance?: number
  /** First price. Default 100. */
  readonly startPrice?: number
}

interface SymbolHistory {
  readonly random: SeededRandom
  readonly trades: SimulatedTrade[]
  /** Time of the next trade not generated yet, µs. */
  nextTime: number
  nextId: number
  price: number
  /** Ids below this are gone (the exchange purged them). */
  purgedBelowId: number
}

const MINUTE = 60_000_000

/**
 * @example
 * const market = new SimulatedMarket({ seed: 7, symbols: ['BTCUSDT'], start: Date.UTC(2026, 0, 1) * 1000 })
 * market.advance(60_000) // one minute of trades
 * market.tradesFromId('BTCUSDT', 1000, 500)
 */
export class SimulatedMarket {
  /** The market's clock, µs: every trade at or before it exists. */
  now: number
  readonly symbols: readonly string[]
  readonly #options: Required<Omit<SimulatedMarketOptions, 'symbols'>>
  readonly #history = new Map<string, SymbolHistory>()
  readonly #quiet = new Map<number, boolean>()

  constructor(options: SimulatedMarketOptions) {
    this.#options = {
      seed: options.seed,
      start: options.start,
      tradesPerSecond: options.tradesPerSecond ?? 5,
      firstId: options.firstId ?? 1000,
      quietMinuteChance: options.quietMinuteChance ?? 0.05,
      sameTimeChance: options.sameTimeChance ?? 0.1,
      startPrice: options.startPrice ?? 100,
    }
    this.now = options.start
    this.symbols = [...options.symbols]
    options.symbols.forEach((symbol, i) => {
      const random = new SeededRandom(options.seed + 7919 * (i + 1))
      const history: SymbolHistory = {
        random,
        trades: [],
        nextTime: options.start,
        nextId: this.#options.firstId,
        price: this.#options.startPrice * (1 + i),
        purgedBelowId: 0,
      }
      history.nextTime = this.#after(history, options.start)
      this.#history.set(symbol, history)
    })
  }

  /**
   * Moves the clock `ms` forward and generates the trades in between.
   *
   * @returns the new trades, per symbol, in id order
   */
  advance(ms: number): Map<string, SimulatedTrade[]> {
    return this.advanceTo(this.now + Math.round(ms * 1000))
  }

  /** Moves the clock to `time` (µs; never backwards) and generates the trades up to it. */
  advanceTo(time: number): Map<string, SimulatedTrade[]> {
    const added = new Map<string, SimulatedTrade[]>()
    if (time <= this.now) return added
    for (const [symbol, history] of this.#history) {
      const fresh: SimulatedTrade[] = []
      while (history.nextTime <= time) {
        const trade = this.#trade(history)
        history.trades.push(trade)
        fresh.push(trade)
        history.nextTime = this.#after(history, trade.time)
      }
      added.set(symbol, fresh)
    }
    this.now = time
    return added
  }

  /** Every trade of `symbol` so far (purged ones included: the market remembers what the exchange forgot). */
  trades(symbol: string): readonly SimulatedTrade[] {
    return this.#of(symbol).trades
  }

  /** The exchange no longer serves trades of `symbol` with ids below `id` (they are older than its retention). */
  purgeBelow(symbol: string, id: number): void {
    this.#of(symbol).purgedBelowId = id
  }

  /** Up to `limit` served trades with id >= `fromId`, ascending (the exchange's "from id" lookup). */
  tradesFromId(symbol: string, fromId: number, limit: number): SimulatedTrade[] {
    const history = this.#of(symbol)
    const first = history.trades[0]
    if (first === undefined) return []
    const start = Math.max(fromId, history.purgedBelowId, first.id) - first.id
    return history.trades.slice(start, start + limit)
  }

  /** Up to `limit` served trades with time > `since` (µs), ascending (the exchange's "since" lookup). */
  tradesAfter(symbol: string, since: number, limit: number): SimulatedTrade[] {
    const history = this.#of(symbol)
    const start = this.#servedFrom(history, upperBound(history.trades, since))
    return history.trades.slice(start, start + limit)
  }

  /** Up to `limit` served trades with `from <= time <= to` (µs), ascending. */
  tradesBetween(symbol: string, from: number, to: number, limit = Number.POSITIVE_INFINITY): SimulatedTrade[] {
    const history = this.#of(symbol)
    const start = this.#servedFrom(history, lowerBound(history.trades, from))
    const end = upperBound(history.trades, to)
    return history.trades.slice(start, Math.min(end, start + limit))
  }

  /** The latest `count` served trades, ascending. */
  latestTrades(symbol: string, count: number): SimulatedTrade[] {
    const history = this.#of(symbol)
    const start = this.#servedFrom(history, history.trades.length - count)
    return history.trades.slice(start)
  }

  /**
   * Bars of `symbol` at `interval` (fixed-length intervals only) with
   * `from <= openTime <= to` (µs), up to the bar containing `now` (open).
   * `emptyBars`: `'skip'` (default) leaves intervals without trades out, as
   * exchanges that report bars only on trades do; `'flat'` reports them with
   * volume 0 and the previous close, as exchanges that fill them do.
   */
  bars(symbol: string, interval: string, options: { from?: number; to?: number; emptyBars?: 'skip' | 'flat' } = {}): SimulatedBar[] {
    const length = intervalMicros(interval)
    if (length === undefined) throw new Error(`SimulatedMarket: calendar interval ${interval} is not simulated`)
    const trades = this.#of(symbol).trades
    const from = Math.max(options.from ?? this.#options.start, this.#options.start)
    const to = Math.min(options.to ?? this.now, this.now)
    const firstOpen = Math.floor(from / length) * length
    const currentOpen = Math.floor(this.now / length) * length
    const bars: SimulatedBar[] = []
    let i = lowerBound(trades, firstOpen)
    let previousClose = i > 0 ? trades[i - 1]!.price : undefined
    for (let openTime = firstOpen; openTime <= to; openTime += length) {
      const end = openTime + length
      let open = 0
      let high = -Infinity
      let low = Infinity
      let close = 0
      let volume = 0
      let count = 0
      for (; i < trades.length && trades[i]!.time < end; i++) {
        const trade = trades[i]!
        if (count === 0) open = trade.price
        high = Math.max(high, trade.price)
        low = Math.min(low, trade.price)
        close = trade.price
        volume += trade.amount
        count++
      }
      const closed = openTime < currentOpen
      if (count > 0) {
        bars.push({ openTime, open, high, low, close, volume: round(volume), trades: count, closed })
        previousClose = close
      } else if (options.emptyBars === 'flat' && previousClose !== undefined) {
        bars.push({ openTime, open: previousClose, high: previousClose, low: previousClose, close: previousClose, volume: 0, trades: 0, closed })
      }
    }
    return bars
  }

  #of(symbol: string): SymbolHistory {
    const history = this.#history.get(symbol)
    if (history === undefined) throw new Error(`SimulatedMarket: unknown symbol ${symbol} (known: ${this.symbols.join(', ')})`)
    return history
  }

  /** First index at or after `index` whose trade is still served. */
  #servedFrom(history: SymbolHistory, index: number): number {
    const first = history.trades[0]
    const purged = first === undefined ? 0 : history.purgedBelowId - first.id
    return Math.max(0, index, purged)
  }

  #trade(history: SymbolHistory): SimulatedTrade {
    const random = history.random
    history.price = Math.max(0.01, round(history.price * (1 + (random.next() - 0.5) * 0.002), 2))
    return {
      id: history.nextId++,
      time: history.nextTime,
      price: history.price,
      amount: round(random.int(1, 100_000) / 10_000, 4),
      side: random.chance(0.5) ? 'buy' : 'sell',
    }
  }

  /** Time of the trade after one at `time`: exponential gaps, some at the same µs, none in a quiet minute. */
  #after(history: SymbolHistory, time: number): number {
    const random = history.random
    if (history.trades.length > 0 && random.chance(this.#options.sameTimeChance)) return time
    const meanMicros = 1_000_000 / this.#options.tradesPerSecond
    let next = time + Math.max(1, Math.round(-Math.log(1 - random.next()) * meanMicros))
    while (this.#isQuiet(Math.floor(next / MINUTE))) next = (Math.floor(next / MINUTE) + 1) * MINUTE + random.int(0, 999_999)
    return next
  }

  /** Whether a minute is quiet; decided once per minute, the same for every symbol. */
  #isQuiet(minute: number): boolean {
    let quiet = this.#quiet.get(minute)
    if (quiet === undefined) {
      // Seeded by the minute itself, so the answer does not depend on the order minutes are asked in.
      quiet = new SeededRandom((this.#options.seed * 31 + minute) | 0).chance(this.#options.quietMinuteChance)
      this.#quiet.set(minute, quiet)
    }
    return quiet
  }
}

/** First index whose trade time is >= `time`. */
function lowerBound(trades: readonly SimulatedTrade[], time: number): number {
  let lo = 0
  let hi = trades.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (trades[mid]!.time < time) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** First index whose trade time is > `time`. */
function upperBound(trades: readonly SimulatedTrade[], time: number): number {
  let lo = 0
  let hi = trades.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (trades[mid]!.time <= time) lo = mid + 1
    else hi = mid
  }
  return lo
}

function round(value: number, decimals = 8): number {
  const scale = 10 ** decimals
  return Math.round(value * scale) / scale
}
