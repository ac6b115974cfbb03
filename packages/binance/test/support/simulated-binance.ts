/**
 * Binance spot on the fake exchange, over the testkit's `SimulatedMarket` (REST answers in
 * `simulated-binance-rest.ts`):
 * the REST endpoints resume, bar recovery and backfill read (exchangeInfo,
 * historicalTrades, aggTrades, klines) with Binance's paging rules and
 * limits, a `REQUEST_WEIGHT` limit in windows aligned to the clock (429 past
 * it, counted), and the combined stream (`/stream?streams=…` and SUBSCRIBE)
 * pushing `@trade` frames and `@kline_<interval>` updates as the test moves
 * the market's clock. Faults: a frame dropped, every socket cut or stalled,
 * trade ids left out of historicalTrades; the market itself purges history
 * (`market.purgeBelow`).
 *
 * Rules modelled (https://developers.binance.com/docs/binance-spot-api-docs/rest-api/market-data-endpoints):
 * - historicalTrades: `fromId` inclusive, `limit` default 500, max 1000; no `fromId`: the most recent.
 * - aggTrades: `fromId`, `startTime`/`endTime` (ms, inclusive; at most 1 h apart when both are sent),
 *   `limit` default 500, max 1000. Every trade is its own aggregate here (`a = f = l` = trade id).
 * - klines: selected by open time, `startTime` ≤ open time ≤ `endTime` (ms), the first `limit` rows
 *   from `startTime`, else the last ones up to `endTime` or now; the kline open now is the last row.
 *   Intervals without trades are reported (`emptyBars: 'flat'`, Binance's behaviour: volume 0, OHLC
 *   = the previous close; the stream's final update has `n: 0`, `f = L = -1`), or left out (`'skip'`,
 *   a venue that reports bars only on trades) to check that nothing is invented.
 * - Stream: one `@trade` frame per trade (`E = T` = trade time in ms); per kline stream the final
 *   update (`x: true`, `E` = close time + 1 ms) of every bar that closed, then one update of the open
 *   bar (`E` = the market's time), all in time order across streams.
 */
import { intervalMicros } from '@dccd/core'
import { FakeExchange } from '@dccd/testkit'
import type { FakeConnection, RestRequest, RestResponse, SimulatedBar, SimulatedMarket, SimulatedTrade } from '@dccd/testkit'
import { aggTrades, decimal, historicalTrades, klines, takerVolumes } from './simulated-binance-rest.js'

/** Weights Binance charges (protocols.md §1.8; klines 2; exchangeInfo 20). */
export const WEIGHTS: Readonly<Record<string, number>> = {
  '/api/v3/exchangeInfo': 20,
  '/api/v3/historicalTrades': 25,
  '/api/v3/aggTrades': 4,
  '/api/v3/klines': 2,
}

/** Options of {@link SimulatedBinance.start}. */
export interface SimulatedBinanceOptions {
  /** The `REQUEST_WEIGHT` limit exchangeInfo announces and the server enforces. Default 6000 per 1 minute. */
  readonly weightLimit?: { readonly limit: number; readonly interval: 'SECOND' | 'MINUTE'; readonly intervalNum?: number }
  /** How intervals without trades are served, on REST and on the stream. Default `'flat'` (Binance). */
  readonly emptyBars?: 'flat' | 'skip'
}

/** A combined-stream frame before it is sent. */
export interface SimulatedFrame {
  readonly stream: string
  readonly data: { readonly e: string; readonly E: number; readonly [field: string]: unknown }
}

export class SimulatedBinance {
  /** Requests answered 429 because the weight limit was reached. */
  rejected = 0
  /** Frames not sent because a {@link dropNext} matched them. */
  readonly dropped: SimulatedFrame[] = []
  readonly #streams = new Map<FakeConnection, Set<string>>()
  readonly #drops: Array<(frame: SimulatedFrame) => boolean> = []
  readonly #withheld = new Map<string, Set<number>>()
  readonly #limit: { readonly limit: number; readonly windowMs: number; readonly header: string }
  readonly #emptyBars: 'flat' | 'skip'
  #window = -1
  #used = 0

