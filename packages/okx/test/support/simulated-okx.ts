/**
 * A simulated OKX v5 on the testkit's fake exchange, speaking OKX's public wire format, driven by the test:
 * - WebSocket `/ws/v5/public`: `books` (snapshot, then chained updates: simulated-okx-books.ts), `books5`,
 *   `bbo-tbt`, `trades` (aggregated per taker order: simulated-okx-trades.ts), `mark-price`, `index-tickers`,
 *   `funding-rate`, `open-interest` (simulated-okx-derivatives.ts), `liquidation-orders` (by instType);
 * - WebSocket `/ws/v5/business`: `candle<bar>` (simulated-okx-candles.ts); candles on `/public` get error 64001;
 * - each subscription argument is acknowledged on its own (`{"event":"subscribe","arg":…,"connId":…}`), an unknown
 *   one answered `{"event":"error","code":"60018",…}`; text `ping` is answered with text `pong`;
 * - OKX closes a connection nothing was pushed to for 30 s: here `idleCloseMs` of MARKET time, checked after every
 *   step of {@link SimulatedOkx.advance} (a `pong` counts as a push), close code 4004;
 * - REST instruments, history-trades and history-candles with OKX's rate limit (simulated-okx-rest.ts).
 * The market clock moves only in {@link SimulatedOkx.advance}, in steps of `stepMs` (100 ms, OKX's `books`
 * cadence); each step pushes, per instrument in the configured order: one `trades` push per taker order, each
 * followed by the candle pushes it causes (a bar that closed: confirm "1"), then one `books` update (a no-change
 * one when nothing changed), `books5`/`bbo-tbt` when their levels changed; then closed candles, derivative data
 * due at its cadence, and random liquidations.
 */
import { FakeExchange, SeededRandom } from '@dccd/testkit'
import type { FakeConnection } from '@dccd/testkit'
import { argKey } from './okx-frames.js'
import type { OkxArg, OkxFrame, OkxPush, OkxTradeRow } from './okx-frames.js'
import { OKX_INSTRUMENTS, okxInstrument } from './okx-instruments.js'
import type { OkxInstrumentSpec } from './okx-instruments.js'
import { SimulatedOkxBook } from './simulated-okx-books.js'
import type { OkxBookState } from './simulated-okx-books.js'
import { OKX_BARS, OkxCandles, openTimeOf } from './simulated-okx-candles.js'
import type { EmptyBars } from './simulated-okx-candles.js'
import { argError, barOf, OkxConnection } from './simulated-okx-connection.js'
import { liquidationFrame, SimulatedOkxDerivatives } from './simulated-okx-derivatives.js'
import type { OkxDerivativeCadence, OkxLiquidationDetail } from './simulated-okx-derivatives.js'
import { SimulatedOkxRest } from './simulated-okx-rest.js'
import type { OkxRateLimit } from './simulated-okx-rest.js'
import { SimulatedOkxTrades } from './simulated-okx-trades.js'
import type { OkxFill, OkxTakerOrder } from './simulated-okx-trades.js'

/** Options of {@link SimulatedOkx.start}. All optional. */
export interface SimulatedOkxOptions {
  /** Default instIds (see okx-instruments.ts) or full specs. Default all five defaults. */
  readonly instruments?: readonly (string | OkxInstrumentSpec)[]
  /** Default 1. The same seed gives the same frames. */
  readonly seed?: number
  /** Market start, ms. Default 2025-01-02T00:00:00Z. */
  readonly start?: number
  /** Market step of {@link SimulatedOkx.advance}, ms. Default 100. */
  readonly stepMs?: number
  /** Fill `checksum` with OKX's CRC32 (true) or send 0 as OKX does today (false, default). */
  readonly checksums?: boolean
  /** Intervals without trades: flat zero-volume bars (default) or none. */
  readonly emptyBars?: EmptyBars
  /** Close a connection nothing was pushed to for this long, ms of market time. Default 30000; `Infinity`: never. */
  readonly idleCloseMs?: number
  /** Levels per side of each book (at most 400). Default 50. */
  readonly bookLevels?: number
  /** Chance per step of random book changes besides the trades'. Default 0.8 (other steps: no-change updates). */
  readonly bookChangeChance?: number
  /** Mean taker orders per second per instrument. Default 2. */
  readonly tradesPerSecond?: number
  /** Chance a minute has no trade at all. Default 0.05. */
  readonly quietMinuteChance?: number
  /** Fills one taker order is split into, at most. Default 4. */
  readonly maxFillsPerOrder?: number
  /** Mean liquidations per minute per derivative. Default 2. */
  readonly liquidationsPerMinute?: number
  /** Push cadence of derivative data. */
  readonly cadence?: OkxDerivativeCadence
  /** REST limit per endpoint. Default 20 per 2000 ms. */
  readonly rateLimit?: OkxRateLimit
}

