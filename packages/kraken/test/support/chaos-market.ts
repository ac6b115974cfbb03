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
 * Faults come from a plan drawn from the seed (every kind once, in a seeded order, plus any extras
 * asked for). Each strikes once the market is settled (one connection, everything subscribed, no corrupted book
 * awaiting its resubscription) and a seeded number of ticks has passed, at a seeded point among that
 * tick's frames. While the feed is away after a disconnect, each symbol trades a seeded burst: after
 * the first disconnect more than the 50-trade snapshot holds (so REST recovery runs), later mostly less.
 *
 * Determinism: the market's own moves depend only on the seed and the tick count; decisions whose
 * order depends on timing (REST answers) use a stream of their own. Which tick a fault lands on, and
 * so what the feed saw, depends on timing; everything the invariants need is recorded.
 */
import { microsToIso } from '@dccd/core'
import type { MarketEvent } from '@dccd/core'
import type { FakeConnection, FakeExchange, RestRequest, RestResponse } from '@dccd/testkit'
import type { WireLevel } from '../../scripts/reference-book.js'
import { altnameOf, serveAssetPairs } from './asset-pairs.js'
import { MALFORMED_FRAMES } from './malformed-frames.js'
import { MarketBook } from './market-book.js'
import type { PairSpec } from './market-book.js'
import { TradeTape } from './market-trades.js'
import type { KrakenRequestJson } from './scripted-kraken.js'
import { SeededRandom } from '@dccd/testkit'

export type FaultKind = 'terminate' | 'close' | 'handshake-drop' | 'stall' | 'corrupt-level' | 'corrupt-checksum' | 'malformed'

/** Every seed meets each of these once, in its own order; extra faults are drawn from the same kinds. */
export const EVERY_SEED: readonly FaultKind[] = ['terminate', 'close', 'handshake-drop', 'stall', 'corrupt-level', 'corrupt-checksum', 'malformed']
/** Trades a v2 trade snapshot holds. */
const SNAPSHOT_TRADES = 50
/** Ticks the market waits for a corrupted book's resubscription before it reports the feed and moves on. */
const RESYNC_PATIENCE_TICKS = 100

export interface ChaosMarketOptions {
  readonly seed: number
  readonly pairs: readonly PairSpec[]
  /** The book depth the feed subscribes with. */
  readonly depth: number
  /** `fail`: every REST Trades call is answered with a non-retryable error body. */
  readonly restTrades: 'ok' | 'fail'
  /** Faults beyond one of each kind (drawn from the same kinds). Default 0. */
  readonly extraFaults?: number
  /** Default 2 ms. */
  readonly tickMs?: number
  /** Rows per REST Trades page. Default 1000, Kraken's. */
  readonly restPageSize?: number
}

/** A fault as it struck. */
export interface FaultRecord {
  readonly kind: FaultKind
  readonly connection: number
  /** Market time when it struck, µs. */
  readonly at: number
  readonly detail: string
  /** Corruptions: the symbol and the checksum the corrupted frame carried. */
  readonly symbol?: string
  readonly checksum?: number
  /** Corruptions: the frame's 1-based index on its connection, once sent. */
  seq?: number
}

/** Where a frame went: connection id and its 1-based index among the frames sent on it. */
export interface Sent {
  readonly connection: number
  readonly seq: number
}

export interface RestCall {
  readonly symbol: string
  readonly since: string
  readonly answer: 'page' | 'throttled' | 'error'
  /** A page's `last` cursor (the `since` of the page after it). */
  readonly last?: string
}

export interface TradeSnapshotSent {
  readonly symbol: string
  readonly connection: number
  readonly firstId: number
  readonly lastId: number
}

interface PlannedFault {
  readonly kind: FaultKind
  /** Settled ticks before it strikes. */
  readonly waitTicks: number
  /** Its own stream: where it strikes, what it corrupts, how many trades the market makes meanwhile. */
  readonly random: SeededRandom
}

