import type { StatusEvent, TradeEvent } from '@dccd/core'
import type { FakeConnection, FakeExchange } from '@dccd/testkit'
import { describe, expect, it } from 'vitest'
import { serveAssetPairs } from './support/asset-pairs.js'
import { collect, feedFor, withFake } from './support/feed-harness.js'
import { ackFor, scriptKraken } from './support/scripted-kraken.js'
import type { KrakenRequestJson } from './support/scripted-kraken.js'
import { gaps, range, serveTrades, timeOf, tradeFrame, tradeIds } from './support/trade-history.js'

/**
 * Connection 1 streams trades 101..105 and drops; connection 2 answers the trade subscription with
 * `second(request)` (the frames Kraken would send then).
 */
function disconnectAfter105(fx: FakeExchange, second: (request: KrakenRequestJson) => object[]): void {
  scriptKraken(fx, (connection: FakeConnection, request) => {
    connection.send(ackFor(request, 'BTC/USD'))
    if (request.params?.channel !== 'trade') return
    if (connection.id === 1) {
      connection.send(tradeFrame('update', 101, 105))
      setImmediate(() => connection.terminate())
    } else {
      for (const frame of second(request)) connection.send(frame)
    }
  })
}

const tradeSubscriptions = (fx: FakeExchange) =>
  fx.connections.map((connection) => connection.messages.map((text) => JSON.parse(text)).find((m) => m.params?.channel === 'trade')?.params)

const sawTrade = (id: number) => (events: readonly { type: string; id?: string }[]) => events.some((e) => e.type === 'trade' && e.id === String(id))

