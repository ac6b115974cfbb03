import { describe, expect, it } from 'vitest'
import { exchange, KrakenFeed } from '../src/index.js'

function invalid(options: Record<string, unknown>): { code: string; message: string } {
  try {
    exchange.createFeed({ symbols: ['BTC/USD'], channels: ['trades'], ...options } as never)
  } catch (error) {
    return error as { code: string; message: string }
  }
  throw new Error('createFeed accepted the options')
}

describe('exchange descriptor', () => {
  it('describes the Kraken adapter', () => {
    expect(exchange).toMatchObject({ id: 'kraken', name: 'Kraken', exampleSymbol: 'BTC/USD', channels: ['trades', 'book', 'bars'] })
    expect(exchange.barIntervals).toEqual(['1m', '5m', '15m', '30m', '1h', '4h', '1d', '1w', '15d'])
  })

  it('offers a REST history for backfills without touching the network', () => {
    const history = exchange.createHistory!({})
    expect(history.exchange).toBe('kraken')
  })

  it('creates a KrakenFeed without touching the network', () => {
    const feed = exchange.createFeed({ symbols: ['BTC/USD'], channels: ['trades', 'book', 'bars:15d'], bookDepth: 1000 })
    expect(feed).toBeInstanceOf(KrakenFeed)
    expect(feed.exchange).toBe('kraken')
    expect(feed.stats.frames).toBe(0)
    expect((feed as KrakenFeed).urls).toEqual(['wss://ws.kraken.com/v2'])
  })
})

describe('createFeed validation', () => {
  it.each([
    [{ symbols: ['XBT/USD'] }, 'XBT/USD'],
    [{ symbols: ['BTCUSD'] }, 'BTCUSD'],
    [{ symbols: [] }, '[]'],
    [{ channels: ['candles'] }, 'candles'],
    [{ channels: ['bars:2h'] }, '2h'],
    [{ channels: ['book'], bookDepth: 20 }, '20'],
    [{ bookDepth: 50 }, '50'],
    [{ wsUrl: 'https://ws.kraken.com' }, 'https://ws.kraken.com'],
    [{ wsUrl: 'wss://ws.kraken.com/v2' }, '/v2'],
    [{ restUrl: 'ftp://x' }, 'ftp://x'],
    [{ pingIntervalMs: -1 }, '-1'],
    [{ maxConnectionAgeMs: 86_400_000 }, '86400000'],
    [{ tradeSnapshot: 'yes' }, 'yes'],
    [{ recoverTrades: 0 }, 'recoverTrades'],
    [{ recoverBars: 'no' }, 'recoverBars'],
    [{ maxResumeAgeMs: -1 }, 'maxResumeAgeMs'],
    [{ maxResumeAgeMs: 1.5 }, 'maxResumeAgeMs'],
    [{ resume: { 'SOL/USD': {} } }, 'SOL/USD'],
    [{ resume: { 'BTC/USD': { trades: { lastId: 'abc', lastTimestamp: 1_700_000_000_000_000 } } } }, 'abc'],
    [{ resume: { 'BTC/USD': { trades: { lastId: '12', lastTimestamp: 1_700_000_000_000 } } } }, '1700000000000'],
    [{ resume: { 'BTC/USD': { bars: { '1m': { lastOpenTime: 1_700_000_000_000_000 } } } } }, '1m'],
    [{ channels: ['bars:1m'], resume: { 'BTC/USD': { trades: { lastId: '12', lastTimestamp: 1_700_000_000_000_000 } } } }, 'trades'],
  ])('rejects %j with InvalidArgumentError naming the value', (options, value) => {
    const error = invalid(options)
    expect(error.code).toBe('DCCD_INVALID_ARGUMENT')
    expect(error.message).toContain(value)
  })

  it('rejects a maxRecoveredTrades that is not a whole number >= 0, naming the option', () => {
    for (const value of [-1, 1.5, '10', Number.NaN]) {
      const error = invalid({ maxRecoveredTrades: value })
      expect(error.message).toContain('maxRecoveredTrades')
    }
    expect(() => exchange.createFeed({ symbols: ['BTC/USD'], channels: ['trades'], maxRecoveredTrades: 0 })).not.toThrow()
  })

  it('accepts resume points of subscribed symbols and channels, and maxResumeAgeMs 0', () => {
    const resume = {
      'BTC/USD': { trades: { lastId: '12', lastTimestamp: 1_700_000_000_000_000 }, bars: { '1m': { lastOpenTime: 1_699_999_940_000_000 } } },
    }
    expect(() => exchange.createFeed({ symbols: ['BTC/USD'], channels: ['trades', 'bars:1m'], resume, maxResumeAgeMs: 0 })).not.toThrow()
  })

  it('lists the valid depths and intervals in the message', () => {
    expect(invalid({ bookDepth: 20 }).message).toContain('10, 25, 100, 500, 1000')
    expect(invalid({ channels: ['bars:2h'] }).message).toContain('1m, 5m, 15m, 30m, 1h, 4h, 1d, 1w, 15d')
  })
})
