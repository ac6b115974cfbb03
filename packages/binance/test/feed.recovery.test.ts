import { afterEach, describe, expect, it } from 'vitest'
import type { MarketEvent, StatusEvent, TradeEvent } from '@dccd/core'
import { FakeExchange } from '@dccd/testkit'
import type { FakeConnection } from '@dccd/testkit'
import { exchange } from '../src/index.js'
import { historicalTradesBody, tradeFrame } from './support/frames.js'
import { Reader, count } from './support/reader.js'

let fx: FakeExchange | undefined
afterEach(async () => {
  await fx?.close()
  fx = undefined
})

const FAST = { initialBackoffMs: 20, maxBackoffMs: 100, jitter: 0, closeTimeoutMs: 200 }

/** The first connection streams trades 1..3 and then drops; the second resumes at `resumeAt`. */
async function start(resumeAt: number, options: Record<string, unknown> = {}) {
  fx = await FakeExchange.start()
  fx.onConnection((c: FakeConnection) => {
    if (c.id === 1) {
      for (let id = 1; id <= 3; id++) c.send(tradeFrame('BTCUSDT', id))
    } else {
      c.send(tradeFrame('BTCUSDT', resumeAt))
      c.send(tradeFrame('BTCUSDT', resumeAt + 1))
    }
  })
  const feed = exchange.createFeed({ symbols: ['BTCUSDT'], channels: ['trades'], wsUrl: fx.wsUrl, restUrl: fx.restUrl, ...FAST, ...options })
  const reader = new Reader(feed)
  await reader.until((e) => count(e, (x) => x.type === 'trade') === 3, 'the first three trades')
  fx.connections[0]!.terminate()
  return { fx, feed, reader, tradeRequests: () => fx!.restRequests.filter((r) => r.path === '/api/v3/historicalTrades') }
}

const tradeIds = (events: readonly MarketEvent[]): number[] =>
  events.filter((e): e is TradeEvent => e.type === 'trade').map((e) => Number(e.id))
const gaps = (events: readonly MarketEvent[]): StatusEvent[] =>
  events.filter((e): e is StatusEvent => e.type === 'status' && e.status === 'gap')
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i)
/** BTCUSDT's trades and gaps in stream order: trade ids, and `gap from-to`. */
const btcOrder = (events: readonly MarketEvent[]): string[] =>
  events
    .filter((e): e is TradeEvent | StatusEvent => e.symbol === 'BTCUSDT' && (e.type === 'trade' || (e.type === 'status' && e.status === 'gap')))
    .map((e) => (e.type === 'trade' ? e.id : `gap ${e.fromId}-${e.toId}`))

