import { afterEach, describe, expect, it } from 'vitest'
import { OrderBook } from '@dccd/core'
import type { BookEvent, MarketEvent, QuoteEvent } from '@dccd/core'
import { FakeExchange, loadSession } from '@dccd/testkit'
import { ReferenceBook } from '@dccd/testkit/helpers'
import { futures } from '../src/index.js'
import type { BinanceDepthSnapshot, BinanceDepthUpdateFrame } from '../src/wire.js'
import type { BinanceFuturesBookTickerFrame } from '../src/futures/wire.js'
import { Reader, count } from './support/reader.js'
import { replayRouted } from './support/routed-replay.js'
import { sessionPayloads } from './support/frames.js'

const SYMBOLS = ['SUSHIUSDT', 'AKROUSDT', 'KEEPUSDT', 'CTKUSDT']
const replay = loadSession(new URL('./fixtures/usdm-2021-07-22.replay.jsonl', import.meta.url))
const capture = loadSession(new URL('./fixtures/usdm-2021-07-22.jsonl', import.meta.url))
const payloads = sessionPayloads
const levels = (list: [string, string][]) => list.map(([p, q]) => ({ price: Number(p), amount: Number(q) }))

/**
 * The futures rule applied straight to the recorded frames, apart from the adapter: per symbol, the
 * events it must emit after the recorded snapshot (drop `u < lastUpdateId`, the first spans it, each
 * `pu` is the previous `u`; one with `u == lastUpdateId` only starts the chain, its changes being
 * in the snapshot) and the true book after each.
 */
function expectedBooks(): Map<string, { snapshot: BinanceDepthSnapshot; events: Array<{ frame: BinanceDepthUpdateFrame; book: ReferenceBook }> }> {
  const out = new Map<string, { snapshot: BinanceDepthSnapshot; events: Array<{ frame: BinanceDepthUpdateFrame; book: ReferenceBook }> }>()
  for (const frame of replay) {
    if (frame.dir === 'rest' && frame.url!.includes('/fapi/v1/depth')) {
      out.set(new URL(frame.url!).searchParams.get('symbol')!, { snapshot: frame.data as BinanceDepthSnapshot, events: [] })
    }
  }
  for (const [symbol, expected] of out) {
    const book = new ReferenceBook()
    book.apply({ isSnapshot: true, bids: levels(expected.snapshot.bids), asks: levels(expected.snapshot.asks) })
    let previous: number | undefined
    for (const p of payloads(replay)) {
      const d = p as unknown as BinanceDepthUpdateFrame
      if (d.e !== 'depthUpdate' || d.s !== symbol || d.u < expected.snapshot.lastUpdateId) continue
      if (previous === undefined) expect(d.U).toBeLessThanOrEqual(expected.snapshot.lastUpdateId)
      else expect(d.pu).toBe(previous)
      previous = d.u
      if (d.u === expected.snapshot.lastUpdateId) continue
      book.apply({ isSnapshot: false, bids: levels(d.b), asks: levels(d.a) })
      const copy = new ReferenceBook()
      copy.apply({ isSnapshot: true, bids: book.bids(), asks: book.asks() })
      expected.events.push({ frame: d, book: copy })
    }
  }
  return out
}

let fx: FakeExchange | undefined
afterEach(async () => {
  await fx?.close()
  fx = undefined
})

