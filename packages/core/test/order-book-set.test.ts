import { describe, expect, it } from 'vitest'
import { OrderBookSet, withBooks } from '../src/index.js'
import type { BookEvent, BookLevel, MarketEvent, StatusEvent, TradeEvent } from '../src/index.js'

const lv = (price: number, amount: number): BookLevel => ({ price, amount })

function book(symbol: string, isSnapshot: boolean, bids: BookLevel[], asks: BookLevel[] = [], exchange = 'x'): BookEvent {
  return { type: 'book', exchange, symbol, isSnapshot, bids, asks, timestamp: 1, localTimestamp: 2 }
}

function status(kind: StatusEvent['status'], extra: Partial<StatusEvent> = {}): StatusEvent {
  return { type: 'status', exchange: 'x', status: kind, localTimestamp: 3, ...extra }
}

const trade: TradeEvent = {
  type: 'trade',
  exchange: 'x',
  symbol: 'A',
  id: '1',
  price: 10,
  amount: 1,
  side: 'buy',
  timestamp: 1,
  localTimestamp: 2,
}

describe('OrderBookSet', () => {
  it('builds one book per symbol from a snapshot and deltas', () => {
    const books = new OrderBookSet()
    expect(books.apply(book('A', true, [lv(10, 1)], [lv(11, 1)]))?.bestBid()).toEqual(lv(10, 1))
    books.apply(book('B', true, [lv(20, 1)]))
    const a = books.apply(book('A', false, [lv(10.5, 2)]))
    expect(a).toBe(books.get('x', 'A'))
    expect([...a!.bids()]).toEqual([lv(10.5, 2), lv(10, 1)])
    expect([...books.get('x', 'B')!.bids()]).toEqual([lv(20, 1)])
    expect(books.symbols('x').sort()).toEqual(['A', 'B'])
  })

  it('keeps the same symbol on two exchanges apart', () => {
    const books = new OrderBookSet()
    books.apply(book('A', true, [lv(10, 1)], [], 'x'))
    books.apply(book('A', true, [lv(99, 1)], [], 'y'))
    expect(books.get('x', 'A')?.bestBid()?.price).toBe(10)
    expect(books.get('y', 'A')?.bestBid()?.price).toBe(99)
  })

  it('ignores deltas that arrive before the first snapshot', () => {
    const books = new OrderBookSet()
    expect(books.apply(book('A', false, [lv(10, 1)]))).toBeUndefined()
    expect(books.isValid('x', 'A')).toBe(false)
    const a = books.apply(book('A', true, [lv(9, 1)]))
    expect([...a!.bids()]).toEqual([lv(9, 1)])
  })

  it('invalidates and clears a book on resync, ignores deltas, and restores it on the next snapshot', () => {
    const books = new OrderBookSet()
    const a = books.apply(book('A', true, [lv(10, 1)]))!
    books.apply(book('B', true, [lv(20, 1)]))
    expect(books.apply(status('resync', { symbol: 'A', channel: 'book' }))).toBeUndefined()
    expect(books.isValid('x', 'A')).toBe(false)
    expect(books.get('x', 'A')).toBeUndefined()
    expect(a.bidCount).toBe(0)
    expect(books.isValid('x', 'B')).toBe(true)

    expect(books.apply(book('A', false, [lv(11, 1)]))).toBeUndefined()
    expect(books.apply(book('A', true, [lv(12, 3)]))).toBe(a)
    expect(books.isValid('x', 'A')).toBe(true)
    expect([...a.bids()]).toEqual([lv(12, 3)])
  })

  it('invalidates every book of the exchange on a disconnect without symbol, but not books elsewhere', () => {
    const books = new OrderBookSet()
    books.apply(book('A', true, [lv(10, 1)]))
    books.apply(book('B', true, [lv(20, 1)]))
    books.apply(book('A', true, [lv(30, 1)], [], 'y'))
    books.apply(status('disconnected'))
    expect(books.isValid('x', 'A')).toBe(false)
    expect(books.isValid('x', 'B')).toBe(false)
    expect(books.isValid('y', 'A')).toBe(true)
  })

  it('keeps books valid across a trades-only disconnect and connected markers', () => {
    const books = new OrderBookSet()
    books.apply(book('A', true, [lv(10, 1)]))
    books.apply(status('disconnected', { channel: 'trades' }))
    books.apply(status('connected'))
    books.apply(status('gap', { symbol: 'A', channel: 'trades', fromId: '1', toId: '5' }))
    expect(books.isValid('x', 'A')).toBe(true)
    books.apply(status('gap', { symbol: 'A', channel: 'book' }))
    expect(books.isValid('x', 'A')).toBe(false)
  })

  it('returns the valid book of the symbol for trades, and nothing for unknown symbols', () => {
    const books = new OrderBookSet()
    expect(books.apply(trade)).toBeUndefined()
    const a = books.apply(book('A', true, [lv(10, 1)]))
    expect(books.apply(trade)).toBe(a)
    expect(books.isValid('x', 'nope')).toBe(false)
    expect(books.symbols('nope')).toEqual([])
  })
})

describe('withBooks', () => {
  async function* from(events: MarketEvent[]): AsyncGenerator<MarketEvent> {
    yield* events
  }

  it('pairs every event with its symbol book, undefined while the book is invalid', async () => {
    const events: MarketEvent[] = [
      book('A', true, [lv(10, 1)], [lv(11, 1)]),
      book('A', false, [], [lv(10.5, 2)]),
      status('resync', { symbol: 'A' }),
      book('A', false, [lv(10.2, 1)]),
      book('A', true, [lv(9, 1)]),
    ]
    const seen: { type: string; bestAsk: number | undefined; bestBid: number | undefined; hasBook: boolean }[] = []
    for await (const { event, book: b } of withBooks(from(events))) {
      seen.push({ type: event.type, hasBook: b !== undefined, bestBid: b?.bestBid()?.price, bestAsk: b?.bestAsk()?.price })
    }
    expect(seen).toEqual([
      { type: 'book', hasBook: true, bestBid: 10, bestAsk: 11 },
      { type: 'book', hasBook: true, bestBid: 10, bestAsk: 10.5 },
      { type: 'status', hasBook: false, bestBid: undefined, bestAsk: undefined },
      { type: 'book', hasBook: false, bestBid: undefined, bestAsk: undefined },
      { type: 'book', hasBook: true, bestBid: 9, bestAsk: undefined },
    ])
  })

  it('uses a given OrderBookSet and closes the source on break', async () => {
    let closed = false
    async function* source(): AsyncGenerator<MarketEvent> {
      try {
        yield book('A', true, [lv(1, 1)])
        yield book('A', false, [lv(2, 1)])
      } finally {
        closed = true
      }
    }
    const books = new OrderBookSet()
    for await (const _ of withBooks(source(), books)) break
    expect(closed).toBe(true)
    expect(books.get('x', 'A')?.bestBid()).toEqual(lv(1, 1))
  })
})