describe('BinanceFeed trade recovery', () => {
  it('fetches the trades missed during a reconnect, paging by 1000, and emits them in order before the live ones', async () => {
    const { fx, feed, reader, tradeRequests } = await start(2503)
    fx.route('GET', '/api/v3/historicalTrades', (request) => {
      expect(request.query.get('symbol')).toBe('BTCUSDT')
      return { body: historicalTradesBody(Number(request.query.get('fromId')), Number(request.query.get('limit')), 2510) }
    })
    const events = await reader.until((e) => tradeIds(e).includes(2504), 'the live trades after the recovered ones')
    await feed.stop()
    expect(tradeIds(events)).toEqual(range(1, 2504))
    expect(gaps(events)).toEqual([])
    expect(tradeRequests().map((r) => [r.query.get('fromId'), r.query.get('limit')])).toEqual([
      ['4', '1000'],
      ['1004', '1000'],
      ['2004', '499'],
    ])
    // Recovered trades are normalized like streamed ones.
    expect(events.find((e) => e.type === 'trade' && e.id === '4')).toMatchObject({ price: 100, amount: 1, side: 'buy', timestamp: (1_700_000_000_000 + 4) * 1000 })
  })

  it('recovers trades skipped on a healthy socket, checking every trade against the one before it', async () => {
    fx = await FakeExchange.start()
    fx.onConnection((c: FakeConnection) => {
      // No disconnect, no unreadable frame: the exchange simply never sends 3, 4 and 8.
      for (const id of [1, 2, 5, 6, 7, 9, 10]) c.send(tradeFrame('BTCUSDT', id))
    })
    fx.route('GET', '/api/v3/historicalTrades', (request) => ({
      body: historicalTradesBody(Number(request.query.get('fromId')), Number(request.query.get('limit')), 10),
    }))
    const feed = exchange.createFeed({ symbols: ['BTCUSDT'], channels: ['trades'], wsUrl: fx.wsUrl, restUrl: fx.restUrl, ...FAST })
    const reader = new Reader(feed)
    const events = await reader.until((e) => tradeIds(e).includes(10), 'every trade')
    await feed.stop()
    expect(tradeIds(events)).toEqual(range(1, 10))
    expect(gaps(events)).toEqual([])
    expect(fx.restRequests.filter((r) => r.path === '/api/v3/historicalTrades').map((r) => [r.query.get('fromId'), r.query.get('limit')])).toEqual([
      ['3', '2'],
      ['8', '1'],
    ])
    expect(feed.stats.reconnects).toBe(0)
  })

  it.each([
    { served: 'every id', missing: [] as number[], expected: ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'] },
    { served: 'all but 4 and 8', missing: [4, 8], expected: ['1', '2', '3', 'gap 4-4', '5', '6', '7', 'gap 8-8', '9', '10'] },
  ])('emits each id once and in order, as a trade or in a gap where REST lacks it, when the socket dies while a hole is recovered and the next connection shows another (REST serves $served)', async ({ missing, expected }) => {
    fx = await FakeExchange.start()
    fx.onConnection((c: FakeConnection) => {
      if (c.id === 1) {
        // 3 and 4 never sent on a healthy socket: their recovery starts, and its answer is held.
        for (const id of [1, 2, 5, 6]) c.send(tradeFrame('BTCUSDT', id))
        c.send(tradeFrame('ETHUSDT', 1))
      } else {
        // The next connection resumes with 5 and 6 again, then further on: 7 and 8 are a second hole.
        for (const id of [5, 6, 9, 10]) c.send(tradeFrame('BTCUSDT', id))
        // Frames on one socket arrive in order: once this trade is out, 9 was read and its hole queued.
        c.send(tradeFrame('ETHUSDT', 2))
      }
    })
    let release: (() => void) | undefined
    fx.route('GET', '/api/v3/historicalTrades', (request) => {
      const body = historicalTradesBody(Number(request.query.get('fromId')), Number(request.query.get('limit')), 10, missing)
      if (request.query.get('fromId') !== '3') return { body }
      return new Promise((resolve) => (release = () => resolve({ body })))
    })
    const tradeRequests = () => fx!.restRequests.filter((r) => r.path === '/api/v3/historicalTrades')
    const feed = exchange.createFeed({ symbols: ['BTCUSDT', 'ETHUSDT'], channels: ['trades'], wsUrl: fx.wsUrl, restUrl: fx.restUrl, ...FAST })
    const reader = new Reader(feed)
    await fx.waitUntil(() => tradeRequests().length === 1)
    fx.connections[0]!.terminate()
    await reader.until((e) => e.some((x) => x.type === 'trade' && x.symbol === 'ETHUSDT' && x.id === '2'), 'the second connection read up to its last frame')
    // Nothing of BTCUSDT after the first hole went out, and the second hole waits for the first.
    expect(btcOrder(reader.events)).toEqual(['1', '2'])
    expect(tradeRequests()).toHaveLength(1)
    release!()
    const events = await reader.until((e) => btcOrder(e).includes('10'), 'the held and recovered trades')
    await feed.stop()
    expect(btcOrder(events)).toEqual(expected)
    expect(tradeRequests().map((r) => [r.query.get('fromId'), r.query.get('limit')])).toEqual([
      ['3', '2'],
      ['7', '2'],
    ])
    expect(feed.stats.reconnects).toBe(1)
  })

  it('reports a trade skipped on a healthy socket as a gap when recovery is off', async () => {
    fx = await FakeExchange.start()
    fx.onConnection((c: FakeConnection) => {
      for (const id of [1, 2, 5, 6]) c.send(tradeFrame('BTCUSDT', id))
    })
    const feed = exchange.createFeed({ symbols: ['BTCUSDT'], channels: ['trades'], wsUrl: fx.wsUrl, restUrl: fx.restUrl, recoverTrades: false, ...FAST })
    const reader = new Reader(feed)
    const events = await reader.until((e) => tradeIds(e).includes(6), 'every trade')
    await feed.stop()
    const order = events.filter((e): e is TradeEvent | StatusEvent => e.type === 'trade' || (e.type === 'status' && e.status === 'gap'))
    expect(order.map((e) => (e.type === 'trade' ? e.id : `gap ${e.fromId}-${e.toId}`))).toEqual(['1', '2', 'gap 3-4', '5', '6'])
    expect(gaps(events)[0]!.reason).toContain('recoverTrades is off')
  })

  it('checks the trade after an unreadable frame for a hole, as after a reconnect, and recovers it', async () => {
    fx = await FakeExchange.start()
    fx.onConnection((c: FakeConnection) => {
      for (let id = 1; id <= 3; id++) c.send(tradeFrame('BTCUSDT', id))
      // Trade 4 arrives mangled (it never reaches the consumer as a trade), then the stream goes on.
      c.send(JSON.stringify(tradeFrame('BTCUSDT', 4)).replace('"t":4', '"t":"4x"'))
      c.send(tradeFrame('BTCUSDT', 5))
      c.send(tradeFrame('BTCUSDT', 6))
    })
    fx.route('GET', '/api/v3/historicalTrades', (request) => ({
      body: historicalTradesBody(Number(request.query.get('fromId')), Number(request.query.get('limit')), 6),
    }))
    const feed = exchange.createFeed({ symbols: ['BTCUSDT'], channels: ['trades'], wsUrl: fx.wsUrl, restUrl: fx.restUrl, ...FAST })
    const reader = new Reader(feed)
    const events = await reader.until((e) => tradeIds(e).includes(6), 'the trades after the unreadable frame')
    await feed.stop()
    expect(feed.stats.parseErrors).toBe(1)
    expect(tradeIds(events)).toEqual(range(1, 6))
    expect(gaps(events)).toEqual([])
    expect(fx.restRequests.filter((r) => r.path === '/api/v3/historicalTrades').map((r) => r.query.get('fromId'))).toEqual(['4'])
  })

  it('reports exactly the missing range as a gap when the REST request fails, and live trades still flow', async () => {
    const { fx, feed, reader } = await start(8)
    // A ban answer with a long Retry-After fails at once (no hammering).
    fx.route('GET', '/api/v3/historicalTrades', () => ({ status: 429, headers: { 'Retry-After': '120' }, body: { code: -1003, msg: 'Too many requests' } }))
    const events = await reader.until((e) => tradeIds(e).includes(9), 'the live trades after the gap')
    fx.connections[1]!.send(tradeFrame('BTCUSDT', 10))
    await reader.until((e) => tradeIds(e).includes(10), 'a later live trade')
    await feed.stop()
    expect(gaps(events)).toEqual([expect.objectContaining({ symbol: 'BTCUSDT', channel: 'trades', fromId: '4', toId: '7' })])
    expect(gaps(events)[0]!.reason).toContain('historicalTrades')
    expect(tradeIds(reader.events)).toEqual([1, 2, 3, 8, 9, 10])
    // The marker sits where the trades are missing.
    const order = reader.events.filter((e) => e.type === 'trade' || (e.type === 'status' && e.status === 'gap'))
    expect(order.map((e) => (e.type === 'trade' ? e.id : 'gap'))).toEqual(['1', '2', '3', 'gap', '8', '9', '10'])
  })

  it('reports ids the exchange did not return as a gap and emits the rest', async () => {
    const { fx, feed, reader } = await start(8)
    fx.route('GET', '/api/v3/historicalTrades', (request) => ({
      body: historicalTradesBody(Number(request.query.get('fromId')), Number(request.query.get('limit')), 9, [5]),
    }))
    const events = await reader.until((e) => tradeIds(e).includes(9), 'the live trades')
    await feed.stop()
    expect(tradeIds(events)).toEqual([1, 2, 3, 4, 6, 7, 8, 9])
    expect(gaps(events).map((g) => [g.fromId, g.toId])).toEqual([['5', '5']])
  })

  it('recovers only the oldest maxRecoveredTrades ids of a larger hole, then marks the rest as a gap before the live trades', async () => {
    const { fx, feed, reader, tradeRequests } = await start(2503, { maxRecoveredTrades: 1500 })
    fx.route('GET', '/api/v3/historicalTrades', (request) => ({
      body: historicalTradesBody(Number(request.query.get('fromId')), Number(request.query.get('limit')), 2510),
    }))
    await reader.until((e) => tradeIds(e).includes(2504), 'the live trades after the recovered ones')
    fx.connections[1]!.send(tradeFrame('BTCUSDT', 2505))
    const events = await reader.until((e) => tradeIds(e).includes(2505), 'a later live trade')
    await feed.stop()
    // Exactly 1500 ids asked for, from the first missing one.
    expect(tradeRequests().map((r) => [r.query.get('fromId'), r.query.get('limit')])).toEqual([
      ['4', '1000'],
      ['1004', '500'],
    ])
    expect(tradeIds(events)).toEqual([...range(1, 1503), 2503, 2504, 2505])
    expect(gaps(events)).toEqual([expect.objectContaining({ symbol: 'BTCUSDT', channel: 'trades', fromId: '1504', toId: '2502' })])
    expect(gaps(events)[0]!.reason).toContain('maxRecoveredTrades (1500)')
    // Recovered trades, then the gap, then the live trades.
    const order = events.filter((e) => e.type === 'trade' || (e.type === 'status' && e.status === 'gap'))
    expect(order.slice(1501, 1506).map((e) => (e.type === 'trade' ? e.id : 'gap'))).toEqual(['1502', '1503', 'gap', '2503', '2504'])
  })

  it('stops recovering once maxRecoveredTrades live trades are held, marking the unfetched ids in place', async () => {
    let answer: (() => void) | undefined
    const { fx, feed, reader, tradeRequests } = await start(8, { maxRecoveredTrades: 2 })
    // The REST answer does not come until the end: the two live trades (8, 9) fill the bound first.
    fx.route('GET', '/api/v3/historicalTrades', (request) => {
      const body = historicalTradesBody(Number(request.query.get('fromId')), Number(request.query.get('limit')), 9)
      return new Promise((resolve) => (answer = () => resolve({ body })))
    })
    const events = await reader.until((e) => tradeIds(e).includes(9), 'the held live trades')
    await fx.waitUntil(() => tradeRequests().length > 0)
    expect(tradeRequests().map((r) => [r.query.get('fromId'), r.query.get('limit')])).toEqual([['4', '2']])
    answer?.()
    await feed.stop()
    expect(tradeIds(events)).toEqual([1, 2, 3, 8, 9])
    const order = events.filter((e): e is TradeEvent | StatusEvent => e.type === 'trade' || (e.type === 'status' && e.status === 'gap'))
    expect(order.map((e) => (e.type === 'trade' ? e.id : `gap ${e.fromId}-${e.toId}`))).toEqual(['1', '2', '3', 'gap 4-5', 'gap 6-7', '8', '9'])
    expect(gaps(events)[0]!.reason).toContain('recovery abandoned: 2 live trades held')
    expect(gaps(events)[1]!.reason).toContain('maxRecoveredTrades (2)')
  })

  it('with maxRecoveredTrades 0 only marks the gap, naming the option', async () => {
    const { feed, reader, tradeRequests } = await start(8, { maxRecoveredTrades: 0 })
    const events = await reader.until((e) => tradeIds(e).includes(9), 'the live trades')
    await feed.stop()
    expect(tradeIds(events)).toEqual([1, 2, 3, 8, 9])
    expect(gaps(events).map((g) => [g.fromId, g.toId])).toEqual([['4', '7']])
    expect(gaps(events)[0]!.reason).toContain('maxRecoveredTrades is 0')
    expect(tradeRequests()).toHaveLength(0)
  })

  it('only marks the gap when recoverTrades is off', async () => {
    const { feed, reader, tradeRequests } = await start(8, { recoverTrades: false })
    const events = await reader.until((e) => tradeIds(e).includes(9), 'the live trades')
    await feed.stop()
    expect(tradeIds(events)).toEqual([1, 2, 3, 8, 9])
    expect(gaps(events).map((g) => [g.fromId, g.toId])).toEqual([['4', '7']])
    expect(tradeRequests()).toHaveLength(0)
  })
})