interface Instrument {
  readonly spec: OkxInstrumentSpec
  readonly trades: SimulatedOkxTrades
  readonly book: SimulatedOkxBook
  readonly candles: OkxCandles
  /** Last `books5` / `bbo-tbt` levels sent, JSON. */
  top5: string
  top1: string
  fault?: 'break' | 'reset'
}

/** A frame {@link SimulatedOkx.dropNext} withheld, and from which connection. */
export interface DroppedFrame {
  readonly frame: OkxFrame
  readonly connection: OkxConnection
}

export class SimulatedOkx {
  readonly rest: SimulatedOkxRest
  /** Every connection ever accepted, in order. */
  readonly connections: OkxConnection[] = []
  /** Frames withheld by {@link dropNext}. */
  readonly dropped: DroppedFrame[] = []
  readonly #instruments = new Map<string, Instrument>()
  readonly #derivatives: SimulatedOkxDerivatives
  readonly #random: SeededRandom
  readonly #options: Required<Pick<SimulatedOkxOptions, 'stepMs' | 'idleCloseMs' | 'liquidationsPerMinute'>>
  /** Followed candle series `instId|bar` → open time of the interval being built. */
  readonly #candleOpen = new Map<string, number>()
  readonly #drops: Array<(frame: OkxFrame, connection: OkxConnection) => boolean> = []
  readonly #waiters = new Set<() => void>()
  #now: number

