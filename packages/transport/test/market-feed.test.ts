import { statusEvent } from '@dccd/core'
import type { MarketEvent } from '@dccd/core'
import { FakeExchange } from '@dccd/testkit'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { MarketFeed } from '../src/index.js'
import { brief, collect, DemoFeed, manualHistory, send, subscribed, trade } from './support/demo-feed.js'
import { eventually } from './support/feeds.js'

let fx: FakeExchange
let feed: MarketFeed | undefined

beforeEach(async () => {
  fx = await FakeExchange.start()
})
afterEach(async () => {
  await feed?.stop()
  await fx.close()
  feed = undefined
})

describe('MarketFeed markers', () => {
  it('marks a one-slot feed connected and disconnected once each, without a symbol, with the reason', async () => {
    const f = (feed = new DemoFeed({ slots: [{ url: fx.wsUrl, symbols: ['A', 'B'] }] }))
    const seen = collect(f)
    const s1 = await fx.waitForConnection(1)
    await subscribed(s1)
    s1.terminate()
    const s2 = await fx.waitForConnection(2)
    await subscribed(s2)
    send(s2, 'A', 1)
    await eventually(() => seen.length === 4)
    expect(seen.map(brief)).toEqual(['connected', 'disconnected: closed by server (code 1006)', 'connected', 'trade A 1'])
    expect(seen[0]).toEqual({ type: 'status', exchange: 'demo', status: 'connected', localTimestamp: expect.any(Number) })
    expect(seen[1]).toEqual({
      type: 'status',
      exchange: 'demo',
      status: 'disconnected',
      reason: 'closed by server (code 1006)',
      localTimestamp: expect.any(Number),
    })
  })

  it('marks every symbol of the slot, and only those, on a multi-slot feed', async () => {
    const f = (feed = new DemoFeed({
      slots: [
        { url: `${fx.wsUrl}/a`, symbols: ['A', 'B'] },
        { url: `${fx.wsUrl}/b`, symbols: ['C'] },
      ],
    }))
    const seen = collect(f)
    await fx.waitForConnection(2)
    const a1 = fx.connections.find((c) => c.path === '/a')!
    await subscribed(a1)
    await subscribed(fx.connections.find((c) => c.path === '/b')!)
    a1.close(1001, 'going away')
    const a2 = await fx.waitForConnection(3)
    await subscribed(a2)
    send(a2, 'A', 1)
    await eventually(() => seen.some((e) => e.type === 'trade'))

    const reason = 'closed by server (code 1001: going away)'
    const markers = seen.filter((e) => e.type === 'status')
    expect(markers.filter((e) => e.symbol !== 'C').map(brief)).toEqual([
      'connected A',
      'connected B',
      `disconnected A: ${reason}`,
      `disconnected B: ${reason}`,
      'connected A',
      'connected B',
    ])
    expect(markers.filter((e) => e.symbol === 'C').map(brief)).toEqual(['connected C'])
  })

  it('names the symbol and each channel of a slot that carries only some channels of its symbols', async () => {
    const f = (feed = new DemoFeed({
      slots: [
        { url: `${fx.wsUrl}/public`, symbols: ['A'], channels: ['book'] },
        { url: `${fx.wsUrl}/market`, symbols: ['A'], channels: ['trades', 'bars:1m'] },
      ],
    }))
    const seen = collect(f)
    await fx.waitForConnection(2)
    const market = fx.connections.find((c) => c.path === '/market')!
    await subscribed(market)
    await subscribed(fx.connections.find((c) => c.path === '/public')!)
    market.terminate()
    const again = await fx.waitForConnection(3)
    await subscribed(again)
    send(again, 'A', 1)
    await eventually(() => seen.some((e) => e.type === 'trade'))

    const markers = seen.filter((e) => e.type === 'status').map((e) => (e.type === 'status' ? `${e.status} ${e.symbol} ${e.channel}` : ''))
    expect(markers.filter((m) => m.endsWith(' book'))).toEqual(['connected A book'])
    expect(markers.filter((m) => !m.endsWith(' book'))).toEqual([
      'connected A trades',
      'connected A bars:1m',
      'disconnected A trades',
      'disconnected A bars:1m',
      'connected A trades',
      'connected A bars:1m',
    ])
  })

  it('puts the records of onStreamLost after the disconnected markers', async () => {
    const f = new DemoFeed({ slots: [{ url: fx.wsUrl, symbols: ['A'] }] })
    feed = f
    f.streamLost = (slot, reason) => [statusEvent('demo', 'resync', { symbol: `A (slot ${slot})`, reason })]
    const seen = collect(f)
    const s1 = await fx.waitForConnection(1)
    await subscribed(s1)
    s1.close(1001)
    await subscribed(await fx.waitForConnection(2))
    await eventually(() => seen.length === 4)
    expect(seen.map(brief)).toEqual([
      'connected',
      'disconnected: closed by server (code 1001)',
      'resync A (slot 0): closed by server (code 1001)',
      'connected',
    ])
  })
})

