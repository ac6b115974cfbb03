/**
 * A simulated Kraken on the testkit's fake exchange: a `SimulatedMarket` (seeded trades with consecutive ids,
 * same-µs trades, quiet minutes) served the way Kraken serves it, so resume, bar recovery and backfill are tested
 * against Kraken's rules rather than against scripted frames:
 * - WebSocket `/v2`: `status` on connect; `instrument` snapshot; `trade` (with the 50 most recent as a snapshot
 *   when asked); `ohlc` (a snapshot of the latest candles that had trades, then an update per trade time: none for
 *   an interval without trades); `heartbeat` on every clock step; `ping` → `pong`;
 * - REST `AssetPairs`, `Trades` and `OHLC` with their paging and per-pair limit (./simulated-kraken-rest.ts).
 * The market clock moves only when the test calls {@link SimulatedKraken.advance}, which pushes the new trades'
 * frames to the subscribed connections. Faults: drop a frame, disconnect, stall, purge, failing REST calls.
 */
import { microsToIso } from '@dccd/core'
import { FakeExchange, SimulatedMarket } from '@dccd/testkit'
import type { FakeConnection, SimulatedMarketOptions, SimulatedTrade } from '@dccd/testkit'
import { serveAssetPairs } from './asset-pairs.js'
import { nanoIso, SimulatedCandles } from './simulated-candles.js'
import { SimulatedKrakenRest } from './simulated-kraken-rest.js'
import type { KrakenRequestJson } from './scripted-kraken.js'

/** Trades a v2 trade snapshot holds. */
const TRADE_SNAPSHOT = 50

export interface SimulatedKrakenOptions extends Partial<Omit<SimulatedMarketOptions, 'symbols'>> {
  readonly symbols: readonly string[]
  /** Candles an `ohlc` snapshot holds: the latest ones with trades. Default 1 (Kraken's doc example: the last valid candle). */
  readonly ohlcSnapshotCandles?: number
  /** Kraken's per-pair REST limit, enforced by the server, ms. Default 1000. */
  readonly pairCallIntervalMs?: number
}

/** A frame the server sends. */
export type Frame = { readonly channel?: string; readonly type?: string; readonly data?: unknown } & Record<string, unknown>

/** One WebSocket connection's subscriptions. */
class Session {
  /** Terminated or stalled by a fault (the socket may not have noticed yet). */
  dead = false
  readonly trades = new Set<string>()
  /** `symbol|minutes` */
  readonly ohlc = new Set<string>()
  constructor(readonly connection: FakeConnection) {}
}

export class SimulatedKraken {
  readonly market: SimulatedMarket
  readonly rest: SimulatedKrakenRest
  /** Frames the {@link dropNext} fault withheld. */
  readonly dropped: object[] = []
  readonly #candles: SimulatedCandles
  readonly #sessions: Session[] = []
  readonly #waiters = new Set<() => void>()
  readonly #options: SimulatedKrakenOptions
  #drops: ((frame: Frame) => boolean)[] = []

  private constructor(
    readonly fx: FakeExchange,
    options: SimulatedKrakenOptions,
  ) {
    this.#options = options
    this.market = new SimulatedMarket({ seed: 1, start: Date.now() * 1000, ...options, symbols: options.symbols })
    this.#candles = new SimulatedCandles(this.market)
    this.rest = new SimulatedKrakenRest(this.market, options.pairCallIntervalMs ?? 1000)
    serveAssetPairs(fx, options.symbols)
    fx.route('GET', '/0/public/Trades', (request) => this.rest.answer(request))
    fx.route('GET', '/0/public/OHLC', (request) => this.rest.answer(request))
    fx.onConnection((connection) => this.#accept(connection))
  }

  static async start(options: SimulatedKrakenOptions): Promise<SimulatedKraken> {
    return new SimulatedKraken(await FakeExchange.start(), options)
  }

  /**
   * Moves the market clock `ms` forward in steps of `stepMs`, pushing each step's trades (one `trade` frame and
   * one `ohlc` update per interval for every group of trades sharing a time) and a heartbeat to the live sessions.
   *
   * @returns the new trades per symbol
   */
  advance(ms: number, stepMs = 1000): Map<string, SimulatedTrade[]> {
    const added = new Map<string, SimulatedTrade[]>(this.market.symbols.map((symbol) => [symbol, []]))
    const end = this.market.now + ms * 1000
    while (this.market.now < end) {
      const step = this.market.advanceTo(Math.min(end, this.market.now + stepMs * 1000))
      for (const [symbol, trades] of step) {
        added.get(symbol)!.push(...trades)
        for (let i = 0; i < trades.length; ) {
          let j = i + 1
          while (j < trades.length && trades[j]!.time === trades[i]!.time) j++
          this.#push(symbol, trades.slice(i, j))
          i = j
        }
      }
      for (const session of this.#live()) if (session.trades.size + session.ohlc.size > 0) this.#send(session, { channel: 'heartbeat' })
    }
    return added
  }

  /** Resolves once the newest open connection has subscribed `trade` (when `trades`) and `ohlc` at every interval in `minutes`, for every symbol. */
  subscribed({ trades = false, minutes = [] as number[] } = {}): Promise<void> {
    return this.#until(() => {
      const session = this.#live().at(-1)
      if (session === undefined) return false
      return this.market.symbols.every(
        (symbol) => (!trades || session.trades.has(symbol)) && minutes.every((m) => session.ohlc.has(`${symbol}|${m}`)),
      )
    })
  }