/** One frame of a tick, or an action (a fault) at its place among them. */
type Outgoing =
  | {
      readonly frame: object | string
      /** A book update: sent only where that book is subscribed; recorded for the invariants. */
      readonly book?: { readonly symbol: string; readonly timestamp: number }
      /** A trade update: sent only where that symbol's trades are subscribed. */
      readonly trade?: string
      readonly onSent?: (seq: number) => void
    }
  | (() => void)

class Session {
  readonly books = new Set<string>()
  readonly trades = new Set<string>()
  instrument = false
  /** Book requests seen: the first is the connection's own subscription, later ones are resyncs. */
  bookRequests = 0
  readonly deferred: { readonly request: KrakenRequestJson; readonly dueTick: number }[] = []
  /** Frames sent so far. */
  seq = 0
  requests = 0
  /** A handshake-drop fault: terminate at this request, before answering it. */
  dropAtRequest: number | undefined
  /** Closed or terminated by the market (the socket may not have noticed yet). */
  dropped = false
  /** Symbols sent a corrupted update and not resubscribed since (→ tick of the corruption): no other fault strikes meanwhile. */
  readonly corrupted = new Map<string, number>()

  constructor(readonly connection: FakeConnection) {}

  get live(): boolean {
    return !this.dropped && this.connection.isOpen && !this.connection.isStalled
  }
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
  readonly #io: SeededRandom
  readonly #planned: readonly PlannedFault[]
  #nextFault = 0
  #settledSince: number | undefined
  /** A handshake-drop waits for the next connection: its request number. */
  #armedDrop: number | undefined
  #dropPending = false
  #disconnects = 0
  readonly #sessions: Session[] = []
  /** `symbol timestamp snapshot|update` → where that book message went. */
  readonly #sentBooks = new Map<string, Sent[]>()
  readonly #symbolByAltname = new Map<string, string>()
  readonly #throttledLast = new Set<string>()
  readonly #timer: ReturnType<typeof setInterval>
  #stopped = false
  readonly #watch = { since: Number.NaN, cursor: 0, books: new Map<string, number>(), trades: new Map<string, number>() }

