import { afterEach, describe, expect, it } from 'vitest'
import { OrderBook } from '@dccd/core'
import type { BookEvent, MarketEvent } from '@dccd/core'
import { FakeExchange, fixturePath, loadSession } from '@dccd/testkit'
import { exchange } from '../src/index.js'
import type { BinanceBookTickerFrame, BinanceDepthSnapshot, BinanceDepthUpdateFrame } from '../src/wire.js'
import { Reader, count } from './support/reader.js'
import { sessionPayloads } from './support/frames.js'

const SYMBOLS = ['NKNUSDT', 'BLZETH', 'LRCBTC', 'RUNEEUR']
const replay = loadSession(new URL('./fixtures/spot-2021-10-12.replay.jsonl', import.meta.url))
const capture = loadSession(fixturePath('spot-2021-10-12.jsonl'))

const payloads = sessionPayloads

let fx: FakeExchange | undefined
afterEach(async () => {
  await fx?.close()
  fx = undefined
})

describe('BinanceFeed replaying the real 2021-10-12 capture', () => {
  it('rebuilds every book to the recorded best bid/ask and emits the recorded trades and bars', async () => {
    fx = await FakeExchange.start()
    fx.replay(replay)
    fx.restFromSession(replay)
    const restBeforeSocket: string[] = []
    fx.onConnection(() => restBeforeSocket.push(...fx!.restRequests.map((r) => r.path)))

    // What the session says should come out.
    const snapshots = new Map<string, BinanceDepthSnapshot>()
    for (const f of replay) {
      if (f.dir === 'rest' && f.url!.includes('/depth')) {
        snapshots.set(new URL(f.url!).searchParams.get('symbol')!, f.data as BinanceDepthSnapshot)
      }
    }
    const depth = payloads(replay).filter((p) => p.e === 'depthUpdate') as unknown as BinanceDepthUpdateFrame[]
    const applicable = new Map<string, BinanceDepthUpdateFrame[]>(SYMBOLS.map((s) => [s, []]))
    for (const d of depth) if (d.u > snapshots.get(d.s)!.lastUpdateId) applicable.get(d.s)!.push(d)
    const expectedDeltas = [...applicable.values()].reduce((n, list) => n + list.length, 0)

    const feed = exchange.createFeed({
      symbols: SYMBOLS,
      channels: ['trades', 'book', 'bars:1m'],
      wsUrl: fx.wsUrl,
      restUrl: fx.restUrl,
      validateSymbols: true,
    })
    const reader = new Reader(feed)
    const events = await reader.until(
      (e) =>
        count(e, (x) => x.type === 'book' && !x.isSnapshot) >= expectedDeltas &&
        count(e, (x) => x.type === 'trade') >= 2 &&
        count(e, (x) => x.type === 'bar') >= 2,
      'every delta, trade and bar of the capture',
    )
    await feed.stop()

    // Symbols were checked before the socket opened; the socket subscribed through the URL.
    expect(restBeforeSocket).toEqual(['/api/v3/exchangeInfo'])
    const path = fx.connections[0]!.path
    expect(path.startsWith('/stream?streams=')).toBe(true)
    expect(new Set(path.slice('/stream?streams='.length).split('/'))).toEqual(
      new Set(SYMBOLS.flatMap((s) => [`${s.toLowerCase()}@trade`, `${s.toLowerCase()}@depth@100ms`, `${s.toLowerCase()}@kline_1m`])),
    )
    expect(events.filter((e) => e.type === 'status')).toEqual([
      expect.objectContaining({ type: 'status', status: 'connected', exchange: 'binance' }),
    ])

    // Books: snapshot first, then exactly the applicable events in order; at every bookTicker
    // whose u matches an applied event, best bid/ask equal the ticker.
    const tickers = new Map<string, BinanceBookTickerFrame>()
    for (const p of payloads(replay)) {
      if (p.e === undefined && 'u' in p) tickers.set(`${p.s}:${p.u}`, p as unknown as BinanceBookTickerFrame)
    }
    let compared = 0
    for (const symbol of SYMBOLS) {
      const bookEvents = events.filter((e): e is BookEvent => e.type === 'book' && e.symbol === symbol)
      expect(bookEvents[0]!.isSnapshot).toBe(true)
      expect(count(bookEvents, (e) => (e as BookEvent).isSnapshot)).toBe(1)
      const snapshot = snapshots.get(symbol)!
      expect(bookEvents[0]!.bids).toEqual(snapshot.bids.map(([p, q]) => ({ price: Number(p), amount: Number(q) })))
      const book = new OrderBook()
      book.apply(bookEvents[0]!)
      const deltas = bookEvents.slice(1)
      const frames = applicable.get(symbol)!
      expect(deltas).toHaveLength(frames.length)
      deltas.forEach((delta, i) => {
        const frame = frames[i]!
        expect(delta.bids).toEqual(frame.b.map(([p, q]) => ({ price: Number(p), amount: Number(q) })))
        expect(delta.asks).toEqual(frame.a.map(([p, q]) => ({ price: Number(p), amount: Number(q) })))
        expect(delta.timestamp).toBe(frame.E * 1000)
        book.apply(delta)
        const ticker = tickers.get(`${symbol}:${frame.u}`)
        if (ticker === undefined) return
        expect(book.bestBid()).toEqual({ price: Number(ticker.b), amount: Number(ticker.B) })
        expect(book.bestAsk()).toEqual({ price: Number(ticker.a), amount: Number(ticker.A) })
        compared++
      })
    }
    expect(compared).toBe(26)

    // Trades and bars match the recorded frames field by field.
    const recordedTrades = payloads(capture).filter((p) => p.e === 'aggTrade')
    expect(events.filter((e) => e.type === 'trade')).toEqual(
      recordedTrades.map((r) =>
        expect.objectContaining({
          type: 'trade',
          exchange: 'binance',
          symbol: r.s,
          id: String(r.f),
          price: Number(r.p),
          amount: Number(r.q),
          side: r.m ? 'sell' : 'buy',
          timestamp: (r.T as number) * 1000,
        }),
      ),
    )
    const recordedBars = payloads(capture).filter((p) => p.e === 'kline') as Array<{ E: number; s: string; k: Record<string, never> }>
    expect(events.filter((e) => e.type === 'bar')).toEqual(
      recordedBars.map(({ E, s, k }) =>
        expect.objectContaining({
          symbol: s,
          interval: '1m',
          openTime: (k.t as number) * 1000,
          open: Number(k.o),
          high: Number(k.h),
          low: Number(k.l),
          close: Number(k.c),
          volume: Number(k.v),
          closed: k.x,
          timestamp: E * 1000,
        }),
      ),
    )
    for (const event of events as MarketEvent[]) expect(Number.isSafeInteger(event.localTimestamp)).toBe(true)
  })
})
