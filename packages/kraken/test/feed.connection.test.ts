import type { BarEvent } from '@dccd/core'
import { describe, expect, it, vi } from 'vitest'
import { serveAssetPairs } from './support/asset-pairs.js'
import { collect, feedFor, streamError, withFake } from './support/feed-harness.js'
import { ackFor, btcBook, scriptKraken } from './support/scripted-kraken.js'

describe('KrakenFeed symbol checks', () => {
  it('rejects a symbol missing from the instrument list before subscribing to any data', async () => {
    await withFake(async (fx) => {
      scriptKraken(fx, () => {})
      const { error, before } = await streamError(feedFor(fx, { symbols: ['BTC/USD', 'NOPE/USD'] }))
      expect(error).toMatchObject({ code: 'DCCD_INVALID_ARGUMENT' })
      expect((error as Error).message).toContain('NOPE/USD')
      expect((error as Error).message).not.toMatch(/"BTC\/USD"/)
      expect(before.every((event) => event.type === 'status')).toBe(true)
      expect(fx.connections[0]!.messages.map((text) => JSON.parse(text).params.channel)).toEqual(['instrument'])
    })
  })

  it('checks symbols against REST AssetPairs (XBT/XDG wsnames normalised) before connecting', async () => {
    await withFake(async (fx) => {
      fx.route('GET', '/0/public/AssetPairs', () => ({
        body: { error: [], result: { XXBTZUSD: { altname: 'XBTUSD', wsname: 'XBT/USD' }, XDGEUR: { altname: 'XDGEUR', wsname: 'XDG/EUR' } } },
      }))
      const { error } = await streamError(feedFor(fx, { symbols: ['BTC/USD', 'NOPE/USD'], validateSymbols: true }))
      expect(error).toMatchObject({ code: 'DCCD_INVALID_ARGUMENT' })
      expect((error as Error).message).toContain('NOPE/USD')
      expect(fx.upgradeAttempts).toBe(0)
      expect(fx.restRequests.map((request) => request.path)).toEqual(['/0/public/AssetPairs'])

      scriptKraken(fx, (connection, request) => connection.send(ackFor(request, 'BTC/USD')))
      const feed = feedFor(fx, { symbols: ['BTC/USD', 'DOGE/EUR'], validateSymbols: true, channels: ['trades'] })
      const events = await collect(feed, (seen) => seen.length === 1)
      expect(events[0]).toMatchObject({ type: 'status', status: 'connected' })
    })
  })

  it("surfaces Kraken's REST error array as ExchangeError", async () => {
    await withFake(async (fx) => {
      fx.route('GET', '/0/public/AssetPairs', () => ({ body: { error: ['EGeneral:Temporary lockout'] } }))
      const { error } = await streamError(feedFor(fx, { symbols: ['BTC/USD'], validateSymbols: true }))
      expect(error).toMatchObject({ code: 'DCCD_EXCHANGE_ERROR', exchangeCode: 'EGeneral:Temporary lockout' })
    })
  })
})

describe('KrakenFeed subscribe errors', () => {
  it('turns "Currency pair not supported" into InvalidArgumentError naming the symbol', async () => {
    await withFake(async (fx) => {
      scriptKraken(fx, (connection, request) =>
        connection.send({ error: 'Currency pair not supported ETH/USD', method: 'subscribe', success: false, symbol: 'ETH/USD', req_id: request.req_id }),
      )
      const { error } = await streamError(feedFor(fx, { symbols: ['ETH/USD'] }))
      expect(error).toMatchObject({ code: 'DCCD_INVALID_ARGUMENT', value: 'ETH/USD' })
      expect((error as Error).message).toContain('Currency pair not supported ETH/USD')
    })
  })

  it("ends the stream with ExchangeError carrying Kraken's message for any other refusal", async () => {
    await withFake(async (fx) => {
      scriptKraken(fx, (connection, request) =>
        connection.send({ error: 'Exceeded msg rate', method: 'subscribe', success: false, symbol: 'BTC/USD', req_id: request.req_id }),
      )
      const { error } = await streamError(feedFor(fx, { symbols: ['BTC/USD'], channels: ['book'] }))
      expect(error).toMatchObject({ code: 'DCCD_EXCHANGE_ERROR', exchange: 'kraken' })
      expect((error as Error).message).toContain('Exceeded msg rate')
      expect((error as Error).message).toContain('book BTC/USD')
    })
  })
})

