/**
 * Binance's captured 2021-10-12 session (its own replay file), and the book each symbol must end with, for
 * the end-to-end tests that record it.
 */
import { OrderBook } from '@dccd/core'
import type { SessionFrame } from '@dccd/testkit'

// Binance's own replay of the capture (subscribed to @trade, @depth@100ms, @kline_1m; REST snapshots + exchangeInfo).
export const SESSION = new URL('../../../binance/test/fixtures/spot-2021-10-12.replay.jsonl', import.meta.url)
export const SYMBOLS = ['NKNUSDT', 'BLZETH', 'LRCBTC', 'RUNEEUR']

type Level = [string, string]
interface Depth { s: string; U: number; u: number; b: Level[]; a: Level[] }

/** The book each symbol must end with: the REST snapshot plus every later depth update, per Binance's sync rules. */
export function expectedBooks(session: SessionFrame[]): Map<string, OrderBook> {
  const books = new Map<string, OrderBook>()
  const lastIds = new Map<string, number>()
  for (const f of session) {
    if (f.dir !== 'rest' || !f.url!.includes('/depth')) continue
    const symbol = new URL(f.url!).searchParams.get('symbol')!
    const snap = f.data as { lastUpdateId: number; bids: Level[]; asks: Level[] }
    const book = new OrderBook()
    for (const [p, q] of snap.bids) book.set('bids', Number(p), Number(q))
    for (const [p, q] of snap.asks) book.set('asks', Number(p), Number(q))
    books.set(symbol, book)
    lastIds.set(symbol, snap.lastUpdateId)
  }
  for (const f of session) {
    const d = (f.data as { data?: Depth & { e?: string } } | null)?.data
    if (f.dir !== 'in' || d?.e !== 'depthUpdate' || d.u <= lastIds.get(d.s)!) continue
    for (const [p, q] of d.b) books.get(d.s)!.set('bids', Number(p), Number(q))
    for (const [p, q] of d.a) books.get(d.s)!.set('asks', Number(p), Number(q))
  }
  return books
}


/**
 * The book a recording's `book` table rebuilds for `symbol`: its rows in order, a new snapshot (a new
 * `eventIndex` with `isSnapshot`) clearing what came before.
 */
export function bookFromRows(rows: readonly Record<string, unknown>[], symbol: string): OrderBook {
  const book = new OrderBook()
  let previous: unknown
  for (const row of rows.filter((r) => r.symbol === symbol)) {
    if (row.isSnapshot === true && row.eventIndex !== previous) book.clear()
    previous = row.eventIndex
    book.set(row.side === 'bid' ? 'bids' : 'asks', row.price as number, row.amount as number)
  }
  return book
}
