import { describe, expect, it } from 'vitest'
import { OrderBook } from '@dccd/core'
import type { MarketEvent } from '@dccd/core'
import { loadSession } from '@dccd/testkit'
import { BookSync, FUTURES_DEPTH_CONTINUITY, parseFrame, SPOT_DEPTH_CONTINUITY, USDM_DIALECT } from '../src/index.js'
import type { DepthContinuity } from '../src/index.js'
import type { BinanceDepthSnapshot } from '../src/wire.js'
import type { BinanceFuturesBookTickerFrame } from '../src/futures/wire.js'

const session = loadSession(new URL('./fixtures/usdm-2021-07-22.replay.jsonl', import.meta.url))

/** Every depth event of the capture through one `BookSync` per symbol, snapshots answered at once; bookTicker matches counted. */
function replay(continuity: DepthContinuity) {
  const snapshots = new Map<string, BinanceDepthSnapshot>()
  const tickers = new Map<string, BinanceFuturesBookTickerFrame>()
  for (const frame of session) {
    if (frame.dir === 'rest' && frame.url!.includes('/depth')) snapshots.set(new URL(frame.url!).searchParams.get('symbol')!, frame.data as BinanceDepthSnapshot)
    const payload = frame.dir === 'in' ? (frame.data as { data: BinanceFuturesBookTickerFrame }).data : undefined
    if (payload?.e === 'bookTicker') tickers.set(`${payload.s}:${payload.u}`, payload)
  }
  const books = new Map<string, OrderBook>()
  const syncs = new Map<string, BookSync>()
  const pending = new Set<string>()
  const out: MarketEvent[] = []
  let compared = 0
  let mismatched = 0
  for (const frame of session) {
    if (frame.dir !== 'in') continue
    const message = parseFrame(JSON.stringify(frame.data), frame.t * 1000, USDM_DIALECT)
    if (message?.type !== 'depthUpdate') continue
    let sync = syncs.get(message.symbol)
    if (sync === undefined) {
      sync = new BookSync(message.symbol, { requestSnapshot: (symbol) => pending.add(symbol), continuity, exchange: 'binance-futures' })
      syncs.set(message.symbol, sync)
    }
    sync.onUpdate(message, out)
    // The capture fetched each snapshot after its symbol's first event: answer right away.
    // (Once per frame: a sync that finds the recorded snapshot too old asks again, answered at the next frame.)
    for (const symbol of [...pending]) {
      pending.delete(symbol)
      syncs.get(symbol)!.onSnapshot(snapshots.get(symbol)!, frame.t * 1000, out)
    }
    for (const event of out.splice(0)) {
      if (event.type !== 'book') continue
      if (event.isSnapshot) books.set(event.symbol, new OrderBook())
      books.get(event.symbol)!.apply(event)
    }
    const ticker = sync.state === 'live' ? tickers.get(`${message.symbol}:${sync.bookId}`) : undefined
    if (ticker === undefined) continue
    const book = books.get(ticker.s)!
    const agrees =
      book.bestBid()?.price === Number(ticker.b) &&
      book.bestBid()?.amount === Number(ticker.B) &&
      book.bestAsk()?.price === Number(ticker.a) &&
      book.bestAsk()?.amount === Number(ticker.A)
    if (agrees) compared++
    else mismatched++
  }
  return { syncs: [...syncs.values()], compared, mismatched }
}

describe('BookSync with the futures rule on the real USDⓈ-M capture', () => {
  it('goes live once per symbol and matches all 50 bookTicker frames whose u is an applied event', () => {
    const { syncs, compared, mismatched } = replay(FUTURES_DEPTH_CONTINUITY)
    expect(syncs.map((s) => s.symbol).sort()).toEqual(['AKROUSDT', 'CTKUSDT', 'KEEPUSDT', 'SUSHIUSDT'])
    for (const sync of syncs) {
      expect(sync.state).toBe('live')
      expect(sync.stats).toEqual({ snapshots: 1, refetches: 0, resyncs: 0 })
    }
    expect([compared, mismatched]).toEqual([50, 0])
  })

  it('would resync every symbol under the spot rule: futures ids are shared, so U never follows the previous u', () => {
    const { syncs } = replay(SPOT_DEPTH_CONTINUITY)
    for (const sync of syncs) expect(sync.stats.resyncs).toBeGreaterThan(0)
  })
})