  constructor(fx: FakeExchange, options: ChaosMarketOptions) {
    this.#options = options
    this.#symbols = options.pairs.map((pair) => pair.symbol)
    const root = new SeededRandom(options.seed)
    this.#random = root.fork()
    const planRandom = root.fork()
    this.#io = root.fork()
    this.clock = 1_714_979_000_000_000 + this.#random.int(0, 1e9)
    options.pairs.forEach((pair, i) => {
      this.books.set(pair.symbol, new MarketBook(pair, options.depth, this.#random, this.clock + i))
      const tape = new TradeTape(pair.symbol, this.#random.int(1, 5_000_000), pair.pricePrecision, pair.midTick)
      // History from before the feed came: a trade snapshot is full from the start.
      for (let k = 80; k > 0; k--) tape.append(this.#random, this.clock - k * 50_000)
      this.tapes.set(pair.symbol, tape)
      this.#symbolByAltname.set(altnameOf(pair.symbol), pair.symbol)
    })
    const kinds = [...planRandom.shuffle(EVERY_SEED), ...Array.from({ length: options.extraFaults ?? 0 }, () => planRandom.pick(EVERY_SEED))]
    // The first waits longer, so every symbol has traded (continuity starts there) before the first disconnect.
    this.#planned = kinds.map((kind, i) => ({ kind, waitTicks: planRandom.int(i === 0 ? 20 : 3, 40), random: planRandom.fork() }))
    this.plan = kinds
    serveAssetPairs(fx, this.#symbols)
    fx.route('GET', '/0/public/Trades', (request) => this.#restTrades(request))
    fx.onConnection((connection) => this.#accept(connection))
    this.#timer = setInterval(() => this.#tick(), options.tickMs ?? 2)
  }

  /** Every planned fault has struck. */
  get faultsDone(): boolean {
    return this.#nextFault >= this.#planned.length && !this.#dropPending
  }

  /** Stops the clock and stops answering. */
  stop(): void {
    this.#stopped = true
    clearInterval(this.#timer)
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
    const seen = new Map<number, number>()
    for (const event of events) {
      if (event.type !== 'book') continue
      const sent = this.#sentBooks.get(bookKey(event.symbol, event.timestamp, event.isSnapshot))
      if (sent?.length !== 1) continue // sent twice (two connections): which one was read is unknown
      const { connection, seq } = sent[0]!
      if (seq > (seen.get(connection) ?? 0)) seen.set(connection, seq)
    }
    return seen
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
        frames.push({ frame: { channel: 'trade', type: 'update', data: trades.map((trade) => tape.wsTrade(trade)) }, trade: pair.symbol })
      }
    })
    if (this.ticks % 20 === 0) frames.push({ frame: { channel: 'heartbeat' } })
    const live = this.#sessions.filter((session) => session.live)
    const due = this.#dueFault(live)
    for (const session of live) this.#deliver(session, due?.session === session ? this.#strike(due.fault, session, frames) : frames)
    for (const session of this.#sessions) this.#answerDeferred(session)
  }

  /** The next fault, if the market is settled (one connection, everything subscribed) and its wait is over. */
  #dueFault(live: readonly Session[]): { fault: PlannedFault; session: Session } | undefined {
    const session = live.length === 1 ? live[0]! : undefined
    if (session === undefined || !this.#settled(session)) {
      this.#settledSince = undefined
      return undefined
    }
    this.#settledSince ??= this.ticks
    const fault = this.#planned[this.#nextFault]
    if (fault === undefined || this.#dropPending || this.ticks - this.#settledSince < fault.waitTicks) return undefined
    this.#nextFault++
    this.#settledSince = undefined
    return { fault, session }
  }

  #settled(session: Session): boolean {
    for (const [symbol, tick] of session.corrupted) {
      // A feed that reads the corruption resubscribes within a few ticks; one that never does is reported, not waited for.
      if (this.ticks - tick <= RESYNC_PATIENCE_TICKS) continue
      this.unexpected.push(`${symbol}: no book resubscription within ${RESYNC_PATIENCE_TICKS} ticks of the corrupted update (tick ${tick})`)
      session.corrupted.delete(symbol)
    }
    return (
      session.instrument &&
      session.deferred.length === 0 &&
      session.corrupted.size === 0 &&
      this.#symbols.every((symbol) => session.books.has(symbol) && session.trades.has(symbol))
    )
  }

  #deliver(session: Session, frames: readonly Outgoing[]): void {
    for (const item of frames) {
      if (typeof item === 'function') {
        item()
        continue
      }
      if (item.book !== undefined && !session.books.has(item.book.symbol)) continue
      if (item.trade !== undefined && !session.trades.has(item.trade)) continue
      if (!session.instrument) continue // heartbeats and junk, before the feed subscribed
      const seq = this.#send(session, item.frame)
      if (seq === undefined) return
      if (item.book !== undefined) this.#recordBook(item.book.symbol, item.book.timestamp, false, session, seq)
      item.onSent?.(seq)
    }
  }

  /** The tick's frames with `fault` placed among them. */
  #strike(fault: PlannedFault, session: Session, frames: readonly Outgoing[]): Outgoing[] {
    const { kind, random } = fault
    const out = [...frames]
    const connection = session.connection.id
    const where = `tick ${this.ticks}`
    switch (kind) {
      case 'terminate':
      case 'close':
      case 'stall':
      case 'handshake-drop': {
        const at = random.int(0, out.length)
        out.splice(at, 0, () => {
          if (kind === 'stall') session.connection.stall()
          else if (kind === 'close') session.connection.close(1001, 'going away')
          else session.connection.terminate()
          session.dropped = kind !== 'stall' // a stalled socket stays open until the feed gives up on it
          if (kind === 'handshake-drop') {
            this.#armedDrop = random.int(1, 3)
            this.#dropPending = true
          }
          const burst = this.#away(random)
          this.#record({ kind, connection, detail: `${where}, after ${at} of ${frames.length} frames; while away ${burst}` })
        })
        return out
      }
      case 'corrupt-level':
      case 'corrupt-checksum': {
        // A level the checksum covers: one changed below the top 10 could go unnoticed (that is Kraken's
        // design, not the feed's), so a level corruption picks a symbol whose update reaches the top 10.
        const updates = this.#symbols.map((symbol) => {
          const index = out.findIndex((item) => typeof item !== 'function' && item.book?.symbol === symbol)
          const item = out[index] as Exclude<Outgoing, () => void>
          const message = structuredClone(item.frame) as { data: { bids: WireLevel[]; asks: WireLevel[]; checksum: number }[] }
          const entry = message.data[0]!
          const book = this.books.get(symbol)!
          const candidates = (['bids', 'asks'] as const).flatMap((side) => entry[side].filter((l) => l.qty > 0 && book.inTop10(side, l.price)).map((level) => ({ side, level })))
          return { symbol, index, item, message, entry, candidates }
        })
        const reaching = updates.filter((update) => update.candidates.length > 0)
        const { symbol, index, item, message, entry, candidates } = random.pick(kind === 'corrupt-level' && reaching.length > 0 ? reaching : updates)
        let detail: string
        let actual: FaultKind = kind
        if (kind === 'corrupt-level' && candidates.length > 0) {
          const { side, level } = random.pick(candidates)
          detail = `${where}: ${symbol} ${side} ${level.price} qty ${level.qty} sent as ${level.qty + 1}`
          level.qty += 1
        } else {
          if (kind === 'corrupt-level') actual = 'corrupt-checksum' // no top-10 level in this update
          const flipped = (entry.checksum ^ (1 << random.int(0, 31))) >>> 0
          detail = `${where}: ${symbol} checksum ${entry.checksum} sent as ${flipped}`
          entry.checksum = flipped
        }
        const record = this.#record({ kind: actual, connection, symbol, checksum: entry.checksum, detail })
        session.corrupted.set(symbol, this.ticks)
        out[index] = { ...item, frame: message, onSent: (seq) => (record.seq = seq) }
        return out
      }
      case 'malformed': {
        // The seed's first malformed fault sends every kind once; later ones a random few.
        const kinds = this.malformed.length === 0 ? random.shuffle(MALFORMED_FRAMES) : Array.from({ length: random.int(1, 4) }, () => random.pick(MALFORMED_FRAMES))
        const names: string[] = []
        for (const junk of kinds) {
          const symbol = random.pick(this.#symbols)
          const text = junk.text({ symbol, timestamp: microsToIso(this.clock), freeBidPrice: this.books.get(symbol)!.freeBidPrice(random) })
          names.push(junk.name)
          out.splice(random.int(0, out.length), 0, { frame: text, onSent: (seq) => void this.malformed.push({ connection, seq, name: junk.name }) })
        }
        this.#record({ kind, connection, detail: `${where}: ${names.join('; ')}` })
        return out
      }
    }
  }

  /**
   * The market goes on while the feed is away: each symbol trades a seeded burst. The first
   * disconnect's bursts all outrun the 50-trade snapshot, so every seed needs REST recovery; later
   * ones mostly fit in it (the feed paces REST Trades to one call per second per pair, so each extra
   * recovery costs a second of test time).
   */
  #away(random: SeededRandom): string {
    const first = this.#disconnects++ === 0
    return this.#symbols
      .map((symbol) => {
        const count = first || random.chance(0.1) ? random.int(55, 160) : random.int(0, 20)
        const tape = this.tapes.get(symbol)!
        for (let k = 0; k < count; k++) tape.append(random, (this.clock += random.int(100, 3000)))
        return `${symbol} +${count} trades`
      })
      .join(', ')
  }

  #record(fault: Omit<FaultRecord, 'at'>): FaultRecord {
    const record: FaultRecord = { ...fault, at: this.clock }
    this.faults.push(record)
    this.lastFaultAt = this.clock
    return record
  }

