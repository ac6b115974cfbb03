import { describe, expect, it } from 'vitest'
import { OrderBook } from '@dccd/core'
import type { MarketEvent } from '@dccd/core'
import { loadSession } from '@dccd/testkit'
import { BookSync } from '../src/book-sync.js'
import { parseFrame } from '../src/parse.js'
import type { BinanceDepthSnapshot, BinanceBookTickerFrame } from '../src/wire.js'

const session = loadSession(new URL('./fixtures/spot-2021-10-12.replay.jsonl', import.meta.url))

describe('BookSync on the real capture', () => {
  it('rebuilds books that equal every recorded bookTicker whose u matches an applied event', () => {
    const snapshots = new Map<string, BinanceDepthSnapshot>()
    for (const frame of session) {
      if (frame.dir === 'rest' && frame.url!.includes('/depth')) {
        snapshots.set(new URL(frame.url!).searchParams.get('symbol')!, frame.data as BinanceDepthSnapshot)
      }
    }
    const books = new Map<string, OrderBook>()
    const pending = new Set<string>()
    const syncs = new Map<string, BookSync>()
    const out: MarketEvent[] = []
    let compared = 0
    const drain = (): void => {
      for (const event of out.splice(0)) {
        expect(event.type).toBe('book')
        if (event.type !== 'book') continue
        if (!books.has(event.symbol)) books.set(event.symbol, new OrderBook())
        books.get(event.symbol)!.apply(event)
      }
    }
    // A bookTicker may arrive before or after the depth event with the same u: index them by (symbol, u).
    const tickers = new Map<string, BinanceBookTickerFrame>()
    for (const frame of session) {
      const payload = frame.dir === 'in' ? (frame.data as { data: Record<string, unknown> }).data : undefined
      if (payload !== undefined && payload.e === undefined && 'u' in payload) {
        const ticker = payload as unknown as BinanceBookTickerFrame
        tickers.set(`${ticker.s}:${ticker.u}`, ticker)
      }
    }
    for (const frame of session) {
      if (frame.dir !== 'in') continue
      const message = parseFrame(JSON.stringify(frame.data), frame.t * 1000)
      if (message?.type !== 'depthUpdate') continue
      let sync = syncs.get(message.symbol)
      if (sync === undefined) {
        sync = new BookSync(message.symbol, { requestSnapshot: (symbol) => pending.add(symbol) })
        syncs.set(message.symbol, sync)
      }
      sync.onUpdate(message, out)
      // The capture fetched each snapshot after its symbol's first event: answer right away.
      for (const symbol of pending) {
        pending.delete(symbol)
        syncs.get(symbol)!.onSnapshot(snapshots.get(symbol)!, 1, out)
      }
      drain()
      const ticker = sync.state === 'live' ? tickers.get(`${message.symbol}:${sync.bookId}`) : undefined
      if (ticker === undefined) continue
      const book = books.get(ticker.s)!
      expect(book.bestBid()).toEqual({ price: Number(ticker.b), amount: Number(ticker.B) })
      expect(book.bestAsk()).toEqual({ price: Number(ticker.a), amount: Number(ticker.A) })
      compared++
    }
    expect(compared).toBe(26)
    for (const sync of syncs.values()) {
      expect(sync.state).toBe('live')
      expect(sync.stats).toEqual({ snapshots: 1, refetches: 0, resyncs: 0 })
    }
  })
})
