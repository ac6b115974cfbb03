import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { OrderBook } from '../src/index.js'
import type { BookLevel, BookSideName } from '../src/index.js'

/** The obviously-correct model: a Map per side, sorted on every read. */
class ReferenceBook {
  readonly bids = new Map<number, number>()
  readonly asks = new Map<number, number>()

  set(side: BookSideName, price: number, amount: number): void {
    if (amount === 0) this[side].delete(price)
    else this[side].set(price, amount)
  }

  sorted(side: BookSideName): BookLevel[] {
    const levels = [...this[side]].map(([price, amount]) => ({ price, amount }))
    return levels.sort((a, b) => (side === 'bids' ? b.price - a.price : a.price - b.price))
  }
}

type Op =
  | { kind: 'set'; side: BookSideName; price: number; amount: number }
  | { kind: 'delta' | 'snapshot'; bids: BookLevel[]; asks: BookLevel[]; order: Order }
  | { kind: 'truncate'; depth: number; collect: boolean }
  | { kind: 'clear' }

// A small price pool makes updates hit existing levels; wide doubles exercise ordering.
const price = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: -20, max: 120 }).map((i) => i / 4) },
  { weight: 1, arbitrary: fc.double({ min: -1e9, max: 1e9, noNaN: true }).filter((x) => !Object.is(x, -0)) },
)
const amount = fc.oneof(
  { weight: 1, arbitrary: fc.constant(0) },
  { weight: 3, arbitrary: fc.double({ min: 1e-8, max: 1e6, noNaN: true }) },
)
/** `raw`: as generated; `bestFirst`: sorted without repeats (exchange style); `sorted`: sorted, repeats adjacent. */
type Order = 'raw' | 'bestFirst' | 'sorted'
const order = fc.constantFrom<Order>('raw', 'bestFirst', 'sorted')
const side = fc.constantFrom<BookSideName>('bids', 'asks')
const level = fc.record({ price, amount })
// size 'max' on every array here: at fast-check's default size no array passed 10 elements (10 ops a
// run, snapshots of 10 levels), so no side ever grew past its 64 initial slots or moved more than 32
// levels at once, a clear() never followed a growth, and 9 truncations in 10 removed nothing.
const levels = fc.array(level, { maxLength: 40, size: 'max' })

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 10, arbitrary: fc.record({ kind: fc.constant('set' as const), side, price, amount }) },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('delta' as const), bids: levels, asks: levels, order }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('snapshot' as const),
      bids: fc.array(level, { maxLength: 120, size: 'max' }),
      asks: fc.array(level, { maxLength: 120, size: 'max' }),
      order,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('truncate' as const), depth: fc.nat({ max: 30 }), collect: fc.boolean() }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'clear' as const }) },
)

/** Exchanges send snapshots best first without repeats; exercise that fast path and its near misses. */
function arrange(input: BookLevel[], bookSide: BookSideName, how: Order): BookLevel[] {
  if (how === 'raw') return input
  let out = input
  if (how === 'bestFirst') {
    const byPrice = new Map<number, number>()
    for (const l of input) byPrice.set(l.price, l.amount)
    out = [...byPrice].map(([p, a]) => ({ price: p, amount: a }))
  }
  return [...out].sort((a, b) => (bookSide === 'bids' ? b.price - a.price : a.price - b.price))
}

function run(book: OrderBook, ref: ReferenceBook, o: Op): void {
  switch (o.kind) {
    case 'set':
      book.set(o.side, o.price, o.amount)
      ref.set(o.side, o.price, o.amount)
      return
    case 'delta':
    case 'snapshot': {
      const bids = arrange(o.bids, 'bids', o.order)
      const asks = arrange(o.asks, 'asks', o.order)
      book.apply({ isSnapshot: o.kind === 'snapshot', bids, asks })
      if (o.kind === 'snapshot') {
        ref.bids.clear()
        ref.asks.clear()
      }
      for (const l of bids) ref.set('bids', l.price, l.amount)
      for (const l of asks) ref.set('asks', l.price, l.amount)
      return
    }
    case 'truncate': {
      const expectedRemoved = {
        bids: ref.sorted('bids').slice(o.depth).map((l) => ({ price: l.price, amount: 0 })),
        asks: ref.sorted('asks').slice(o.depth).map((l) => ({ price: l.price, amount: 0 })),
      }
      const removed = o.collect ? { bids: [] as BookLevel[], asks: [] as BookLevel[] } : undefined
      book.truncate(o.depth, removed)
      if (removed) expect(removed).toEqual(expectedRemoved)
      for (const s of ['bids', 'asks'] as const) for (const l of expectedRemoved[s]) ref[s].delete(l.price)
      return
    }
    case 'clear':
      book.clear()
      ref.bids.clear()
      ref.asks.clear()
  }
}

function visited(book: OrderBook, bookSide: BookSideName, depth: number): BookLevel[] {
  const out: BookLevel[] = []
  book.forEachLevel(bookSide, depth, (p, a) => out.push({ price: p, amount: a }))
  return out
}

function expectSameBook(book: OrderBook, ref: ReferenceBook, depth: number): void {
  const bids = ref.sorted('bids')
  const asks = ref.sorted('asks')
  expect(book.bidCount).toBe(bids.length)
  expect(book.askCount).toBe(asks.length)
  expect(book.bestBid()).toEqual(bids[0])
  expect(book.bestAsk()).toEqual(asks[0])
  expect([...book.bids()]).toEqual(bids)
  expect([...book.asks()]).toEqual(asks)
  expect([...book.bids(depth)]).toEqual(bids.slice(0, depth))
  expect([...book.asks(depth)]).toEqual(asks.slice(0, depth))
  expect(visited(book, 'bids', depth)).toEqual(bids.slice(0, depth))
  expect(visited(book, 'asks', depth)).toEqual(asks.slice(0, depth))
}

describe('OrderBook against a naive Map+sort reference', () => {
  it('agrees after every operation of random sequences', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60, size: 'max' }), fc.nat({ max: 15 }), (ops, depth) => {
        const book = new OrderBook()
        const ref = new ReferenceBook()
        for (const o of ops) {
          run(book, ref, o)
          expectSameBook(book, ref, depth)
        }
      }),
      // Fewer runs than at the default size (300), each six times longer: as many operations in all, on far deeper
      // books, in about the same time. A failure that needs a deep book shrinks slowly (minutes, one deep snapshot at
      // a time): report it, shrunk as far as it got, after 15 s, within the test timeout.
      { numRuns: 50, plugins: [fc.interruptAfterTimeLimit(15_000, { failOnInterrupt: true })] },
    )
  })

  it('agrees on long update runs against a deep book (storage growth)', () => {
    // size 'max': the default size stops snapshots at 210 levels and update runs at 10 updates.
    const deepLevels = fc.array(fc.record({ price: fc.integer({ min: 1, max: 2000 }), amount }), {
      minLength: 100,
      maxLength: 600,
      size: 'max',
    })
    const updateRun = fc.array(fc.tuple(side, fc.integer({ min: 1, max: 2000 }), amount), { maxLength: 400, size: 'max' })
    fc.assert(
      fc.property(deepLevels, updateRun, (snap, updates) => {
        const book = new OrderBook()
        const ref = new ReferenceBook()
        run(book, ref, { kind: 'snapshot', bids: snap, asks: snap, order: 'raw' })
        for (const [s, p, a] of updates) run(book, ref, { kind: 'set', side: s, price: p, amount: a })
        expectSameBook(book, ref, 10)
      }),
      { numRuns: 40 },
    )
  })
})