describe('MarketFeed trade continuity', () => {
  it('drops duplicate trades and reports a hole as a gap when there is no history source', async () => {
    const f = (feed = new DemoFeed({ slots: [{ url: fx.wsUrl, symbols: ['A', 'B'] }], trades: { history: undefined, maxRecoveredTrades: 1000 } }))
    const seen = collect(f)
    const s1 = await fx.waitForConnection(1)
    await subscribed(s1)
    for (const id of [1, 2, 2, 1, 5]) send(s1, 'A', id)
    send(s1, 'B', 9)
    await eventually(() => seen.some((e) => e.type === 'trade' && e.symbol === 'B'))
    expect(seen.map(brief)).toEqual(['connected', 'trade A 1', 'trade A 2', 'gap A 3..4', 'trade A 5', 'trade B 9'])
    expect(seen[3]).toMatchObject({ channel: 'trades', reason: 'trades missed; not recovered (recoverTrades is off)' })
  })

  it('recovers a hole from the history source: recovered trades, then the held live ones, in id order', async () => {
    const history = manualHistory()
    const f = (feed = new DemoFeed({ slots: [{ url: fx.wsUrl, symbols: ['A'] }], trades: { history: history.source, maxRecoveredTrades: 1000 } }))
    const seen = collect(f)
    const s1 = await fx.waitForConnection(1)
    await subscribed(s1)
    send(s1, 'A', 1, 1500)
    send(s1, 'A', 4)
    send(s1, 'A', 5)
    await eventually(() => f.stats.frames === 3 && history.asked === 1)
    expect(history.holes).toEqual([{ symbol: 'A', fromId: 2, toId: 3, afterTimestamp: 1500 }])
    expect(f.stats.records + f.stats.queued).toBe(2) // connected and trade 1: 4 and 5 are held

    history.answer([trade('A', 2), trade('A', 3)])
    await eventually(() => seen.length === 6)
    send(s1, 'A', 6)
    await eventually(() => seen.length === 7)
    expect(seen.map(brief)).toEqual(['connected', 'trade A 1', 'trade A 2', 'trade A 3', 'trade A 4', 'trade A 5', 'trade A 6'])
  })

  it('stops a recovery in flight when the feed stops: its signal aborts and nothing more is fetched or emitted', async () => {
    const history = manualHistory()
    const f = (feed = new DemoFeed({ slots: [{ url: fx.wsUrl, symbols: ['A'] }], trades: { history: history.source, maxRecoveredTrades: 1000 } }))
    const events = f.stream()
    const s1 = await fx.waitForConnection(1)
    await subscribed(s1)
    send(s1, 'A', 1)
    send(s1, 'A', 4)
    await eventually(() => history.asked === 1)
    expect(history.signals[0]!.aborted).toBe(false)

    await f.stop()
    expect(history.signals[0]!.aborted).toBe(true)
    history.answer([trade('A', 2)]) // a late answer: the hole is not done, but no next page is asked for
    await eventually(() => history.closed)
    expect(history.asked).toBe(1)
    const rest: MarketEvent[] = []
    for await (const event of events) rest.push(event)
    expect(rest.map(brief)).toEqual(['connected', 'trade A 1'])
  })

  it('reports as positions the last trade id and exchange time per symbol the consumer has taken', async () => {
    const f = new DemoFeed({ slots: [{ url: fx.wsUrl, symbols: ['A', 'B', 'C'] }], trades: { history: undefined, maxRecoveredTrades: 0 } })
    feed = f
    const events = f.stream()
    expect(f.positions()).toEqual({})
    const s1 = await fx.waitForConnection(1)
    await subscribed(s1)
    send(s1, 'A', 7, 7_000_000)
    send(s1, 'B', 3, 3_000_000)
    send(s1, 'A', 9, 9_000_000)
    send(s1, 'A', 9, 9_999_999) // a duplicate moves nothing
    await eventually(() => f.stats.frames === 4)
    expect(f.positions()).toEqual({}) // queued, not handed over yet: the consumer has none of it
    const taken: MarketEvent[] = []
    while (taken.length < 3) taken.push((await events.next()).value as MarketEvent)
    expect(taken.map(brief)).toEqual(['connected', 'trade A 7', 'trade B 3'])
    expect(f.positions()).toEqual({ A: { trades: { lastId: '7', lastTimestamp: 7_000_000 } }, B: { trades: { lastId: '3', lastTimestamp: 3_000_000 } } })
    while (taken.length < 5) taken.push((await events.next()).value as MarketEvent)
    // The gap marker accounts for id 8; the time stays that of the last trade before it.
    expect(taken.slice(3).map(brief)).toEqual(['gap A 8..8', 'trade A 9'])
    expect(f.positions().A).toEqual({ trades: { lastId: '9', lastTimestamp: 9_000_000 } })
  })

  it('passes trades through unchecked when the feed has no trade continuity', async () => {
    const f = (feed = new DemoFeed({ slots: [{ url: fx.wsUrl, symbols: ['A'] }] }))
    const seen = collect(f)
    const s1 = await fx.waitForConnection(1)
    await subscribed(s1)
    for (const id of [1, 1, 5, 2]) send(s1, 'A', id)
    await eventually(() => seen.length === 5)
    expect(seen.map(brief)).toEqual(['connected', 'trade A 1', 'trade A 1', 'trade A 5', 'trade A 2'])
  })
})

