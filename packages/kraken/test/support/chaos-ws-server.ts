/**
 * The chaos market's WebSocket side (see ./chaos-market.ts): a session per connection, answering the
 * feed's requests as Kraken v2 does and delivering each tick's frames where they are subscribed.
 */
import { microsToIso } from '@dccd/core'
import type { FakeConnection } from '@dccd/testkit'
import type { FaultInjector } from './chaos-faults.js'
import type { ChaosMarket, ChaosMarketOptions } from './chaos-market.js'
import type { SentBooks } from './chaos-records.js'
import type { KrakenRequestJson } from './scripted-kraken.js'

/** Trades a v2 trade snapshot holds. */
const SNAPSHOT_TRADES = 50

/** One frame of a tick, or an action (a fault) at its place among them. */
export type Outgoing =
  | {
      readonly frame: object | string
      /** A book update: sent only where that book is subscribed; recorded for the invariants. */
      readonly book?: { readonly symbol: string; readonly timestamp: number }
      /** A trade update: sent only where that symbol's trades are subscribed. */
      readonly trade?: string
      /** A trade update's ids, in order. */
      readonly tradeIds?: readonly number[]
      readonly onSent?: (seq: number) => void
    }
  | (() => void)

export class Session {
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

  /** Sends `frame` while the session is live: its 1-based index on the connection, else undefined. */
  send(frame: object | string): number | undefined {
    if (!this.live) return undefined
    this.connection.send(frame)
    return ++this.seq
  }
}

export class WsServer {
  readonly #market: ChaosMarket
  readonly #options: ChaosMarketOptions
  readonly #faults: FaultInjector
  readonly #sentBooks: SentBooks
  readonly #sessions: Session[] = []

  constructor(market: ChaosMarket, options: ChaosMarketOptions, faults: FaultInjector, sentBooks: SentBooks) {
    this.#market = market
    this.#options = options
    this.#faults = faults
    this.#sentBooks = sentBooks
  }

  live(): Session[] {
    return this.#sessions.filter((session) => session.live)
  }

  /** The new connection's session, greeted with a status frame; its requests go to {@link onRequest}. */
  accept(connection: FakeConnection): Session {
    const session = new Session(connection)
    session.dropAtRequest = this.#faults.takeArmedDrop()
    this.#sessions.push(session)
    session.send({ channel: 'status', type: 'update', data: [{ api_version: 'v2', connection_id: connection.id, system: 'online', version: '2.0.10' }] })
    return session
  }

  onRequest(session: Session, text: string): void {
    const market = this.#market
    let request: KrakenRequestJson
    try {
      request = JSON.parse(text) as KrakenRequestJson
    } catch {
      market.unexpected.push(`not JSON: ${text}`)
      return
    }
    if (++session.requests === session.dropAtRequest) {
      this.#faults.dropMidHandshake(session, request)
      return
    }
    const { method, params } = request
    const now = microsToIso(market.clock)
    if (method === 'ping') {
      session.send({ method: 'pong', req_id: request.req_id, time_in: now, time_out: now })
    } else if (method === 'subscribe' && params?.channel === 'instrument') {
      session.send({ method: 'subscribe', result: { channel: 'instrument', snapshot: true }, success: true, time_in: now, time_out: now, req_id: request.req_id })
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
      session.send({ channel: 'instrument', type: 'snapshot', data: { assets: [], pairs } })
      session.instrument = true
    } else if (params?.channel === 'book' && (method === 'subscribe' || method === 'unsubscribe') && session.instrument) {
      if (params.depth !== this.#options.depth) market.unexpected.push(`book depth ${params.depth}, not ${this.#options.depth}: ${text}`)
      if (session.bookRequests++ === 0) this.#answerBook(session, request)
      else session.deferred.push({ request, dueTick: market.ticks + 2 })
    } else if (method === 'subscribe' && params?.channel === 'trade' && session.instrument) {
      this.#answerTrade(session, request)
    } else {
      market.unexpected.push(text)
    }
  }

  /** Sends a tick's frames to `session` (those it subscribed to) and runs the actions among them. */
  deliver(session: Session, frames: readonly Outgoing[]): void {
    for (const item of frames) {
      if (typeof item === 'function') {
        item()
        continue
      }
      if (item.book !== undefined && !session.books.has(item.book.symbol)) continue
      if (item.trade !== undefined && !session.trades.has(item.trade)) continue
      if (!session.instrument) continue // heartbeats and junk, before the feed subscribed
      const seq = session.send(item.frame)
      if (seq === undefined) return
      if (item.book !== undefined) this.#sentBooks.record(item.book.symbol, item.book.timestamp, false, session.connection.id, seq)
      item.onSent?.(seq)
    }
  }

  /** Answers the book requests whose delay is over. */
  answerDeferred(): void {
    for (const session of this.#sessions) {
      if (!session.live) session.deferred.length = 0
      while (session.deferred.length > 0 && session.deferred[0]!.dueTick <= this.#market.ticks) this.#answerBook(session, session.deferred.shift()!.request)
    }
  }

  #answerBook(session: Session, request: KrakenRequestJson): void {
    const depth = this.#options.depth
    for (const symbol of request.params!.symbol ?? []) {
      const book = this.#market.books.get(symbol)
      const refuse = (error: string): void => {
        this.#market.unexpected.push(`${request.method} book ${symbol}: ${error}`)
        session.send({ error, method: request.method, success: false, symbol, req_id: request.req_id })
      }
      if (book === undefined) refuse(`Currency pair not supported ${symbol}`)
      else if (request.method === 'unsubscribe') {
        if (!session.books.delete(symbol)) refuse('Subscription Not Found')
        else session.send({ method: 'unsubscribe', result: { channel: 'book', depth, symbol }, success: true, req_id: request.req_id })
      } else if (session.books.has(symbol)) refuse('Already subscribed')
      else {
        session.send({ method: 'subscribe', result: { channel: 'book', depth, snapshot: true, symbol }, success: true, req_id: request.req_id })
        const seq = session.send({ channel: 'book', type: 'snapshot', data: [book.snapshot()] })
        if (seq !== undefined) this.#sentBooks.record(symbol, book.latest, true, session.connection.id, seq)
        session.books.add(symbol)
        session.corrupted.delete(symbol)
      }
    }
  }

  #answerTrade(session: Session, request: KrakenRequestJson): void {
    const snapshot = request.params!.snapshot === true
    for (const symbol of request.params!.symbol ?? []) {
      const tape = this.#market.tapes.get(symbol)
      if (tape === undefined || session.trades.has(symbol)) {
        this.#market.unexpected.push(`subscribe trade ${symbol} refused`)
        session.send({ error: tape === undefined ? `Currency pair not supported ${symbol}` : 'Already subscribed', method: 'subscribe', success: false, symbol, req_id: request.req_id })
        continue
      }
      session.send({ method: 'subscribe', result: { channel: 'trade', snapshot, symbol }, success: true, req_id: request.req_id })
      if (snapshot) {
        const trades = tape.recent(SNAPSHOT_TRADES)
        session.send({ channel: 'trade', type: 'snapshot', data: trades.map((trade) => tape.wsTrade(trade)) })
        this.#market.tradeSnapshots.push({ symbol, connection: session.connection.id, firstId: trades[0]!.id, lastId: trades.at(-1)!.id })
      }
      session.trades.add(symbol)
    }
  }
}