describe('KrakenFeed trades across a reconnect', () => {
  it('fills a hole from the 50-trade snapshot, dropping the trades it repeats', async () => {
    await withFake(async (fx) => {
      // Trades 106..120 happened while disconnected; the snapshot (71..120) also repeats 71..105.
      disconnectAfter105(fx, () => [tradeFrame('snapshot', 71, 120), tradeFrame('update', 121, 122)])
      const events = await collect(feedFor(fx, { symbols: ['BTC/USD'], channels: ['trades'] }), sawTrade(122))
      expect(tradeIds(events)).toEqual(range(101, 122))
      expect(gaps(events)).toEqual([])
      expect(tradeSubscriptions(fx)).toEqual([
        { channel: 'trade', symbol: ['BTC/USD'], snapshot: false },
        { channel: 'trade', symbol: ['BTC/USD'], snapshot: true },
      ])
      expect(fx.restRequests).toEqual([])
    })
  })

  it('fetches a hole larger than the snapshot from REST Trades and emits it in id order before the held trades', async () => {
    await withFake(async (fx) => {
      serveAssetPairs(fx, ['BTC/USD'])
      serveTrades(fx, 201, 30)
      disconnectAfter105(fx, () => [tradeFrame('snapshot', 151, 200), tradeFrame('update', 201, 201)])
      const events = await collect(feedFor(fx, { symbols: ['BTC/USD'], channels: ['trades'] }), sawTrade(201))
      expect(tradeIds(events)).toEqual(range(101, 201))
      expect(gaps(events)).toEqual([])
      const recovered = events.find((event) => event.type === 'trade' && event.id === '106')
      expect(recovered).toMatchObject({ side: 'buy', price: 60_106, amount: 0.5, timestamp: timeOf(106) })
      const trades = fx.restRequests.filter((request) => request.path === '/0/public/Trades')
      // Paged by time from 1 ms before trade 105 until a page reaches the held trades (151+); each next page
      // starts 1 ns before the `last` cursor (trade 134's time), so trades sharing that time are not skipped.
      expect(trades.map((request) => request.query.get('pair'))).toEqual(['XBTUSD', 'XBTUSD'])
      expect(trades[0]!.query.get('since')).toBe(`${timeOf(105) - 1000}000`)
      expect(trades[1]!.query.get('since')).toBe(`${timeOf(134) - 1}999`)
    })
  })

  it('reports exactly the missing ids as one gap when REST fails, and keeps streaming', async () => {
    await withFake(async (fx) => {
      serveAssetPairs(fx, ['BTC/USD'])
      fx.route('GET', '/0/public/Trades', () => ({ body: { error: ['EGeneral:Invalid arguments'] } }))
      disconnectAfter105(fx, () => [tradeFrame('snapshot', 151, 200), tradeFrame('update', 201, 203)])
      const events = await collect(feedFor(fx, { symbols: ['BTC/USD'], channels: ['trades'] }), sawTrade(203))
      expect(gaps(events)).toEqual([
        expect.objectContaining({ exchange: 'kraken', symbol: 'BTC/USD', channel: 'trades', fromId: '106', toId: '150' }),
      ])
      expect(gaps(events)[0]!.reason).toContain('EGeneral:Invalid arguments')
      // Not a throttling error: asked once, not retried.
      expect(fx.restRequests.filter((request) => request.path === '/0/public/Trades')).toHaveLength(1)
      expect(tradeIds(events)).toEqual([...range(101, 105), ...range(151, 203)])
      const gapAt = events.indexOf(gaps(events)[0]!)
      expect(tradeIds(events.slice(0, gapAt)).at(-1)).toBe(105)
      expect(tradeIds(events.slice(gapAt))[0]).toBe(151)
    })
  })

  it('waits out Kraken throttling ("EGeneral:Too many requests" in a 200) and recovers the hole', async () => {
    await withFake(async (fx) => {
      serveAssetPairs(fx, ['BTC/USD'])
      const { callTimes } = serveTrades(fx, 201, 1000, { throttleFirst: 1 })
      disconnectAfter105(fx, () => [tradeFrame('snapshot', 151, 200), tradeFrame('update', 201, 201)])
      const events = await collect(feedFor(fx, { symbols: ['BTC/USD'], channels: ['trades'] }), sawTrade(201))
      expect(tradeIds(events)).toEqual(range(101, 201))
      expect(gaps(events)).toEqual([])
      const calls = fx.restRequests.filter((request) => request.path === '/0/public/Trades')
      expect(calls).toHaveLength(2)
      // The retry asks for the same page, after a backoff (1 s, jittered by up to half).
      expect(calls[1]!.query.get('since')).toBe(calls[0]!.query.get('since'))
      expect(callTimes[1]! - callTimes[0]!).toBeGreaterThanOrEqual(450)
    })
  })

  it('checks the trade after an unreadable frame for a hole, as after a reconnect, and fetches it from REST', async () => {
    await withFake(async (fx) => {
      serveAssetPairs(fx, ['BTC/USD'])
      serveTrades(fx, 108, 1000)
      scriptKraken(fx, (connection, request) => {
        connection.send(ackFor(request, 'BTC/USD'))
        if (request.params?.channel !== 'trade') return
        connection.send(tradeFrame('update', 101, 105))
        // Trade 106 arrives without its trade_id: the frame is a parse error, the trade is not emitted.
        const mangled = tradeFrame('update', 106, 106) as { data: Record<string, unknown>[] }
        delete mangled.data[0]!.trade_id
        connection.send(mangled)
        connection.send(tradeFrame('update', 107, 108))
      })
      const feed = feedFor(fx, { symbols: ['BTC/USD'], channels: ['trades'] })
      const events = await collect(feed, sawTrade(108))
      expect(feed.stats.parseErrors).toBe(1)
      expect(tradeIds(events)).toEqual(range(101, 108))
      expect(gaps(events)).toEqual([])
      expect(fx.restRequests.filter((request) => request.path === '/0/public/Trades')).toHaveLength(1)
    })
  })

  it('recovers trades skipped on a healthy socket from REST, checking every trade against the one before it', async () => {
    await withFake(async (fx) => {
      serveAssetPairs(fx, ['BTC/USD'])
      serveTrades(fx, 120, 1000)
      scriptKraken(fx, (connection, request) => {
        connection.send(ackFor(request, 'BTC/USD'))
        if (request.params?.channel !== 'trade') return
        // No disconnect and no unreadable frame: Kraken simply never sends 106..108 and 113.
        connection.send(tradeFrame('update', 101, 105))
        connection.send(tradeFrame('update', 109, 112))
        connection.send(tradeFrame('update', 114, 115))
      })
      const feed = feedFor(fx, { symbols: ['BTC/USD'], channels: ['trades'] })
      const events = await collect(feed, sawTrade(115))
      expect(tradeIds(events)).toEqual(range(101, 115))
      expect(gaps(events)).toEqual([])
      expect(feed.stats.reconnects).toBe(0)
      expect(fx.restRequests.filter((request) => request.path === '/0/public/Trades').map((r) => r.query.get('since'))).toEqual([
        `${timeOf(105) - 1000}000`,
        `${timeOf(112) - 1000}000`,
      ])
    })
  })

  it('reports a trade skipped on a healthy socket as one gap before the next trade when recovery is off', async () => {
    await withFake(async (fx) => {
      scriptKraken(fx, (connection, request) => {
        connection.send(ackFor(request, 'BTC/USD'))
        if (request.params?.channel !== 'trade') return
        connection.send(tradeFrame('update', 101, 102))
        connection.send(tradeFrame('update', 105, 106))
      })
      const events = await collect(feedFor(fx, { symbols: ['BTC/USD'], channels: ['trades'], recoverTrades: false }), sawTrade(106))
      const order = events.filter((e): e is TradeEvent | StatusEvent => e.type === 'trade' || (e.type === 'status' && e.status === 'gap'))
      expect(order.map((e) => (e.type === 'trade' ? e.id : `gap ${e.fromId}-${e.toId}`))).toEqual(['101', '102', 'gap 103-104', '105', '106'])
    })
  })

  it('loses nothing when the connection drops while a hole is being recovered', async () => {
    await withFake(async (fx) => {
      serveAssetPairs(fx, ['BTC/USD'])
      // REST holds its first answer until the second connection has resumed further on, so a
      // second hole (the disconnect's) is found while the first (a skipped frame's) is fetched.
      let release: () => void = () => {}
      const released = new Promise<void>((resolve) => (release = resolve))
      serveTrades(fx, 260, 1000, { before: () => released })
      scriptKraken(fx, (connection, request) => {
        connection.send(ackFor(request, 'BTC/USD'))
        if (request.params?.channel !== 'trade') return
        if (connection.id === 1) {
          connection.send(tradeFrame('update', 101, 105))
          connection.send(tradeFrame('update', 111, 150)) // 106..110 skipped: recovery starts
          void fx.waitUntil(() => fx.restRequests.some((r) => r.path === '/0/public/Trades')).then(() => connection.terminate())
        } else {
          // Resubscribed with a snapshot: it repeats some held ids, then the stream resumes past a second hole.
          connection.send(tradeFrame('snapshot', 201, 250))
          connection.send(tradeFrame('update', 251, 260))
          release()
        }
      })
      const events = await collect(feedFor(fx, { symbols: ['BTC/USD'], channels: ['trades'] }), sawTrade(260))
      expect(gaps(events)).toEqual([])
      expect(tradeIds(events)).toEqual(range(101, 260))
    })
  })

  it('stops promptly during a recovery, emitting nothing more', async () => {
    await withFake(async (fx) => {
      serveAssetPairs(fx, ['BTC/USD'])
      fx.route('GET', '/0/public/Trades', () => ({ body: { error: [] } }), { delayMs: 20_000 })
      disconnectAfter105(fx, () => [tradeFrame('snapshot', 151, 200)])
      const feed = feedFor(fx, { symbols: ['BTC/USD'], channels: ['trades'] })
      const iterator = feed.stream()
      const seen: string[] = []
      while (seen.filter((kind) => kind === 'connected').length < 2) {
        const { value } = await iterator.next()
        seen.push(value.type === 'trade' ? value.id : value.status)
      }
      await fx.waitUntil(() => fx.restRequests.some((request) => request.path === '/0/public/Trades'))
      const started = Date.now()
      await feed.stop()
      for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) seen.push(next.value.type)
      expect(Date.now() - started).toBeLessThan(5000) // the request would hold it for 20 s
      expect(seen).toEqual(['connected', '101', '102', '103', '104', '105', 'disconnected', 'connected'])
    })
  })

  it('with recoverTrades off, resubscribes without a snapshot and reports the hole at once', async () => {
    await withFake(async (fx) => {
      disconnectAfter105(fx, () => [tradeFrame('update', 151, 152)])
      const feed = feedFor(fx, { symbols: ['BTC/USD'], channels: ['trades'], recoverTrades: false })
      const events = await collect(feed, sawTrade(152))
      expect(gaps(events)).toMatchObject([{ fromId: '106', toId: '150' }])
      expect(tradeIds(events)).toEqual([...range(101, 105), 151, 152])
      expect(tradeSubscriptions(fx).map((params) => params.snapshot)).toEqual([false, false])
      expect(fx.restRequests).toEqual([])
    })
  })
})

describe('KrakenFeed first trade subscription', () => {
  it('asks for and emits the snapshot only with tradeSnapshot: true', async () => {
    await withFake(async (fx) => {
      scriptKraken(fx, (connection, request) => {
        connection.send(ackFor(request, 'BTC/USD'))
        if (request.params?.channel !== 'trade') return
        connection.send(tradeFrame('snapshot', 51, 100))
        connection.send(tradeFrame('update', 101, 101))
      })
      const events = await collect(feedFor(fx, { symbols: ['BTC/USD'], channels: ['trades'], tradeSnapshot: true }), sawTrade(101))
      expect(tradeIds(events)).toEqual(range(51, 101))
      expect(tradeSubscriptions(fx)).toEqual([{ channel: 'trade', symbol: ['BTC/USD'], snapshot: true }])
    })
  })
})
