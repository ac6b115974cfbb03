import { afterEach, describe, expect, it } from 'vitest'
import { ExchangeError, InvalidArgumentError } from '@dccd/core'
import { FakeExchange } from '@dccd/testkit'
import { exchange } from '../src/index.js'
import { depthFrame, exchangeInfoBody, tradeFrame } from './support/frames.js'
import { Reader, count } from './support/reader.js'

let fx: FakeExchange | undefined
afterEach(async () => {
  await fx?.close()
  fx = undefined
})

const FAST = { initialBackoffMs: 20, maxBackoffMs: 100, jitter: 0, closeTimeoutMs: 200 }

describe('BinanceFeed input checks and exchange errors', () => {
  it('rejects an unknown symbol, naming it, before any socket opens', async () => {
    fx = await FakeExchange.start()
    fx.route('GET', '/api/v3/exchangeInfo', () => ({ body: exchangeInfoBody(['BTCUSDT', 'ETHUSDT']) }))
    const feed = exchange.createFeed({
      symbols: ['BTCUSDT', 'NOPEUSDT'],
      channels: ['trades'],
      wsUrl: fx.wsUrl,
      restUrl: fx.restUrl,
      validateSymbols: true,
    })
    const error = await new Reader(feed).next().then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(InvalidArgumentError)
    expect((error as InvalidArgumentError).code).toBe('DCCD_INVALID_ARGUMENT')
    expect((error as Error).message).toContain('NOPEUSDT')
    expect(fx.upgradeAttempts).toBe(0)
    await feed.stop()
  })

  it('does not ask exchangeInfo when custom URLs are given without validateSymbols', async () => {
    fx = await FakeExchange.start()
    fx.onConnection((c) => c.send(tradeFrame('NOPEUSDT', 1)))
    const feed = exchange.createFeed({ symbols: ['NOPEUSDT'], channels: ['trades'], wsUrl: fx.wsUrl, restUrl: fx.restUrl })
    const events = await new Reader(feed).until((e) => count(e, (x) => x.type === 'trade') === 1)
    await feed.stop()
    expect(events.at(-1)).toMatchObject({ type: 'trade', symbol: 'NOPEUSDT', id: '1' })
    expect(fx.restRequests).toEqual([])
  })

  it('counts events for symbols or channels it did not subscribe to as parse errors, and emits none of them', async () => {
    fx = await FakeExchange.start()
    fx.onConnection((c) => {
      c.send(tradeFrame('ETHUSDT', 1)) // a symbol never subscribed
      c.send(tradeFrame('X'.repeat(300), 1)) // a name no folder could hold
      c.send(depthFrame('BTCUSDT', 1, 2, [['1.00', '1']])) // book was not subscribed
      c.send({ stream: 'btcusdt@kline_5m', data: { e: 'kline', E: 1_700_000_000_000, s: 'BTCUSDT', k: { t: 1_700_000_000_000, i: '5m', o: '1', h: '1', l: '1', c: '1', v: '1', x: false } } })
      c.send(tradeFrame('BTCUSDT', 1))
    })
    const feed = exchange.createFeed({ symbols: ['BTCUSDT'], channels: ['trades', 'bars:1m'], wsUrl: fx.wsUrl, restUrl: fx.restUrl })
    const events = await new Reader(feed).until((e) => count(e, (x) => x.type === 'trade') === 1, 'the subscribed trade')
    await feed.stop()
    expect(events.filter((e) => e.type !== 'status')).toEqual([expect.objectContaining({ type: 'trade', symbol: 'BTCUSDT', id: '1' })])
    expect(feed.stats.parseErrors).toBe(4)
  })

  it('surfaces a Binance REST error body as an ExchangeError with its code', async () => {
    fx = await FakeExchange.start()
    fx.route('GET', '/api/v3/depth', () => ({ status: 400, body: { code: -1121, msg: 'Invalid symbol.' } }))
    fx.onConnection((c) => c.send(depthFrame('BTCUSDT', 1, 1)))
    const feed = exchange.createFeed({ symbols: ['BTCUSDT'], channels: ['book'], wsUrl: fx.wsUrl, restUrl: fx.restUrl, ...FAST })
    const reader = new Reader(feed)
    const error = await reader.until(() => false).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(ExchangeError)
    expect(error).toMatchObject({ code: 'DCCD_EXCHANGE_ERROR', exchangeCode: -1121, status: 400 })
    expect((error as Error).message).toContain('Invalid symbol.')
    await feed.stop()
  })

  it('fails the stream when Binance rejects a subscription', async () => {
    fx = await FakeExchange.start()
    // Enough streams that part of them must be subscribed by message.
    const symbols = Array.from({ length: 300 }, (_, i) => `S${String(i).padStart(3, '0')}USDT`)
    fx.onConnection(async (c) => {
      const message = JSON.parse(await c.waitForMessage()) as { id: number }
      c.send({ error: { code: 2, msg: 'Invalid request: invalid stream' }, id: message.id })
    })
    const feed = exchange.createFeed({ symbols, channels: ['book'], wsUrl: fx.wsUrl, restUrl: fx.restUrl, ...FAST })
    const error = await new Reader(feed).until(() => false).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toMatchObject({ code: 'DCCD_EXCHANGE_ERROR', exchangeCode: 2 })
    expect((error as Error).message).toContain('invalid stream')
    await feed.stop()
  })

  it('subscribes every stream: those that do not fit the URL by paced SUBSCRIBE messages', async () => {
    fx = await FakeExchange.start()
    const symbols = Array.from({ length: 300 }, (_, i) => `S${String(i).padStart(3, '0')}USDT`)
    const feed = exchange.createFeed({ symbols, channels: ['trades', 'bars:1m'], wsUrl: fx.wsUrl, restUrl: fx.restUrl, ...FAST })
    const reader = new Reader(feed)
    void reader.until(() => false).catch(() => {})
    const conn = await fx.waitForConnection()
    expect(conn.path.length).toBeLessThanOrEqual(4096)
    const inUrl = new URL(conn.path, 'ws://x').searchParams.get('streams')!.split('/')
    expect(inUrl.length).toBeLessThan(600)
    await conn.waitForMessageCount(Math.ceil((600 - inUrl.length) / 200))
    const messages = conn.messages.map((m) => JSON.parse(m) as { method: string; params: string[]; id: number })
    expect(messages.every((m) => m.method === 'SUBSCRIBE' && m.params.length <= 200)).toBe(true)
    expect(new Set(messages.map((m) => m.id)).size).toBe(messages.length)
    const all = new Set([...inUrl, ...messages.flatMap((m) => m.params)])
    expect(all).toEqual(new Set(symbols.flatMap((s) => [`${s.toLowerCase()}@trade`, `${s.toLowerCase()}@kline_1m`])))
    await feed.stop()
  })

  it('rotates to a new connection without a disconnect when the server announces a shutdown', async () => {
    fx = await FakeExchange.start()
    fx.onConnection((c) => c.send(tradeFrame('BTCUSDT', c.id)))
    const feed = exchange.createFeed({
      symbols: ['BTCUSDT'],
      channels: ['trades'],
      wsUrl: fx.wsUrl,
      restUrl: fx.restUrl,
      ...FAST,
      rotationOverlapMs: 50,
    })
    const reader = new Reader(feed)
    await reader.until((e) => count(e, (x) => x.type === 'trade') === 1)
    fx.connections[0]!.send({ stream: '!serverShutdown', data: { e: 'serverShutdown', E: 1770123456789 } })
    const events = await reader.until((e) => count(e, (x) => x.type === 'trade') === 2)
    await fx.connections[0]!.closed
    await feed.stop()
    // The replacement's trade arrives after the handover; consumers see no disconnect.
    expect(events.map((e) => (e.type === 'status' ? e.status : e.type))).toEqual(['connected', 'trade', 'trade'])
    expect(events.filter((e) => e.type === 'trade').map((e) => (e as { id: string }).id)).toEqual(['1', '2'])
    expect(fx.connections).toHaveLength(2)
  })

  it('starts over with markers when a connection dies while it is still subscribing', async () => {
    fx = await FakeExchange.start()
    const symbols = Array.from({ length: 300 }, (_, i) => `S${String(i).padStart(3, '0')}USDT`)
    fx.onConnection(async (c) => {
      if (c.id === 1) {
        c.send(tradeFrame('S000USDT', 1))
        await c.waitForMessage() // the first SUBSCRIBE: more are still to come, paced
        c.terminate()
      } else {
        c.send(tradeFrame('S000USDT', 2))
      }
    })
    const feed = exchange.createFeed({ symbols, channels: ['trades', 'bars:1m'], wsUrl: fx.wsUrl, restUrl: fx.restUrl, ...FAST })
    const events = await new Reader(feed).until((e) => count(e, (x) => x.type === 'trade') === 2)
    await feed.stop()
    const forSymbol = events.filter((e) => e.type !== 'status' || e.symbol === undefined || e.symbol === 'S000USDT')
    expect(forSymbol.map((e) => (e.type === 'status' ? e.status : `${e.type}`))).toEqual([
      'connected',
      'trade',
      'disconnected',
      'connected',
      'trade',
    ])
    expect(fx.connections).toHaveLength(2)
  })
})