  /** The next frame matching `predicate` (sent to any connection) is not sent. */
  dropNext(predicate: (frame: Frame) => boolean): void {
    this.#drops.push(predicate)
  }

  /** Terminates every open connection (the client sees 1006). */
  disconnect(): void {
    for (const session of this.#live()) {
      session.dead = true
      session.connection.terminate()
    }
  }

  /** Every open connection stops sending and answering pings; the sockets stay open. */
  stall(): void {
    for (const session of this.#live()) {
      session.dead = true
      session.connection.stall()
    }
  }

  async close(): Promise<void> {
    await this.fx.close()
  }

  #accept(connection: FakeConnection): void {
    const session = new Session(connection)
    this.#sessions.push(session)
    void connection.closed.then(() => this.#notify())
    connection.send({ channel: 'status', type: 'update', data: [{ api_version: 'v2', system: 'online', version: '2.0.10' }] })
    connection.forEachMessage((text) => {
      this.#onRequest(session, JSON.parse(text) as KrakenRequestJson)
      this.#notify()
    })
  }

  #onRequest(session: Session, request: KrakenRequestJson): void {
    const now = microsToIso(this.market.now)
    const { method, params, req_id } = request
    if (method === 'ping') {
      this.#send(session, { method: 'pong', req_id, time_in: now, time_out: now })
      return
    }
    const channel = params?.channel
    if (channel === 'instrument') {
      this.#send(session, { method, result: { channel, snapshot: true }, success: true, req_id, time_in: now, time_out: now })
      const pairs = this.market.symbols.map((symbol) => {
        const [base, quote] = symbol.split('/')
        return { symbol, base, quote, status: 'online', price_precision: 2, qty_precision: 8, price_increment: 0.01, qty_increment: 1e-8, qty_min: 1e-4 }
      })
      this.#send(session, { channel: 'instrument', type: 'snapshot', data: { assets: [], pairs } })
      return
    }
    for (const symbol of params?.symbol ?? []) {
      const refuse = (error: string) => this.#send(session, { error, method, success: false, symbol, req_id, time_in: now, time_out: now })
      if (!this.market.symbols.includes(symbol)) refuse(`Currency pair not supported ${symbol}`)
      else if (method !== 'subscribe' || (channel !== 'trade' && channel !== 'ohlc')) refuse(`${method} ${channel} not simulated`)
      else if (channel === 'trade') {
        this.#send(session, { method, result: { channel, symbol, snapshot: params!.snapshot }, success: true, req_id, time_in: now, time_out: now })
        if (params!.snapshot === true) {
          const trades = this.market.latestTrades(symbol, TRADE_SNAPSHOT)
          this.#send(session, { channel: 'trade', type: 'snapshot', data: trades.map((trade) => wsTrade(symbol, trade)) })
        }
        session.trades.add(symbol)
      } else {
        const minutes = params!.interval ?? 1
        this.#candles.follow(symbol, minutes)
        this.#send(session, { method, result: { channel, symbol, interval: minutes, snapshot: params!.snapshot }, success: true, req_id, time_in: now, time_out: now })
        if (params!.snapshot !== false) {
          const data = this.#candles.snapshot(symbol, minutes, this.#options.ohlcSnapshotCandles ?? 1)
          this.#send(session, { channel: 'ohlc', type: 'snapshot', timestamp: nanoIso(this.market.now), data })
        }
        session.ohlc.add(`${symbol}|${minutes}`)
      }
    }
  }

  /** One group of trades sharing a time: a `trade` frame, then an `ohlc` update per followed interval. */
  #push(symbol: string, trades: SimulatedTrade[]): void {
    const tradeFrame = { channel: 'trade', type: 'update', data: trades.map((trade) => wsTrade(symbol, trade)) }
    const candles = new Map<number, Frame>()
    for (const minutes of this.#candles.intervals(symbol)) {
      const data = this.#candles.trade(symbol, minutes, trades)
      candles.set(minutes, { channel: 'ohlc', type: 'update', timestamp: nanoIso(trades[0]!.time), data: [data] })
    }
    for (const session of this.#live()) {
      if (session.trades.has(symbol)) this.#send(session, tradeFrame)
      for (const [minutes, frame] of candles) if (session.ohlc.has(`${symbol}|${minutes}`)) this.#send(session, frame)
    }
  }

  #send(session: Session, frame: Frame): void {
    const drop = this.#drops.findIndex((predicate) => predicate(frame))
    if (drop !== -1) {
      this.#drops.splice(drop, 1)
      this.dropped.push(frame)
      return
    }
    session.connection.send(frame)
  }

  #live(): Session[] {
    return this.#sessions.filter((session) => !session.dead && session.connection.isOpen)
  }

  #until(predicate: () => boolean): Promise<void> {
    if (predicate()) return Promise.resolve()
    return new Promise((resolve) => {
      const check = (): void => {
        if (!predicate()) return
        this.#waiters.delete(check)
        resolve()
      }
      this.#waiters.add(check)
    })
  }

  #notify(): void {
    for (const check of [...this.#waiters]) check()
  }
}

/** A market trade as a v2 `trade` entry. */
export function wsTrade(symbol: string, trade: SimulatedTrade): object {
  return { symbol, side: trade.side, price: trade.price, qty: trade.amount, ord_type: 'limit', trade_id: trade.id, timestamp: microsToIso(trade.time) }
}