describe('KrakenFeed liveness and connection status', () => {
  it('pings with {"method":"ping"} and treats pong, heartbeat and status frames as traffic, not data', async () => {
    await withFake(async (fx) => {
      const warn = vi.fn()
      scriptKraken(fx, (connection, request) => {
        if (request.method === 'ping') {
          connection.send({ method: 'pong', req_id: request.req_id, time_in: '2024-01-01T00:00:00.000000Z', time_out: '2024-01-01T00:00:00.000001Z' })
          connection.send({ channel: 'heartbeat' })
          connection.send({ channel: 'status', type: 'update', data: [{ api_version: 'v2', system: 'maintenance', version: '2.0.0' }] })
          connection.send(btcBook('snapshot', 100, 101))
        } else {
          connection.send(ackFor(request, 'BTC/USD'))
        }
      })
      const logger = { debug: vi.fn(), info: vi.fn(), warn, error: vi.fn() }
      const feed = feedFor(fx, { symbols: ['BTC/USD'], channels: ['book'], pingIntervalMs: 20, logger })
      const events = await collect(feed, (seen) => seen.some((event) => event.type === 'book'))
      const ping = JSON.parse(await fx.connections[0]!.waitForMessage((text) => text.includes('"ping"')))
      expect(ping).toEqual({ method: 'ping', req_id: expect.any(Number) })
      expect(events.map((event) => event.type)).toEqual(['status', 'book'])
      expect(feed.stats.parseErrors).toBe(0)
      expect(warn).toHaveBeenCalledWith('kraken engine not online', { system: 'maintenance' })
    })
  })

  it('reports disconnected and connected around a reconnect, then starts the book over from a snapshot', async () => {
    await withFake(async (fx) => {
      scriptKraken(fx, (connection, request) => {
        connection.send(ackFor(request, 'BTC/USD'))
        if (request.params?.channel !== 'book') return
        connection.send(btcBook('snapshot', 100 + connection.id, 200))
        connection.send(btcBook('update', 150 + connection.id, 200, 100 + connection.id))
        if (connection.id === 1) setImmediate(() => connection.terminate())
      })
      const feed = feedFor(fx, { symbols: ['BTC/USD'], channels: ['book'] })
      const events = await collect(feed, (seen) => seen.filter((event) => event.type === 'book').length === 4)
      const summary = events.map((event) =>
        event.type === 'status' ? event.status : event.type === 'book' ? `${event.isSnapshot ? 'snapshot' : 'update'} ${event.bids.at(-1)!.price}` : event.type,
      )
      expect(summary).toEqual(['connected', 'snapshot 101', 'update 151', 'disconnected', 'connected', 'snapshot 102', 'update 152'])
      expect(fx.connections[1]!.messages.filter((text) => text.includes('"book"'))).toHaveLength(1)
    })
  })
})

describe('KrakenFeed bars', () => {
  it('subscribes ohlc in minutes and closes a bar when the next interval starts', async () => {
    await withFake(async (fx) => {
      const candle = (begin: string, close: number) => ({
        symbol: 'BTC/USD', open: 1, high: 3, low: 1, close, trades: 2, volume: 5, vwap: 2, interval_begin: begin, interval: 60,
      })
      scriptKraken(fx, (connection, request) => {
        connection.send(ackFor(request, 'BTC/USD'))
        connection.send({ channel: 'ohlc', type: 'snapshot', timestamp: '2024-05-06T07:08:09.123456789Z', data: [candle('2024-05-06T06:00:00.000000000Z', 2)] })
        connection.send({ channel: 'ohlc', type: 'update', timestamp: '2024-05-06T07:08:10.000000000Z', data: [candle('2024-05-06T07:00:00.000000000Z', 3)] })
      })
      const feed = feedFor(fx, { symbols: ['BTC/USD'], channels: ['bars:1h'] })
      const events = await collect(feed, (seen) => seen.filter((event) => event.type === 'bar').length === 3)
      const bars = events.filter((event): event is BarEvent => event.type === 'bar')
      expect(bars.map(({ interval, openTime, close, closed }) => ({ interval, openTime, close, closed }))).toEqual([
        { interval: '1h', openTime: 1714975200000000, close: 2, closed: false },
        { interval: '1h', openTime: 1714975200000000, close: 2, closed: true },
        { interval: '1h', openTime: 1714978800000000, close: 3, closed: false },
      ])
      expect(JSON.parse(fx.connections[0]!.messages[1]!).params).toEqual({ channel: 'ohlc', symbol: ['BTC/USD'], interval: 60, snapshot: true })
    })
  })
})