describe('BinanceFuturesFeed replaying the real 2021-07-22 USDⓈ-M capture over routed paths', () => {
  it('keeps every book equal to the exchange\'s after each update, and emits the recorded trades, bars and quotes', async () => {
    fx = await FakeExchange.start()
    replayRouted(fx, replay)
    fx.restFromSession(replay)
    const restBeforeSocket: string[] = []
    fx.onConnection(() => {
      if (fx!.connections.length === 1) restBeforeSocket.push(...fx!.restRequests.map((r) => r.path))
    })
    const expected = expectedBooks()
    const expectedDeltas = [...expected.values()].reduce((n, e) => n + e.events.length, 0)
    const recordedTrades = payloads(capture).filter((p) => p.e === 'aggTrade')
    const recordedBars = payloads(capture).filter((p) => p.e === 'kline') as Array<{ E: number; s: string; k: Record<string, never> }>
    const recordedQuotes = payloads(capture).filter((p) => p.e === 'bookTicker') as unknown as BinanceFuturesBookTickerFrame[]

    const feed = futures.createFeed({
      symbols: SYMBOLS,
      channels: ['trades', 'book', 'bars:1m', 'quotes'],
      wsUrl: fx.wsUrl,
      restUrl: fx.restUrl,
      validateSymbols: true,
    })
    const reader = new Reader(feed)
    const events = await reader.until(
      (e) =>
        count(e, (x) => x.type === 'book' && !x.isSnapshot) >= expectedDeltas &&
        count(e, (x) => x.type === 'trade') >= recordedTrades.length &&
        count(e, (x) => x.type === 'bar') >= recordedBars.length &&
        count(e, (x) => x.type === 'quote') >= recordedQuotes.length,
      'every delta, trade, bar and quote of the capture',
    )
    await feed.stop()

    // Symbols were checked before any socket opened; each path got its own streams in its URL.
    expect(restBeforeSocket).toEqual(['/fapi/v1/exchangeInfo'])
    const streamsOf = (route: string): Set<string> => {
      const path = fx!.connections.find((c) => c.path.startsWith(`${route}/`))!.path
      expect(path.startsWith(`${route}/stream?streams=`)).toBe(true)
      return new Set(path.slice(`${route}/stream?streams=`.length).split('/'))
    }
    const lower = SYMBOLS.map((s) => s.toLowerCase())
    expect(streamsOf('/public')).toEqual(new Set(lower.flatMap((s) => [`${s}@depth@100ms`, `${s}@bookTicker`])))
    expect(streamsOf('/market')).toEqual(new Set(lower.flatMap((s) => [`${s}@aggTrade`, `${s}@kline_1m`])))
    expect(fx.connections).toHaveLength(2)
    expect(events.filter((e) => e.type === 'status' && e.status !== 'connected')).toEqual([])

    // Books: the recorded snapshot, then exactly the events the rule allows, each leaving the book
    // equal to the reference; and at every bookTicker whose u is an applied event's, best bid/ask
    // equal the ticker (price and quantity).
    const tickers = new Map(recordedQuotes.map((t) => [`${t.s}:${t.u}`, t]))
    let compared = 0
    for (const symbol of SYMBOLS) {
      const { snapshot, events: truth } = expected.get(symbol)!
      const bookEvents = events.filter((e): e is BookEvent => e.type === 'book' && e.symbol === symbol)
      expect(bookEvents[0]).toMatchObject({ isSnapshot: true, bids: levels(snapshot.bids), asks: levels(snapshot.asks), timestamp: snapshot.T! * 1000 })
      const deltas = bookEvents.slice(1)
      expect(deltas.every((d) => !d.isSnapshot)).toBe(true)
      expect(deltas).toHaveLength(truth.length)
      const book = new OrderBook()
      book.apply(bookEvents[0]!)
      deltas.forEach((delta, i) => {
        const { frame, book: reference } = truth[i]!
        expect(delta).toMatchObject({ bids: levels(frame.b), asks: levels(frame.a), timestamp: frame.T! * 1000 })
        book.apply(delta)
        expect(reference.difference(book)).toBeUndefined()
        const ticker = tickers.get(`${symbol}:${frame.u}`)
        if (ticker === undefined) return
        expect(book.bestBid()).toEqual({ price: Number(ticker.b), amount: Number(ticker.B) })
        expect(book.bestAsk()).toEqual({ price: Number(ticker.a), amount: Number(ticker.A) })
        compared++
      })
    }
    expect(compared).toBe(50)

    // Trades (aggregate id a), bars and quotes match the recorded frames field by field.
    expect(events.filter((e) => e.type === 'trade')).toEqual(
      recordedTrades.map((r) =>
        expect.objectContaining({
          exchange: 'binance-futures',
          symbol: r.s,
          id: String(r.a),
          price: Number(r.p),
          amount: Number(r.q),
          side: r.m ? 'sell' : 'buy',
          timestamp: (r.T as number) * 1000,
        }),
      ),
    )
    expect(events.filter((e) => e.type === 'status' && e.status === 'gap')).toEqual([])
    expect(events.filter((e) => e.type === 'bar')).toEqual(
      recordedBars.map(({ E, s, k }) =>
        expect.objectContaining({ symbol: s, openTime: (k.t as number) * 1000, close: Number(k.c), volume: Number(k.v), closed: k.x, timestamp: E * 1000 }),
      ),
    )
    expect(events.filter((e): e is QuoteEvent => e.type === 'quote')).toEqual(
      recordedQuotes.map((t) =>
        expect.objectContaining({
          exchange: 'binance-futures',
          symbol: t.s,
          bidPrice: Number(t.b),
          bidAmount: Number(t.B),
          askPrice: Number(t.a),
          askAmount: Number(t.A),
          timestamp: t.T * 1000,
        }),
      ),
    )
    for (const event of events as MarketEvent[]) expect(Number.isSafeInteger(event.localTimestamp)).toBe(true)
  })
})
