/**
 * A seeded COIN-M futures market live on the fake exchange (`/stream`,
 * `/dapi/v1/…`) for the futures chaos test: a {@link CoinmStream} ticking on a
 * timer, its frames sent to every open connection, its snapshots and
 * `aggTrades` served over REST. Faults are armed from outside: a depth event
 * or a trade not sent on a connection, and snapshots answered 429 or older
 * than the stream the client buffers.
 */
import type { FakeConnection, FakeExchange, RestResponse, SeededRandom } from '@dccd/testkit'
import { tradeAt } from './chaos-market.js'
import type { TrueBook } from './chaos-market.js'
import { CoinmStream } from './coinm-stream.js'
import type { CoinmFrame } from './coinm-stream.js'
import type { CheckedMarket } from './feed-checker.js'
import { aggTradeRow, futuresExchangeInfoBody } from './futures-frames.js'

/** How the next depth snapshot of a symbol is answered. */
export type CoinmSnapshotFault = '429' | 'stale'

export interface CoinmMarketOptions {
  readonly symbols: readonly string[]
  readonly tickMs: number
  /** Draws of the market's evolution: the same seed, the same market. */
  readonly prng: SeededRandom
  /** Draws of answers to REST requests (their order depends on timing). */
  readonly restPrng: SeededRandom
}

/** What the market knows of the client's stream and snapshots, per symbol. */
interface ClientView {
  /** `U` of the first event of the stream the client can be buffering (after a connect or a dropped event). */
  streamStart: number | undefined
  /** The next event sent on the newest connection starts the client's stream. */
  startPending: boolean
  readonly served: Set<number>
  readonly armed: CoinmSnapshotFault[]
}

export class CoinmMarket implements CheckedMarket {
  ticks = 0
  /** Depth events not sent on some connection. */
  readonly dropped: Array<{ symbol: string; connectionId: number; first: number; final: number; previous: number }> = []
  /** Trades not sent on a healthy connection. */
  readonly skippedTrades: Array<{ symbol: string; id: number }> = []
  readonly staleServed: Array<{ symbol: string; lastUpdateId: number }> = []
  readonly snapshotFaultsServed: CoinmSnapshotFault[] = []
  readonly #fx: FakeExchange
  readonly #options: CoinmMarketOptions
  readonly #stream: CoinmStream
  readonly #views = new Map<string, ClientView>()
  readonly #drops = new Map<number, Set<string>>()
  readonly #tradeSkips = new Map<number, Set<string>>()
  readonly #tickWaiters = new Set<() => void>()
  readonly #timer: ReturnType<typeof setInterval>