describe('MarketFeed.acceptBar', () => {
  /** Exposes acceptBar; never connects. */
  class BarProbe extends MarketFeed {
    constructor() {
      super({ exchange: 'demo', slots: [{ url: 'ws://127.0.0.1:1', symbols: ['A', 'B'] }] })
    }
    protected parseMessage(): MarketEvent[] {
      return []
    }
    /** Each bar as `[symbol, interval, openTime, timestamp, close?, closed?]` (close 1, open bar by default). */
    accept(bars: readonly [symbol: string, interval: string, openTime: number, timestamp: number, close?: number, closed?: boolean][]): string[] {
      const out: MarketEvent[] = []
      for (const [symbol, interval, openTime, timestamp, close = 1, closed = false] of bars) {
        this.acceptBar(
          { type: 'bar', exchange: 'demo', symbol, interval, openTime, open: 1, high: 1, low: 1, close, volume: 1, closed, timestamp, localTimestamp: timestamp },
          out,
        )
      }
      return out.map((e) => (e.type === 'bar' ? `${e.symbol} ${e.interval} ${e.openTime}@${e.timestamp}${e.closed ? ' closed' : ''} ${e.close}` : e.type))
    }
  }

  it('emits newer updates and drops older bars and same-bar updates not after the last (an overlap, a repeated snapshot)', () => {
    const probe = new BarProbe()
    expect(
      probe.accept([
        ['A', '1m', 60, 100],
        ['A', '1m', 60, 100], // the same update again
        ['A', '1m', 60, 90], // an older update of the same bar
        ['A', '1m', 60, 110],
        ['A', '1m', 0, 200], // an older bar
        ['A', '1m', 120, 130],
        ['A', '5m', 0, 140], // another interval has its own last bar
        ['B', '1m', 60, 100], // another symbol too
      ]),
    ).toEqual(['A 1m 60@100 1', 'A 1m 60@110 1', 'A 1m 120@130 1', 'A 5m 0@140 1', 'B 1m 60@100 1'])
  })

  it('emits different updates of one bar at the same time in stream order (receive-time stamps of one socket read, a repeated ms), and drops only an identical repeat', () => {
    const probe = new BarProbe()
    expect(
      probe.accept([
        ['A', '1m', 60, 100, 5],
        ['A', '1m', 60, 100, 6], // the bar moved within the same time: newer
        ['A', '1m', 60, 100, 6], // the same state again: a repeat
        ['A', '1m', 60, 100, 6, true], // its close, at the same time
        ['A', '1m', 60, 100, 6, true], // the close repeated (an overlap)
        ['A', '1m', 60, 99, 7], // earlier: older whatever it holds
      ]),
    ).toEqual(['A 1m 60@100 5', 'A 1m 60@100 6', 'A 1m 60@100 closed 6'])
  })
})