  private constructor(
    readonly fx: FakeExchange,
    readonly market: SimulatedMarket,
    options: SimulatedBinanceOptions,
  ) {
    const limit = options.weightLimit ?? { limit: 6000, interval: 'MINUTE' }
    const n = limit.intervalNum ?? 1
    this.#limit = {
      limit: limit.limit,
      windowMs: n * (limit.interval === 'SECOND' ? 1000 : 60_000),
      header: `X-MBX-USED-WEIGHT-${n}${limit.interval[0]}`,
    }
    this.#emptyBars = options.emptyBars ?? 'flat'
    const rateLimits = [{ rateLimitType: 'REQUEST_WEIGHT', interval: limit.interval, intervalNum: n, limit: limit.limit }]
    this.#get('/api/v3/exchangeInfo', () => ({
      body: { timezone: 'UTC', serverTime: Math.floor(market.now / 1000), rateLimits, symbols: market.symbols.map((symbol) => ({ symbol, status: 'TRADING' })) },
    }))
    const bars = (symbol: string, interval: string, from: number, to: number): SimulatedBar[] => this.#bars(symbol, interval, from, to)
    this.#get('/api/v3/historicalTrades', (request) => historicalTrades(market, request, this.#withheld))
    this.#get('/api/v3/aggTrades', (request) => aggTrades(market, request))
    this.#get('/api/v3/klines', (request) => klines(market, bars, request))
    fx.onConnection((connection) => this.#accept(connection))
  }

  static async start(market: SimulatedMarket, options: SimulatedBinanceOptions = {}): Promise<SimulatedBinance> {
    return new SimulatedBinance(await FakeExchange.start(), market, options)
  }

  /** Base URLs for the feed and the history. */
  get urls(): { wsUrl: string; restUrl: string } {
    return { wsUrl: this.fx.wsUrl, restUrl: this.fx.restUrl }
  }

  /** REST requests received for `path`. */
  requests(path: string): RestRequest[] {
    return this.fx.restRequests.filter((request) => request.path === path)
  }

  /**
   * Moves the market's clock `ms` forward and pushes what happened to every open, subscribed socket:
   * trades, final updates of the bars that closed, one update of each open bar.
   *
   * @returns the new trades per symbol
   */
  advance(ms: number): Map<string, SimulatedTrade[]> {
    const before = this.market.now
    const added = this.market.advance(ms)
    const frames: SimulatedFrame[] = []
    for (const [symbol, trades] of added) for (const trade of trades) frames.push(tradeFrame(symbol, trade))
    for (const [symbol, interval] of this.#klineStreams()) {
      const length = intervalMicros(interval)!
      const first = Math.floor(before / length) * length
      for (const bar of this.#bars(symbol, interval, first, this.market.now)) {
        const E = bar.closed ? (bar.openTime + length) / 1000 : Math.floor(this.market.now / 1000)
        frames.push(this.#klineFrame(symbol, interval, bar, E))
      }
    }
    frames.sort((a, b) => a.data.E - b.data.E)
    for (const frame of frames) this.#send(frame)
    return added
  }

  /** The next frame matching `match` is sent to nobody. */
  dropNext(match: (frame: SimulatedFrame) => boolean): void {
    this.#drops.push(match)
  }

  /** historicalTrades leaves these ids of `symbol` out of its answers (a venue that lost rows). */
  withholdTrades(symbol: string, ids: Iterable<number>): void {
    const withheld = this.#withheld.get(symbol) ?? new Set<number>()
    for (const id of ids) withheld.add(id)
    this.#withheld.set(symbol, withheld)
  }

  /** Cuts every open socket (no close handshake). */
  disconnect(): void {
    for (const connection of this.fx.connections) if (connection.isOpen) connection.terminate()
  }

  /** Every open socket stops sending and answering pings (the client must notice). */
  stall(): void {
    for (const connection of this.fx.connections) if (connection.isOpen) connection.stall()
  }

  /** Bars as Binance serves them: closed and open, empty intervals per `emptyBars`. */
  bars(symbol: string, interval: string, from: number, to: number): SimulatedBar[] {
    return this.#bars(symbol, interval, from, to)
  }

  close(): Promise<void> {
    return this.fx.close()
  }

  #bars(symbol: string, interval: string, from: number, to: number): SimulatedBar[] {
    return this.market.bars(symbol, interval, { from, to, emptyBars: this.#emptyBars })
  }

  #accept(connection: FakeConnection): void {
    const url = new URL(connection.path, 'http://binance.test')
    const streams = new Set((url.searchParams.get('streams') ?? '').split('/').filter((name) => name !== ''))
    this.#streams.set(connection, streams)
    void connection.closed.then(() => this.#streams.delete(connection))
    connection.forEachMessage((text) => {
      const message = JSON.parse(text) as { method?: string; params?: string[]; id?: unknown }
      if (message.method === 'SUBSCRIBE') for (const name of message.params ?? []) streams.add(name)
      else if (message.method === 'UNSUBSCRIBE') for (const name of message.params ?? []) streams.delete(name)
      else return
      connection.send({ result: null, id: message.id })
    })
  }

  /** Every (symbol, interval) some open socket streams klines of. */
  #klineStreams(): Array<[string, string]> {
    const found = new Map<string, [string, string]>()
    for (const streams of this.#streams.values()) {
      for (const name of streams) {
        const match = /^([a-z0-9\-_.]+)@kline_(\w+)$/.exec(name)
        if (match === null) continue
        const symbol = this.market.symbols.find((s) => s.toLowerCase() === match[1])
        if (symbol !== undefined) found.set(name, [symbol, match[2]!])
      }
    }
    return [...found.values()]
  }

  #send(frame: SimulatedFrame): void {
    const drop = this.#drops.findIndex((match) => match(frame))
    if (drop >= 0) {
      this.#drops.splice(drop, 1)
      this.dropped.push(frame)
      return
    }
    const text = JSON.stringify(frame)
    for (const [connection, streams] of this.#streams) if (streams.has(frame.stream)) connection.send(text)
  }

  #klineFrame(symbol: string, interval: string, bar: SimulatedBar, E: number): SimulatedFrame {
    const length = intervalMicros(interval)!
    const trades = this.market.tradesBetween(symbol, bar.openTime, bar.openTime + length - 1)
    const volumes = takerVolumes(trades)
    return {
      stream: `${symbol.toLowerCase()}@kline_${interval}`,
      data: {
        e: 'kline',
        E,
        s: symbol,
        k: {
          t: bar.openTime / 1000,
          T: (bar.openTime + length) / 1000 - 1,
          s: symbol,
          i: interval,
          f: trades[0]?.id ?? -1,
          L: trades.at(-1)?.id ?? -1,
          o: decimal(bar.open),
          c: decimal(bar.close),
          h: decimal(bar.high),
          l: decimal(bar.low),
          v: decimal(bar.volume),
          n: trades.length,
          x: bar.closed,
          q: decimal(volumes.quote),
          V: decimal(volumes.takerBase),
          Q: decimal(volumes.takerQuote),
          B: '0',
        },
      },
    }
  }

  /** Answers a GET with Binance's weight rules: 429 past the limit of the current window. */
  #get(path: string, answer: (request: RestRequest) => RestResponse): void {
    this.fx.route('GET', path, (request) => {
      const window = Math.floor(Date.now() / this.#limit.windowMs)
      if (window !== this.#window) {
        this.#window = window
        this.#used = 0
      }
      const weight = WEIGHTS[path] ?? 1
      if (this.#used + weight > this.#limit.limit) {
        this.rejected++
        const retryAfter = Math.max(1, Math.ceil(((window + 1) * this.#limit.windowMs - Date.now()) / 1000))
        return {
          status: 429,
          headers: { 'Retry-After': String(retryAfter), [this.#limit.header]: String(this.#used) },
          body: { code: -1003, msg: 'Too much request weight used; current limit is exceeded.' },
        }
      }
      this.#used += weight
      const response = answer(request)
      return { ...response, headers: { ...response.headers, [this.#limit.header]: String(this.#used) } }
    })
  }
}

function tradeFrame(symbol: string, trade: SimulatedTrade): SimulatedFrame {
  const T = Math.floor(trade.time / 1000)
  return {
    stream: `${symbol.toLowerCase()}@trade`,
    data: { e: 'trade', E: T, s: symbol, t: trade.id, p: decimal(trade.price), q: decimal(trade.amount), T, m: trade.side === 'sell', M: true },
  }
}
