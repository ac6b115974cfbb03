/**
 * Kraken's continuity rules told to the conformance suite (`continuity`): which
 * replay frames are book updates, snapshots and trades, and how Kraken answers
 * a resync (unsubscribe + subscribe → a fresh snapshot, built here from the
 * session's true history). Kraken connections never rotate: no `rotation`.
 */
import { isoToMicros } from '@dccd/core'
import type { FakeExchange, SessionFrame } from '@dccd/testkit'
import type { ContinuityRules, ResubscribeContext } from '@dccd/testkit/conformance'
import { ReferenceBook } from '../../scripts/reference-book.js'
import type { WireLevel } from '../../scripts/reference-book.js'

interface BookEntry {
  symbol: string
  bids: WireLevel[]
  asks: WireLevel[]
  checksum: number
}
interface TradeEntry {
  symbol: string
  side: 'buy' | 'sell'
  price: number
  qty: number
  ord_type: string
  trade_id: number
  timestamp: string
}
type Message =
  | { channel: 'book'; type: 'snapshot' | 'update'; data: BookEntry[] }
  | { channel: 'trade'; type: string; data: TradeEntry[] }
  | { channel: 'instrument'; data: { pairs: { symbol: string; price_precision: number; qty_precision: number }[] } }
  | { channel?: undefined; method?: string; params?: { channel?: string; symbol?: string[]; depth?: number } }

const message = (frame: SessionFrame): Message | undefined =>
  frame.dir === 'in' || frame.dir === 'out' ? (frame.data as Message | null) ?? undefined : undefined
const bookOf = (frame: SessionFrame): { type: string; entry: BookEntry } | undefined => {
  const data = message(frame)
  return frame.dir === 'in' && data?.channel === 'book' && data.data.length === 1 ? { type: data.type, entry: data.data[0]! } : undefined
}

/** The book depth the capture subscribed to (and the conformance feed uses). */
const DEPTH = 1000

/** Books rebuilt from `frames` (snapshots replace, updates apply, cut to the depth), with each symbol's precisions. */
function booksAt(frames: readonly SessionFrame[]): { books: Map<string, ReferenceBook>; precision: Map<string, [number, number]> } {
  const books = new Map<string, ReferenceBook>()
  const precision = new Map<string, [number, number]>()
  for (const frame of frames) {
    const data = message(frame)
    if (frame.dir === 'in' && data?.channel === 'instrument') {
      for (const pair of data.data.pairs) precision.set(pair.symbol, [pair.price_precision, pair.qty_precision])
    }
    const book = bookOf(frame)
    if (book === undefined) continue
    let reference = books.get(book.entry.symbol)
    if (reference === undefined) books.set(book.entry.symbol, (reference = new ReferenceBook()))
    if (book.type === 'snapshot') reference.load(book.entry.bids, book.entry.asks)
    else reference.apply(book.entry.bids, book.entry.asks)
    reference.truncate(DEPTH)
  }
  return { books, precision }
}

/**
 * The updates of `symbol` whose loss Kraken's checksum reveals: without them, the next update's
 * checksum disagrees with the book. The checksum covers the top 10 only, so an update deeper in
 * the book can vanish unnoticed (Kraken's design); the suite must drop one it can see.
 */
export function checksumVisibleUpdates(session: readonly SessionFrame[], symbol: string): Set<SessionFrame> {
  const visible = new Set<SessionFrame>()
  const { precision } = booksAt(session.slice(0, session.findIndex((frame) => bookOf(frame) !== undefined)))
  const [pricePrecision, qtyPrecision] = precision.get(symbol)!
  const truth = new ReferenceBook()
  /** The last update and the true book just before it. */
  let previous: { frame: SessionFrame; before: ReferenceBook } | undefined
  for (const frame of session) {
    const book = bookOf(frame)
    if (book === undefined || book.entry.symbol !== symbol) continue
    const before = new ReferenceBook()
    before.load(truth.top('bids'), truth.top('asks'))
    if (previous !== undefined && book.type === 'update') {
      // The consumer that missed the previous update: the truth before it, plus this update.
      const missed = previous.before
      missed.apply(book.entry.bids, book.entry.asks)
      missed.truncate(DEPTH)
      if (missed.checksum(pricePrecision, qtyPrecision) !== book.entry.checksum) visible.add(previous.frame)
    }
    if (book.type === 'snapshot') truth.load(book.entry.bids, book.entry.asks)
    else truth.apply(book.entry.bids, book.entry.asks)
    truth.truncate(DEPTH)
    previous = book.type === 'update' ? { frame, before } : undefined
  }
  return visible
}

