import { describe, expect, it } from 'vitest'
import { BarTracker } from '../src/bars.js'
import type { KrakenCandle, KrakenOhlcMessage } from '../src/wire.js'

/** A receive time of today's order: exchange times must not lie a day past it. */
const NOW = 1_800_000_000_000_000

function candle(begin: string, close: number, symbol = 'ALGO/USD', interval = 5): KrakenCandle {
  return { symbol, open: 1, high: 2, low: 0.5, close, trades: 3, volume: 10, vwap: 1.2, interval_begin: begin, interval, timestamp: 'ignored' }
}

function message(type: 'snapshot' | 'update', data: KrakenCandle[]): KrakenOhlcMessage {
  return { channel: 'ohlc', type, timestamp: '2023-10-04T16:26:01.806315597Z', data }
}

describe('BarTracker', () => {
  it('maps a candle to an open bar with µs open time and the interval name', () => {
    const [bar] = new BarTracker().apply(message('update', [candle('2023-10-04T15:30:00.000000000Z', 0.09875)]), NOW + 7)
    expect(bar).toEqual({
      type: 'bar',
      exchange: 'kraken',
      symbol: 'ALGO/USD',
      interval: '5m',
      openTime: 1696433400000000,
      open: 1,
      high: 2,
      low: 0.5,
      close: 0.09875,
      volume: 10,
      closed: false,
      timestamp: 1696436761806315,
      localTimestamp: NOW + 7,
    })
  })

  it('closes a bar once a candle with a later interval_begin arrives', () => {
    const tracker = new BarTracker()
    tracker.apply(message('update', [candle('2023-10-04T15:30:00.000000000Z', 1)]), NOW + 1)
    const same = tracker.apply(message('update', [candle('2023-10-04T15:30:00.000000000Z', 1.5)]), NOW + 2)
    expect(same.map((bar) => [bar.close, bar.closed])).toEqual([[1.5, false]])
    const next = tracker.apply(message('update', [candle('2023-10-04T15:35:00.000000000Z', 2)]), NOW + 3)
    expect(next.map((bar) => [bar.openTime, bar.close, bar.closed])).toEqual([
      [1696433400000000, 1.5, true],
      [1696433700000000, 2, false],
    ])
  })

  it('emits each snapshot candle once: earlier ones closed, the latest open', () => {
    const bars = new BarTracker().apply(
      message('snapshot', [
        candle('2023-10-04T15:20:00.000000000Z', 1),
        candle('2023-10-04T15:25:00.000000000Z', 2),
        candle('2023-10-04T15:25:00.000000000Z', 9, 'BTC/USD'),
        candle('2023-10-04T15:30:00.000000000Z', 3),
      ]),
      NOW + 1,
    )
    expect(bars.map((bar) => [bar.symbol, bar.close, bar.closed])).toEqual([
      ['ALGO/USD', 1, true],
      ['ALGO/USD', 2, true],
      ['BTC/USD', 9, false],
      ['ALGO/USD', 3, false],
    ])
  })

  it('keeps symbols and intervals apart and reports an older candle as closed', () => {
    const tracker = new BarTracker()
    tracker.apply(message('update', [candle('2023-10-04T15:30:00.000000000Z', 1)]), NOW + 1)
    const other = tracker.apply(message('update', [candle('2023-10-04T16:00:00.000000000Z', 5, 'ALGO/USD', 60)]), NOW + 2)
    expect(other.map((bar) => [bar.interval, bar.closed])).toEqual([['1h', false]])
    const old = tracker.apply(message('update', [candle('2023-10-04T15:25:00.000000000Z', 4)]), NOW + 3)
    expect(old.map((bar) => [bar.close, bar.closed])).toEqual([[4, true]])
    const current = tracker.apply(message('update', [candle('2023-10-04T15:30:00.000000000Z', 6)]), NOW + 4)
    expect(current.map((bar) => [bar.close, bar.closed])).toEqual([[6, false]])
  })

  it('uses the receive time when the message has no timestamp', () => {
    const [bar] = new BarTracker().apply({ channel: 'ohlc', type: 'update', data: [candle('2023-10-04T15:30:00.000000000Z', 1)] }, NOW + 99)
    expect(bar!.timestamp).toBe(NOW + 99)
  })
})