  #accept(connection: FakeConnection): void {
    if (this.#stopped) return
    const session = new Session(connection)
    session.dropAtRequest = this.#armedDrop
    this.#armedDrop = undefined
    this.#sessions.push(session)
    this.#send(session, { channel: 'status', type: 'update', data: [{ api_version: 'v2', connection_id: connection.id, system: 'online', version: '2.0.10' }] })
    connection.forEachMessage((text) => {
      if (this.#stopped) return false
      this.#onRequest(session, text)
    })
  }

  #onRequest(session: Session, text: string): void {
    let request: KrakenRequestJson
    try {
      request = JSON.parse(text) as KrakenRequestJson
    } catch {
      this.unexpected.push(`not JSON: ${text}`)
      return
    }
    if (++session.requests === session.dropAtRequest) {
      // Mid-handshake: the connection dies before this request is answered.
      session.dropped = true
      session.connection.terminate()
      this.#dropPending = false
      this.#record({ kind: 'handshake-drop', connection: session.connection.id, detail: `at request ${session.requests} (${request.method} ${request.params?.channel ?? ''})` })
      return
    }
    const { method, params } = request
    const now = microsToIso(this.clock)
    if (method === 'ping') {
      this.#send(session, { method: 'pong', req_id: request.req_id, time_in: now, time_out: now })
    } else if (method === 'subscribe' && params?.channel === 'instrument') {
      this.#send(session, { method: 'subscribe', result: { channel: 'instrument', snapshot: true }, success: true, time_in: now, time_out: now, req_id: request.req_id })
      const pairs = this.#options.pairs.map((pair) => ({
        symbol: pair.symbol,
        base: pair.symbol.split('/')[0],
        quote: pair.symbol.split('/')[1],
        status: 'online',
        price_precision: pair.pricePrecision,
        qty_precision: pair.qtyPrecision,
        price_increment: 10 ** -pair.pricePrecision,
        qty_increment: 10 ** -pair.qtyPrecision,
        qty_min: 10 ** -pair.qtyPrecision,
      }))
      this.#send(session, { channel: 'instrument', type: 'snapshot', data: { assets: [], pairs } })
      session.instrument = true
    } else if (params?.channel === 'book' && (method === 'subscribe' || method === 'unsubscribe') && session.instrument) {
      if (params.depth !== this.#options.depth) this.unexpected.push(`book depth ${params.depth}, not ${this.#options.depth}: ${text}`)
      if (session.bookRequests++ === 0) this.#answerBook(session, request)
      else session.deferred.push({ request, dueTick: this.ticks + 2 })
    } else if (method === 'subscribe' && params?.channel === 'trade' && session.instrument) {
      this.#answerTrade(session, request)
    } else {
      this.unexpected.push(text)
    }
  }

  #answerBook(session: Session, request: KrakenRequestJson): void {
    const depth = this.#options.depth
    for (const symbol of request.params!.symbol ?? []) {
      const book = this.books.get(symbol)
      const refuse = (error: string): void => {
        this.unexpected.push(`${request.method} book ${symbol}: ${error}`)
        this.#send(session, { error, method: request.method, success: false, symbol, req_id: request.req_id })
      }
      if (book === undefined) refuse(`Currency pair not supported ${symbol}`)
      else if (request.method === 'unsubscribe') {
        if (!session.books.delete(symbol)) refuse('Subscription Not Found')
        else this.#send(session, { method: 'unsubscribe', result: { channel: 'book', depth, symbol }, success: true, req_id: request.req_id })
      } else if (session.books.has(symbol)) refuse('Already subscribed')
      else {
        this.#send(session, { method: 'subscribe', result: { channel: 'book', depth, snapshot: true, symbol }, success: true, req_id: request.req_id })
        const seq = this.#send(session, { channel: 'book', type: 'snapshot', data: [book.snapshot()] })
        if (seq !== undefined) this.#recordBook(symbol, book.latest, true, session, seq)
        session.books.add(symbol)
        session.corrupted.delete(symbol)
      }
    }
  }

  #answerTrade(session: Session, request: KrakenRequestJson): void {
    const snapshot = request.params!.snapshot === true
    for (const symbol of request.params!.symbol ?? []) {
      const tape = this.tapes.get(symbol)
      if (tape === undefined || session.trades.has(symbol)) {
        this.unexpected.push(`subscribe trade ${symbol} refused`)
        this.#send(session, { error: tape === undefined ? `Currency pair not supported ${symbol}` : 'Already subscribed', method: 'subscribe', success: false, symbol, req_id: request.req_id })
        continue
      }
      this.#send(session, { method: 'subscribe', result: { channel: 'trade', snapshot, symbol }, success: true, req_id: request.req_id })
      if (snapshot) {
        const trades = tape.recent(SNAPSHOT_TRADES)
        this.#send(session, { channel: 'trade', type: 'snapshot', data: trades.map((trade) => tape.wsTrade(trade)) })
        this.tradeSnapshots.push({ symbol, connection: session.connection.id, firstId: trades[0]!.id, lastId: trades.at(-1)!.id })
      }
      session.trades.add(symbol)
    }
  }

  #answerDeferred(session: Session): void {
    if (!session.live) session.deferred.length = 0
    while (session.deferred.length > 0 && session.deferred[0]!.dueTick <= this.ticks) this.#answerBook(session, session.deferred.shift()!.request)
  }

  #restTrades(request: RestRequest): RestResponse {
    const symbol = this.#symbolByAltname.get(request.query.get('pair') ?? '')
    const since = request.query.get('since') ?? ''
    if (symbol === undefined || !/^\d+$/.test(since)) {
      this.unexpected.push(`REST Trades ${request.query.toString()}`)
      return { body: { error: ['EGeneral:Invalid arguments'] } }
    }
    if (this.#options.restTrades === 'fail') {
      this.restCalls.push({ symbol, since, answer: 'error' })
      return { body: '{"error":["EGeneral:Invalid arguments"]}' }
    }
    // Kraken throttles with a 200 and an error body. The run's first call always, later ones sometimes;
    // never twice in a row for one pair, so the client's retries always suffice.
    if (!this.#throttledLast.has(symbol) && (this.restCalls.length === 0 || this.#io.chance(0.1))) {
      this.#throttledLast.add(symbol)
      this.restCalls.push({ symbol, since, answer: 'throttled' })
      return { body: '{"error":["EGeneral:Too many requests"]}' }
    }
    this.#throttledLast.delete(symbol)
    const page = this.tapes.get(symbol)!.restPage(`X${altnameOf(symbol)}`, BigInt(since), this.#options.restPageSize ?? 1000)
    this.restCalls.push({ symbol, since, answer: 'page', last: page.last })
    return { body: page.body }
  }

  #send(session: Session, frame: object | string): number | undefined {
    if (!session.live) return undefined
    session.connection.send(frame)
    return ++session.seq
  }

  #recordBook(symbol: string, timestamp: number, isSnapshot: boolean, session: Session, seq: number): void {
    const key = bookKey(symbol, timestamp, isSnapshot)
    const sent = this.#sentBooks.get(key)
    const where = { connection: session.connection.id, seq }
    if (sent === undefined) this.#sentBooks.set(key, [where])
    else sent.push(where)
  }
}

function bookKey(symbol: string, timestamp: number, isSnapshot: boolean): string {
  return `${symbol} ${timestamp} ${isSnapshot ? 'snapshot' : 'update'}`
}