  constructor(fx: FakeExchange, options: CoinmMarketOptions) {
    this.#fx = fx
    this.#options = options
    this.#stream = new CoinmStream(options.symbols, options.prng)
    for (const symbol of options.symbols) this.#views.set(symbol, { streamStart: undefined, startPending: true, served: new Set(), armed: [] })
    fx.route('GET', '/dapi/v1/exchangeInfo', () => ({ body: futuresExchangeInfoBody(options.symbols, 'coinm', 6000) }))
    fx.route('GET', '/dapi/v1/depth', (request) => this.#depth(request.query.get('symbol') ?? ''))
    fx.route('GET', '/dapi/v1/aggTrades', (request) => {
      const state = this.#stream.of(request.query.get('symbol'))
      const fromId = Number(request.query.get('fromId'))
      const last = Math.min(state.tradeId, fromId + Number(request.query.get('limit')) - 1)
      const rows = []
      for (let a = fromId; a <= last; a++) {
        const { price, quantity, buyerIsMaker } = tradeAt(a)
        rows.push(aggTradeRow(a, price, quantity, buyerIsMaker))
      }
      return { body: rows }
    })
    // A new connection's stream starts with the next event of each symbol.
    fx.onConnection(() => {
      for (const view of this.#views.values()) view.startPending = true
    })
    this.#timer = setInterval(() => this.tick(), options.tickMs)
  }

  updateId(symbol: string): number {
    return this.#stream.of(symbol).lastFinal
  }

  tradeId(symbol: string): number {
    return this.#stream.of(symbol).tradeId
  }

  droppedTrades(symbol: string): string[] {
    return this.skippedTrades.filter((t) => t.symbol === symbol).map((t) => String(t.id))
  }

  bookAt(symbol: string, id: number): TrueBook {
    return this.#stream.bookAt(symbol, id)
  }

  /** The newest connection, when it is open. */
  newest(): FakeConnection | undefined {
    const newest = this.#fx.connections.at(-1)
    return newest?.isOpen === true ? newest : undefined
  }

  /** The next depth event of `symbol` is not sent on `connection`. */
  dropNextDepth(connection: FakeConnection, symbol: string): void {
    this.#arm(this.#drops, connection.id, symbol)
  }

  /** The next trade of `symbol` is not sent on `connection` (which goes on streaming). */
  skipNextTrade(connection: FakeConnection, symbol: string): void {
    this.#arm(this.#tradeSkips, connection.id, symbol)
  }

  /** The next depth snapshot of `symbol` is answered with `fault`. */
  armSnapshotFault(symbol: string, fault: CoinmSnapshotFault): void {
    this.#view(symbol).armed.push(fault)
  }

  /** Faults armed but not applied yet (on open connections). */
  get pending(): number {
    let pending = 0
    for (const view of this.#views.values()) pending += view.armed.length
    for (const connection of this.#fx.connections) {
      if (connection.isOpen) pending += (this.#drops.get(connection.id)?.size ?? 0) + (this.#tradeSkips.get(connection.id)?.size ?? 0)
    }
    return pending
  }

  /** Resolves once `predicate()` holds, checked now and after every tick; rejects when it throws. */
  untilTick(predicate: () => boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        try {
          if (!predicate()) return
        } catch (error) {
          this.#tickWaiters.delete(check)
          reject(error as Error)
          return
        }
        this.#tickWaiters.delete(check)
        resolve()
      }
      this.#tickWaiters.add(check)
      check()
    })
  }

  tick(): void {
    this.ticks++
    const frames = this.#stream.tick()
    for (const connection of this.#fx.connections) if (connection.isOpen) this.#send(connection, frames)
    for (const check of [...this.#tickWaiters]) check()
  }

  stop(): void {
    clearInterval(this.#timer)
    this.#tickWaiters.clear()
  }

  #send(connection: FakeConnection, frames: readonly CoinmFrame[]): void {
    const newest = connection === this.#fx.connections.at(-1)
    for (const frame of frames) {
      const view = this.#view(frame.symbol)
      if (frame.depth !== undefined && this.#drops.get(connection.id)?.delete(frame.symbol) === true) {
        this.dropped.push({ symbol: frame.symbol, connectionId: connection.id, ...frame.depth })
        // The client's book sync buffers from the event after the hole.
        if (newest) view.startPending = true
        continue
      }
      if (frame.trade !== undefined && this.#tradeSkips.get(connection.id)?.delete(frame.symbol) === true) {
        this.skippedTrades.push({ symbol: frame.symbol, id: frame.trade })
        continue
      }
      connection.send(frame.text)
      if (frame.depth !== undefined && newest && view.startPending) {
        view.startPending = false
        view.streamStart = frame.depth.first
      }
    }
  }

  #depth(symbol: string): RestResponse {
    const state = this.#stream.of(symbol)
    const view = this.#view(symbol)
    const fault = view.armed.shift()
    if (fault !== undefined) this.snapshotFaultsServed.push(fault)
    const rest = this.#options.restPrng
    if (fault === '429') return { status: 429, headers: { 'Retry-After': '0.05' }, body: { code: -1003, msg: 'Too many requests.' } }
    if (fault === 'stale' && view.streamStart !== undefined) {
      // One of the symbol's ids before the first event the client can be buffering: U > lastUpdateId.
      const older = state.ids.filter((id) => id < view.streamStart! && !view.served.has(id)).slice(-8)
      if (older.length > 0) {
        const lastUpdateId = rest.pick(older)
        this.staleServed.push({ symbol, lastUpdateId })
        view.served.add(lastUpdateId)
        return { body: this.#stream.snapshotAt(symbol, lastUpdateId) }
      }
    }
    // Binance's snapshot may be taken inside an event's id range: the futures rule exists for that.
    const id = rest.int(state.lastFirst, state.lastFinal)
    view.served.add(id)
    return { body: this.#stream.snapshotAt(symbol, id) }
  }

  #arm(faults: Map<number, Set<string>>, connectionId: number, symbol: string): void {
    let symbols = faults.get(connectionId)
    if (symbols === undefined) faults.set(connectionId, (symbols = new Set()))
    symbols.add(symbol)
  }

  #view(symbol: string): ClientView {
    const view = this.#views.get(symbol)
    if (view === undefined) throw new Error(`unknown symbol ${symbol}`)
    return view
  }
}