  private constructor(
    readonly fx: FakeExchange,
    options: SimulatedOkxOptions,
  ) {
    const seed = options.seed ?? 1
    this.#now = options.start ?? Date.UTC(2025, 0, 2)
    this.#random = new SeededRandom(seed)
    this.#options = { stepMs: options.stepMs ?? 100, idleCloseMs: options.idleCloseMs ?? 30_000, liquidationsPerMinute: options.liquidationsPerMinute ?? 2 }
    const specs = (options.instruments ?? OKX_INSTRUMENTS).map((entry) => (typeof entry === 'string' ? okxInstrument(entry) : entry))
    specs.forEach((spec, i) => {
      const trades = new SimulatedOkxTrades(spec, {
        seed: seed * 1009 + i,
        start: this.#now,
        firstTradeId: 100_000 + 1_000_000 * i,
        tradesPerSecond: options.tradesPerSecond ?? 2,
        quietMinuteChance: options.quietMinuteChance ?? 0.05,
        maxFillsPerOrder: options.maxFillsPerOrder ?? 4,
      })
      const book = new SimulatedOkxBook(spec, this.#random.fork(), {
        levels: options.bookLevels ?? 50,
        checksums: options.checksums ?? false,
        changeChance: options.bookChangeChance ?? 0.8,
        firstSeqId: 10_000_000 * (i + 1) + this.#random.int(0, 999_999),
      })
      const candles = new OkxCandles(spec, trades.fills, options.emptyBars ?? 'flat')
      this.#instruments.set(spec.instId, { spec, trades, book, candles, top5: '', top1: '' })
    })
    this.#derivatives = new SimulatedOkxDerivatives(specs, this.#random.fork(), (instId) => this.#price(instId), options.cadence)
    const map = <T>(pick: (instrument: Instrument) => T): Map<string, T> => new Map([...this.#instruments].map(([id, instrument]) => [id, pick(instrument)]))
    this.rest = new SimulatedOkxRest(fx, { specs, trades: map((i) => i.trades), candles: map((i) => i.candles), now: () => this.#now }, options.rateLimit, () => this.#notify())
    fx.onConnection((connection) => this.#accept(connection))
  }

  /** Starts the fake exchange on 127.0.0.1 (a free port) and the simulated market on it. */
  static async start(options: SimulatedOkxOptions = {}): Promise<SimulatedOkx> {
    return new SimulatedOkx(await FakeExchange.start(), options)
  }

  /** `ws://127.0.0.1:PORT`: append `/ws/v5/public` or `/ws/v5/business`. */
  get url(): string {
    return this.fx.wsUrl
  }

  /** `http://127.0.0.1:PORT`: append `/api/v5/…`. */
  get restUrl(): string {
    return this.fx.restUrl
  }

  /** The market clock, ms. */
  get now(): number {
    return this.#now
  }

  /** The simulated instruments. */
  get instruments(): OkxInstrumentSpec[] {
    return [...this.#instruments.values()].map((instrument) => instrument.spec)
  }

  /**
   * Moves the market clock `ms` forward in steps of `stepMs` and pushes every resulting frame to the subscribed,
   * live connections (see the file comment for the order).
   *
   * @returns the new fills per instId
   */
  advance(ms: number): Map<string, OkxFill[]> {
    const added = new Map<string, OkxFill[]>([...this.#instruments.keys()].map((id) => [id, []]))
    const end = this.#now + ms
    while (this.#now < end) {
      const from = this.#now
      const to = Math.min(end, from + this.#options.stepMs)
      this.#now = to
      for (const instrument of this.#instruments.values()) {
        const orders = instrument.trades.advanceTo(to)
        for (const order of orders) added.get(instrument.spec.instId)!.push(...order.fills)
        this.#stepInstrument(instrument, orders, to)
      }
      for (const key of this.#candleOpen.keys()) {
        const [instId, bar] = key.split('|') as [string, string]
        this.#closeCandles(this.#instruments.get(instId)!, bar, openTimeOf(bar, to))
      }
      for (const frame of this.#derivatives.step(from, to)) this.#broadcast(frame)
      this.#randomLiquidations(to)
      this.#closeIdle()
    }
    this.#notify()
    return added
  }

  /** Pushes a liquidation of `instId` (a derivative) now, to `liquidation-orders` subscribers of its instType. */
  liquidate(instId: string, detail: Partial<OkxLiquidationDetail> = {}): void {
    const spec = this.#instrument(instId).spec
    this.#broadcast(liquidationFrame(spec, [{ ...this.#derivatives.randomLiquidation(instId, this.#now), ...detail }]))
    this.#notify()
  }

  /** The next frame matching `predicate` is not sent (to that one connection); it goes to {@link dropped}. */
  dropNext(predicate: (frame: OkxFrame, connection: OkxConnection) => boolean): void {
    this.#drops.push(predicate)
  }

  /**
   * The next `books` step of `instId` is split in two: a hidden update (changes applied, seqId consumed, sent to
   * nobody), then the visible one, whose `prevSeqId` is the hidden one's seqId, not the last seqId clients saw.
   */
  breakChain(instId: string): void {
    this.#instrument(instId).fault = 'break'
  }

  /** The next `books` update of `instId` restarts the seqIds (as after maintenance): its seqId is below its prevSeqId. */
  resetSeqId(instId: string): void {
    this.#instrument(instId).fault = 'reset'
  }

  /** REST `history-trades` of `instId` no longer serves fills with ids below `tradeId`. */
  purgeTradesBelow(instId: string, tradeId: number): void {
    this.#instrument(instId).trades.purgedBelow = tradeId
  }

  /** Terminates every open connection (the client sees 1006). */
  disconnect(): void {
    for (const connection of this.#live()) {
      connection.dead = true
      connection.connection.terminate()
    }
  }

  /** Every open connection stops pushing and answering `ping`; the sockets stay open (the client must notice). */
  stall(): void {
    for (const connection of this.#live()) {
      connection.dead = true
      connection.connection.stall()
    }
  }

  /** The true book of `instId` after the latest message of its chain, best levels first. */
  bookOf(instId: string): OkxBookState {
    return this.#instrument(instId).book.state()
  }

  /** The true book after every message of the chain (hidden ones included), oldest first; [0] is the initial book. */
  bookHistory(instId: string): readonly OkxBookState[] {
    return this.#instrument(instId).book.history
  }

  /** Every fill of `instId` so far (purged ones included): what REST history has or had. */
  trades(instId: string): readonly OkxFill[] {
    return this.#instrument(instId).trades.fills
  }

  /** Every `trades` row the stream produced for `instId` (one per taker order), sent or dropped. */
  pushedTrades(instId: string): readonly OkxTradeRow[] {
    return this.#instrument(instId).trades.pushed
  }

  /** Arguments acknowledged with `subscribe` over all connections, optionally of one channel (and instId/instType). */
  subscribeCount(channel?: string, id?: string): number {
    return this.#count('subscribe', channel, id)
  }

  /** Arguments acknowledged with `unsubscribe`, as {@link subscribeCount}. */
  unsubscribeCount(channel?: string, id?: string): number {
    return this.#count('unsubscribe', channel, id)
  }

  /** `pong`s sent, over all connections. */
  get pingsAnswered(): number {
    return this.connections.reduce((sum, connection) => sum + connection.pongs, 0)
  }

  /**
   * Resolves once `predicate()` holds: checked now and after every client message, connection, close, REST answer,
   * {@link advance} and {@link liquidate}. No timeout: the test's own timeout applies.
   */
  until(predicate: () => boolean): Promise<void> {
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

  /** Resolves once some live connection holds every subscription in `args`. */
  subscribed(args: readonly OkxArg[]): Promise<void> {
    return this.until(() => this.#live().some((connection) => args.every((arg) => connection.has(arg))))
  }

  /** Stops the servers (every socket terminated). */
  close(): Promise<void> {
    this.#waiters.clear()
    return this.fx.close()
  }

  #instrument(instId: string): Instrument {
    const instrument = this.#instruments.get(instId)
    if (instrument === undefined) throw new Error(`SimulatedOkx: unknown instId ${instId}. Known: ${[...this.#instruments.keys()].join(', ')}`)
    return instrument
  }

  #price(instId: string): number {
    const { spec, trades } = this.#instrument(instId)
    const ticks = trades.lastTicks
    return ticks === undefined ? spec.startPrice : ticks * Number(spec.tickSz)
  }

  #stepInstrument(instrument: Instrument, orders: OkxTakerOrder[], ts: number): void {
    const { spec, trades, book } = instrument
    const instId = spec.instId
    for (const order of orders) {
      this.#broadcast({ arg: { channel: 'trades', instId }, data: [order.row] })
      const end = trades.indexAfter(order.fills.at(-1)!)
      for (const key of this.#candleOpen.keys()) {
        const [id, bar] = key.split('|') as [string, string]
        if (id !== instId) continue
        const open = openTimeOf(bar, Number(order.row.ts))
        this.#closeCandles(instrument, bar, open)
        const row = instrument.candles.row(bar, open, '0', end)
        if (row !== undefined) this.#broadcast({ arg: { channel: `candle${bar}`, instId }, data: [row] })
      }
    }
    const last = orders.at(-1)
    const trade = last === undefined ? undefined : { ticks: last.fills[0]!.ticks, side: last.row.side }
    const fault = instrument.fault
    instrument.fault = undefined
    if (fault === 'break') book.step(ts, trade, { force: true })
    const resetTo = fault === 'reset' ? 1000 + this.#random.int(0, 999) : undefined
    const row = book.step(ts, fault === 'break' ? undefined : trade, { resetTo })
    this.#broadcast({ arg: { channel: 'books', instId }, action: 'update', data: [row] })
    const top5 = JSON.stringify(book.top(5))
    if (top5 !== instrument.top5) {
      instrument.top5 = top5
      this.#broadcast(this.#books5(instrument))
      const top1 = JSON.stringify(book.top(1))
      if (top1 !== instrument.top1) {
        instrument.top1 = top1
        this.#broadcast(this.#bbo(instrument))
      }
    }
  }

  #books5(instrument: Instrument): OkxPush {
    const { asks, bids } = instrument.book.top(5)
    const instId = instrument.spec.instId
    return { arg: { channel: 'books5', instId }, data: [{ asks, bids, instId, ts: String(this.#now), seqId: instrument.book.seqId }] }
  }

  #bbo(instrument: Instrument): OkxPush {
    const { asks, bids } = instrument.book.top(1)
    return { arg: { channel: 'bbo-tbt', instId: instrument.spec.instId }, data: [{ asks, bids, ts: String(this.#now), seqId: instrument.book.seqId }] }
  }

  /** Pushes the confirmed rows of the `bar` intervals of `instrument` that opened before `until`. */
  #closeCandles(instrument: Instrument, bar: string, until: number): void {
    const key = `${instrument.spec.instId}|${bar}`
    let open = this.#candleOpen.get(key)!
    while (open < until) {
      const row = instrument.candles.row(bar, open, '1')
      if (row !== undefined) this.#broadcast({ arg: { channel: `candle${bar}`, instId: instrument.spec.instId }, data: [row] })
      open += OKX_BARS[bar]!
    }
    this.#candleOpen.set(key, open)
  }

  #randomLiquidations(ts: number): void {
    const chance = (this.#options.liquidationsPerMinute * this.#options.stepMs) / 60_000
    for (const { spec } of this.#instruments.values()) {
      if (spec.instType === 'SPOT' || !this.#random.chance(chance)) continue
      this.#broadcast(liquidationFrame(spec, [this.#derivatives.randomLiquidation(spec.instId, ts)]))
    }
  }

  #closeIdle(): void {
    for (const connection of this.#live()) {
      if (this.#now - connection.lastPushAt < this.#options.idleCloseMs) continue
      connection.dead = true
      connection.idleClosed = true
      connection.connection.close(4004, 'No data received in 30s.')
    }
  }

  /** Sends `frame` to every live connection subscribed to its argument, encoded once. */
  #broadcast(frame: OkxPush): void {
    const key = argKey(frame.arg)
    let text: string | undefined
    for (const connection of this.#live()) {
      if (!connection.subscriptions.has(key)) continue
      text ??= JSON.stringify(frame)
      this.#send(connection, frame, text)
    }
  }

  #send(connection: OkxConnection, frame: OkxFrame, text = JSON.stringify(frame)): void {
    const drop = this.#drops.findIndex((predicate) => predicate(frame, connection))
    if (drop !== -1) {
      this.#drops.splice(drop, 1)
      this.dropped.push({ frame, connection })
      return
    }
    connection.connection.send(text)
    connection.lastPushAt = this.#now
  }

  #accept(fake: FakeConnection): void {
    const connection = new OkxConnection(fake, this.#now)
    this.connections.push(connection)
    void fake.closed.then(() => this.#notify())
    fake.forEachMessage((text) => {
      this.#onMessage(connection, text)
      this.#notify()
    })
    this.#notify()
  }

  #onMessage(connection: OkxConnection, text: string): void {
    if (text === 'ping') {
      connection.pings++
      if (connection.dead) return
      connection.pongs++
      connection.connection.send('pong')
      connection.lastPushAt = this.#now
      return
    }
    if (connection.dead) return
    let request: { op?: unknown; args?: unknown }
    try {
      request = JSON.parse(text) as typeof request
    } catch {
      request = {}
    }
    if ((request.op !== 'subscribe' && request.op !== 'unsubscribe') || !Array.isArray(request.args)) {
      connection.errors++
      this.#send(connection, { event: 'error', code: '60012', msg: `Invalid request: ${text}`, connId: connection.connId })
      return
    }
    for (const arg of request.args as OkxArg[]) this.#onArg(connection, request.op, arg)
  }

  #onArg(connection: OkxConnection, op: 'subscribe' | 'unsubscribe', arg: OkxArg): void {
    const error = argError(connection.socket, arg, { specs: this.instruments, serves: (channel, id) => this.#derivatives.serves(channel, id) })
    if (error !== undefined) {
      connection.errors++
      this.#send(connection, { event: 'error', ...error, connId: connection.connId })
      return
    }
    this.#send(connection, { event: op, arg, connId: connection.connId })
    connection.acks.push({ event: op, arg })
    if (op === 'unsubscribe') {
      connection.unsubscribes++
      connection.subscriptions.delete(argKey(arg))
      return
    }
    connection.subscribes++
    connection.subscriptions.set(argKey(arg), arg)
    const instrument = arg.instId === undefined ? undefined : this.#instruments.get(arg.instId)
    const bar = barOf(arg.channel)
    if (bar !== undefined) {
      const key = `${arg.instId}|${bar}`
      if (!this.#candleOpen.has(key)) this.#candleOpen.set(key, openTimeOf(bar, this.#now))
    } else if (arg.channel === 'books') {
      this.#send(connection, { arg, action: 'snapshot', data: [instrument!.book.snapshot(this.#now)] })
    } else if (arg.channel === 'books5') {
      this.#send(connection, this.#books5(instrument!))
    } else if (arg.channel === 'bbo-tbt') {
      this.#send(connection, this.#bbo(instrument!))
    } else if (this.#derivatives.serves(arg.channel, arg.instId ?? '')) {
      this.#send(connection, this.#derivatives.frame(arg.channel, arg.instId!, this.#now))
    }
  }

  #count(event: 'subscribe' | 'unsubscribe', channel?: string, id?: string): number {
    let count = 0
    for (const connection of this.connections) {
      for (const ack of connection.acks) {
        if (ack.event === event && (channel === undefined || ack.arg.channel === channel) && (id === undefined || (ack.arg.instId ?? ack.arg.instType) === id)) count++
      }
    }
    return count
  }

  #live(): OkxConnection[] {
    return this.connections.filter((connection) => connection.live)
  }

  #notify(): void {
    for (const check of [...this.#waiters]) check()
  }
}
