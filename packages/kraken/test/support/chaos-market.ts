/**
 * A simulated live Kraken v2 market on the fake exchange, for feed.chaos.test.ts.
 *
 * Every `tickMs` the market moves: each symbol's book changes (one depth-D update with the reference
 * checksum, see ./market-book.ts) and some symbols trade (consecutive ids, ./market-trades.ts). It
 * answers what the feed asks, as Kraken does: `instrument` (ack, then the pairs with their
 * precisions), `book` (ack, then a snapshot), `trade` (ack, then the 50 latest trades when
 * `snapshot: true`), `ping` (pong), REST `AssetPairs` and `Trades`. A resync's book unsubscribe and
 * subscribe are answered two ticks late, as a real server takes a moment: updates already in flight
 * still arrive, and the other books visibly keep flowing meanwhile.
 *
 * Faults come from a plan drawn from the seed (every kind once, the recovery fault first and the
 * rest in a seeded order, plus any extras asked for). Each strikes once the market is settled (one
 * connection, everything subscribed, no corrupted book awaiting its resubscription, no trade fault in
 * progress) and a seeded number of ticks has passed, at a seeded point among that tick's frames. The
 * trade faults (./chaos-trade-faults.ts) skip trade frames on the healthy socket, and hold a REST
 * recovery while the socket dies or unreadable frames hit. While the feed is away after a disconnect,
 * each symbol trades a seeded burst: after the first disconnect more than the 50-trade snapshot holds
 * (so REST recovery runs), later mostly less.
 *
 * Determinism: the market's own moves depend only on the seed and the tick count; decisions whose
 * order depends on timing (REST answers) use a stream of their own. Which tick a fault lands on, and
 * so what the feed saw, depends on timing; everything the invariants need is recorded.
 *
 * The parts: ./chaos-ws-server.ts answers each connection, ./chaos-rest.ts serves REST Trades,
 * ./chaos-faults.ts plans and injects the faults (the trade faults, which span ticks, through
 * ./chaos-trade-faults.ts, ./chaos-drop-window.ts and ./chaos-recovery-fault.ts), and
 * ./chaos-records.ts holds what the invariants read.
 */
import type { MarketEvent } from '@dccd/core'
import type { FakeConnection, FakeExchange } from '@dccd/testkit'
import { SeededRandom } from '@dccd/testkit'
import { serveAssetPairs } from './asset-pairs.js'
import { everySeed, FaultInjector, planFaults } from './chaos-faults.js'
import type { DuringRecovery, FaultKind } from './chaos-faults.js'
import { SentBooks } from './chaos-records.js'
import type { FaultRecord, LostRun, RestCall, Sent, TradeSnapshotSent, UnreadableSent } from './chaos-records.js'
import { RestTrades } from './chaos-rest.js'
import { WsServer } from './chaos-ws-server.js'
import type { Outgoing } from './chaos-ws-server.js'
import { MarketBook } from './market-book.js'
import type { PairSpec } from './market-book.js'
import { TradeTape } from './market-trades.js'

export interface ChaosMarketOptions {
  readonly seed: number
  readonly pairs: readonly PairSpec[]
  /** The book depth the feed subscribes with. */
  readonly depth: number
  /** `fail`: every REST Trades call is answered with a non-retryable error body. */
  readonly restTrades: 'ok' | 'fail'
  /** What the seed's recovery fault strikes with while the feed's REST call is held. Default `terminate`. */
  readonly duringRecovery?: DuringRecovery
  /** Faults beyond one of each kind (drawn from the same kinds). Default 0. */
  readonly extraFaults?: number
  /** Default 2 ms. */
  readonly tickMs?: number
  /** Rows per REST Trades page. Default 1000, Kraken's. */
  readonly restPageSize?: number
}

export class ChaosMarket {
  readonly books = new Map<string, MarketBook>()
  readonly tapes = new Map<string, TradeTape>()
  /** The fault kinds the seed drew, in order. */
  readonly plan: readonly FaultKind[]
  /** Faults as they struck, in order. */
  readonly faults: FaultRecord[] = []
  /** Malformed frames sent. */
  readonly malformed: (Sent & { readonly name: string })[] = []
  /** Trade frames sent unreadable by the trade faults (each a parse error once read, its trades lost). */
  readonly unreadable: UnreadableSent[] = []
  /** Trades lost on a live connection (skipped or unreadable), by run. */
  readonly lostRuns: LostRun[] = []
  readonly restCalls: RestCall[] = []
  readonly tradeSnapshots: TradeSnapshotSent[] = []
  /** Requests a real Kraken would refuse, or that the feed should never send. */
  readonly unexpected: string[] = []
  /** Market time, µs. */
  clock: number
  ticks = 0
  /** Market time right after the latest fault (and the trades made while the feed was away), µs. */
  lastFaultAt = 0

  readonly #options: ChaosMarketOptions
  readonly #symbols: readonly string[]
  readonly #random: SeededRandom
  readonly #faults: FaultInjector
  readonly #ws: WsServer
  readonly #sentBooks = new SentBooks()
  readonly #timer: ReturnType<typeof setInterval>
  #stopped = false
  readonly #openedAt = Date.now()
  readonly #watch = { since: Number.NaN, cursor: 0, books: new Map<string, number>(), trades: new Map<string, number>() }