/**
 * Kraken's answer to a book resubscription of `symbol`: the subscribe ack and a snapshot of the
 * book as the session stands (`history`), with its checksum.
 */
function answerResubscribe({ connection, message: text, history, symbol }: ResubscribeContext): void {
  const request = JSON.parse(text) as { method?: string; params?: { channel?: string; symbol?: string[]; depth?: number }; req_id?: number }
  if (request.method !== 'subscribe' || request.params?.channel !== 'book' || request.params.symbol?.includes(symbol) !== true) return
  const { books, precision } = booksAt(history)
  const book = books.get(symbol)!
  const [pricePrecision, qtyPrecision] = precision.get(symbol)!
  connection.send({ method: 'subscribe', result: { channel: 'book', depth: DEPTH, snapshot: true, symbol }, success: true, req_id: request.req_id })
  connection.send({
    channel: 'book',
    type: 'snapshot',
    data: [{ symbol, bids: book.top('bids'), asks: book.top('asks'), checksum: book.checksum(pricePrecision, qtyPrecision) }],
  })
}

/** Kraken's continuity rules over `session` (the frames handed to the suite: update frames are recognised by identity). */
export function krakenContinuity(session: readonly SessionFrame[], firstSymbol: string): ContinuityRules {
  const visible = checksumVisibleUpdates(session, firstSymbol)
  return {
    bookUpdate: (frame) => {
      const book = bookOf(frame)
      if (book?.type !== 'update') return undefined
      return book.entry.symbol !== firstSymbol || visible.has(frame) ? book.entry.symbol : undefined
    },
    bookSnapshot: (frame) => {
      const book = bookOf(frame)
      return book?.type === 'snapshot' ? book.entry.symbol : undefined
    },
    trades: (frame) => {
      const data = message(frame)
      if (frame.dir !== 'in' || data?.channel !== 'trade' || data.data.length === 0) return undefined
      return { symbol: data.data[0]!.symbol, ids: data.data.map((trade) => String(trade.trade_id)) }
    },
    resync: {
      kind: 'resubscribe',
      resubscribes: (text, symbol) => {
        const request = JSON.parse(text) as { method?: string; params?: { channel?: string; symbol?: string[] } }
        return request.method === 'subscribe' && request.params?.channel === 'book' && request.params.symbol?.includes(symbol) === true
      },
      answer: answerResubscribe,
    },
  }
}

/**
 * Serves `GET /0/public/Trades` from the session's trades, paged by time as Kraken pages it
 * (rows strictly after `since`, ns; `last` the last row's time), so a trade hole is recovered.
 */
export function serveSessionTrades(fx: FakeExchange, session: readonly SessionFrame[]): void {
  const trades = session.flatMap((frame) => {
    const data = message(frame)
    return frame.dir === 'in' && data?.channel === 'trade' ? data.data : []
  })
  fx.route('GET', '/0/public/Trades', (request) => {
    const since = BigInt(request.query.get('since') ?? '0')
    const rows: string[] = []
    let last = since
    for (const trade of trades) {
      const micros = BigInt(isoToMicros(trade.timestamp))
      if (micros * 1000n <= since) continue
      // Kraken writes the time in seconds with 7 decimals.
      const seconds = `${micros / 1_000_000n}.${String(micros % 1_000_000n).padStart(6, '0')}0`
      rows.push(`["${trade.price}","${trade.qty}",${seconds},"${trade.side[0]}","${trade.ord_type[0]}","",${trade.trade_id}]`)
      last = micros * 1000n
    }
    return { body: `{"error":[],"result":{"XXMRZUSD":[${rows.join(',')}],"last":"${last}"}}` }
  })
}
