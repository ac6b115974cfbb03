import { BarContinuity, silentLogger } from '@dccd/core'
import type { BarEvent, MarketEvent } from '@dccd/core'
import { describe, expect, it } from 'vitest'
import { krakenOhlcSource, restBarEvent, unservedRange } from '../src/ohlc.js'
import type { OhlcPage } from '../src/ohlc.js'
import { KrakenRest } from '../src/rest.js'
import type { KrakenRestOhlc } from '../src/wire.js'
import { serveAssetPairs } from './support/asset-pairs.js'
import { withFake } from './support/feed-harness.js'

const MINUTE = 60_000_000
/** 2026-01-10T12:00:00Z, s. */
const T = 1_768_046_400
const NOW = (T + 3600) * 1_000_000

describe('restBarEvent', () => {
  it('reads a row: open time in µs, decimal strings, the end of the interval as its time', () => {
    const row: KrakenRestOhlc = [T, '30243.4', '30250.0', '30240.1', '30245.5', '30244.2', '1.23456789', 17]
    expect(restBarEvent('BTC/USD', '1m', row, true, NOW)).toEqual({
      type: 'bar',
      exchange: 'kraken',
      symbol: 'BTC/USD',
      interval: '1m',
      openTime: T * 1_000_000,
      open: 30243.4,
      high: 30250,
      low: 30240.1,
      close: 30245.5,
      volume: 1.23456789,
      closed: true,
      timestamp: T * 1_000_000 + MINUTE,
      localTimestamp: NOW,
    })
  })

  it("reads Kraken's row for an interval without trades as a flat bar with volume 0", () => {
    const row: KrakenRestOhlc = [T, '1.024497', '1.024497', '1.024497', '1.024497', '0.000000', '0.00000000', 0]
    expect(restBarEvent('ADA/EUR', '1d', row, true, NOW)).toMatchObject({ open: 1.024497, high: 1.024497, low: 1.024497, close: 1.024497, volume: 0 })
  })

  it.each([
    ['a time in ms', [T * 1000, '1', '1', '1', '1', '1', '1', 1]],
    ['a fractional time', [T + 0.5, '1', '1', '1', '1', '1', '1', 1]],
    ['a number where a decimal string belongs', [T, 1, '1', '1', '1', '1', '1', 1]],
    ['a signed decimal', [T, '1', '1', '-1', '1', '1', '1', 1]],
    ['a short row', [T, '1', '1']],
    ['no row', null],
  ])('rejects %s', (_, row) => {
    expect(() => restBarEvent('BTC/USD', '1m', row as never, true, NOW)).toThrow(TypeError)
  })
})

describe('unservedRange', () => {
  const bar = (openTime: number): BarEvent => restBarEvent('BTC/USD', '1m', [openTime / 1e6, '1', '1', '1', '1', '1', '1', 1], true, NOW)
  const current = T * 1_000_000
  const windowStart = current - 719 * MINUTE
  const page: OhlcPage = { closed: [bar(windowStart), bar(windowStart + MINUTE)], current: { ...bar(current), closed: false }, windowStart }

  it('is the part of the range before the first row, when the range starts before the window', () => {
    expect(unservedRange(page, '1m', windowStart - 10 * MINUTE, current - MINUTE)).toEqual({ from: windowStart - 10 * MINUTE, to: windowStart - MINUTE })
    expect(unservedRange(page, '1m', windowStart - 10 * MINUTE, windowStart - 5 * MINUTE)).toEqual({ from: windowStart - 10 * MINUTE, to: windowStart - 5 * MINUTE })
  })

  it('is nothing for a range inside the window', () => {
    expect(unservedRange(page, '1m', windowStart, current - MINUTE)).toBeUndefined()
  })
})

describe('krakenOhlcSource', () => {
  it('asks again while the current interval still lies inside the hole, and never emits it as closed', async () => {
    await withFake(async (fx) => {
      serveAssetPairs(fx, ['BTC/USD'])
      const row = (openTime: number, close: string): string => `[${openTime},"1.0","2.0","0.5","${close}","1.1","3.00000000",4]`
      const answers = [
        // REST behind the WebSocket: its current interval is still T+60, the hole's last bar.
        `{"error":[],"result":{"XXBTZUSD":[${row(T, '1.1')},${row(T + 60, '1.2')}],"last":${T}}}`,
        `{"error":[],"result":{"XXBTZUSD":[${row(T, '1.1')},${row(T + 60, '1.3')},${row(T + 120, '1.4')}],"last":${T + 60}}}`,
      ]
      let calls = 0
      fx.route('GET', '/0/public/OHLC', () => ({ headers: { 'Content-Type': 'application/json' }, body: answers[Math.min(calls++, 1)] }))
      const emitted: MarketEvent[] = []
      let done!: () => void
      const finished = new Promise<void>((resolve) => (done = resolve))
      const rest = new KrakenRest(fx.restUrl, silentLogger, 10)
      const continuity = new BarContinuity({
        exchange: 'kraken',
        history: krakenOhlcSource(rest, (event) => emitted.push(event)),
        maxRecoveredBars: 100,
        unrecoveredReason: 'n/a',
        emit: (event) => {
          emitted.push(event)
          if (event.type === 'bar' && !event.closed) done()
        },
      })
      const live = (openTime: number, closed: boolean): BarEvent => ({ ...restBarEvent('BTC/USD', '1m', [openTime, '1', '1', '1', '1', '1', '1', 1], closed, NOW) })
      const out: MarketEvent[] = []
      continuity.accept(live(T - 60, true), out)
      // The bar at T+120 opens: T and T+60 should have closed.
      continuity.accept(live(T + 120, false), out)
      await finished
      expect(calls).toBe(2)
      expect(emitted.map((event) => (event.type === 'bar' ? [event.openTime / 1e6, event.close, event.closed] : event.type))).toEqual([
        [T, 1.1, true],
        [T + 60, 1.3, true],
        [T + 120, 1, false],
      ])
      expect(fx.restRequests.filter((request) => request.path === '/0/public/OHLC').map((request) => request.query.get('since'))).toEqual([
        String(T - 60),
        String(T - 60),
      ])
    })
  })
})