  constructor(fx: FakeExchange, options: ChaosMarketOptions) {
    this.#options = options
    this.#symbols = options.pairs.map((pair) => pair.symbol)
    const root = new SeededRandom(options.seed)
    this.#random = root.fork()
    const planRandom = root.fork()
    const io = root.fork()
    this.clock = 1_714_979_000_000_000 + this.#random.int(0, 1e9)
    options.pairs.forEach((pair, i) => {
      this.books.set(pair.symbol, new MarketBook(pair, options.depth, this.#random, this.clock + i))
      const tape = new TradeTape(pair.symbol, this.#random.int(1, 5_000_000), pair.pricePrecision, pair.midTick)
      // History from before the feed came: a trade snapshot is full from the start.
      for (let k = 80; k > 0; k--) tape.append(this.#random, this.clock - k * 50_000)
      this.tapes.set(pair.symbol, tape)
    })
    const planned = planFaults(planRandom, everySeed(options.duringRecovery ?? 'terminate'), options.extraFaults ?? 0)
    this.plan = planned.map((fault) => fault.kind)
    this.#faults = new FaultInjector(this, this.#symbols, planned)
    this.#ws = new WsServer(this, options, this.#faults, this.#sentBooks)
    serveAssetPairs(fx, this.#symbols)
    const restTrades = new RestTrades(this, options, io, this.#faults.trades)
    fx.route('GET', '/0/public/Trades', (request) => restTrades.answer(request))
    fx.onConnection((connection) => this.#accept(connection))
    this.#timer = setInterval(() => this.#tick(), options.tickMs ?? 2)
  }

  /** Every planned fault has struck and is over. */
  get faultsDone(): boolean {
    return this.#faults.done
  }

  /** Wall time since the market opened, ms. */
  get elapsedMs(): number {
    return Date.now() - this.#openedAt
  }

  /** The trade fault in progress, if any, and where it stands. */
  get faultInProgress(): string | undefined {
    return this.#faults.trades.state
  }

  /** Stops the clock and stops answering (held REST calls are answered). */
  stop(): void {
    this.#stopped = true
    clearInterval(this.#timer)
    this.#faults.trades.stop()
  }

  /**
   * True once every fault has struck and each symbol has at least `books` book events and `trades`
   * trades stamped after the last one (exchange time): the feed is back in sync and streaming.
   */
  recoveredIn(events: readonly MarketEvent[], books: number, trades: number): boolean {
    if (!this.faultsDone) return false
    const watch = this.#watch
    if (watch.since !== this.lastFaultAt) {
      watch.since = this.lastFaultAt
      watch.cursor = 0
      watch.books.clear()
      watch.trades.clear()
    }
    for (; watch.cursor < events.length; watch.cursor++) {
      const event = events[watch.cursor]!
      if (event.type === 'book' && event.timestamp > watch.since) watch.books.set(event.symbol, (watch.books.get(event.symbol) ?? 0) + 1)
      if (event.type === 'trade' && event.timestamp > watch.since) watch.trades.set(event.symbol, (watch.trades.get(event.symbol) ?? 0) + 1)
    }
    return this.#symbols.every((symbol) => (watch.books.get(symbol) ?? 0) >= books && (watch.trades.get(symbol) ?? 0) >= trades)
  }

  /**
   * Per connection, the highest frame index that demonstrably reached the stream (an emitted book
   * event that only that frame carried): every frame sent on it before then was read by the feed.
   */
  framesSeen(events: readonly MarketEvent[]): Map<number, number> {
    return this.#sentBooks.framesSeen(events)
  }

  #tick(): void {
    if (this.#stopped) return
    this.ticks++
    this.clock += this.#random.int(20_000, 120_000)
    const frames: Outgoing[] = []
    this.#options.pairs.forEach((pair, i) => {
      const timestamp = this.clock + i
      const entry = this.books.get(pair.symbol)!.step(this.#random, timestamp)
      frames.push({ frame: { channel: 'book', type: 'update', data: [entry] }, book: { symbol: pair.symbol, timestamp } })
      if (this.#random.chance(0.25)) {
        const tape = this.tapes.get(pair.symbol)!
        const trades = Array.from({ length: this.#random.int(1, 2) }, (_, k) => tape.append(this.#random, this.clock + 10 + k))
        frames.push({
          frame: { channel: 'trade', type: 'update', data: trades.map((trade) => tape.wsTrade(trade)) },
          trade: pair.symbol,
          tradeIds: trades.map((trade) => trade.id),
        })
      }
    })
    if (this.ticks % 20 === 0) frames.push({ frame: { channel: 'heartbeat' } })
    this.#faults.progress(this.#ws.live())
    const live = this.#ws.live()
    const due = this.#faults.due(live)
    for (const session of live) {
      const struck = due?.session === session ? this.#faults.strike(due.fault, session, frames) : frames
      this.#ws.deliver(session, this.#faults.shape(session, struck))
    }
    this.#ws.answerDeferred()
  }

  #accept(connection: FakeConnection): void {
    if (this.#stopped) return
    const session = this.#ws.accept(connection)
    connection.forEachMessage((text) => {
      if (this.#stopped) return false
      this.#ws.onRequest(session, text)
    })
  }
}
