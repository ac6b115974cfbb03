import { describe, expect, it } from 'vitest'
import { exchange } from '../src/index.js'
import { resolveBinanceOptions } from '../src/options.js'
import { expectInvalidArgument } from './support/invalid.js'

const base = { symbols: ['BTCUSDT'], channels: ['trades' as const] }

const invalid = expectInvalidArgument

describe('resolveBinanceOptions', () => {
  it('defaults to production endpoints with symbol validation on', () => {
    const resolved = resolveBinanceOptions(base)
    expect(resolved.restUrl).toBe('https://api.binance.com')
    expect(resolved.validateSymbols).toBe(true)
    expect(resolved.snapshotLimit).toBe(1000)
    expect(resolved.connections).toEqual([
      { symbols: ['BTCUSDT'], streams: ['btcusdt@trade'], url: 'wss://stream.binance.com:9443/stream?streams=btcusdt@trade', subscribeLater: [] },
    ])
  })

  it('reaches the spot testnet with testnet: true', () => {
    const resolved = resolveBinanceOptions({ ...base, testnet: true })
    expect(resolved.connections[0]!.url).toBe('wss://stream.testnet.binance.vision/stream?streams=btcusdt@trade')
    expect(resolved.restUrl).toBe('https://testnet.binance.vision')
  })

  it('turns symbol validation off by default when a URL is overridden, unless asked for', () => {
    expect(resolveBinanceOptions({ ...base, wsUrl: 'ws://127.0.0.1:1' }).validateSymbols).toBe(false)
    expect(resolveBinanceOptions({ ...base, restUrl: 'http://127.0.0.1:1/' }).restUrl).toBe('http://127.0.0.1:1')
    expect(resolveBinanceOptions({ ...base, wsUrl: 'ws://127.0.0.1:1', validateSymbols: true }).validateSymbols).toBe(true)
  })

  it('uses bookDepth as the snapshot limit unless bookSnapshotLimit is given', () => {
    expect(resolveBinanceOptions({ ...base, bookDepth: 100 }).snapshotLimit).toBe(100)
    expect(resolveBinanceOptions({ ...base, bookDepth: 100, bookSnapshotLimit: 5000 }).snapshotLimit).toBe(5000)
  })

  it('rejects malformed symbols, naming them', () => {
    for (const symbol of ['btcusdt', 'BTC/USDT', '', 'A'.repeat(21)]) {
      expect(invalid(() => resolveBinanceOptions({ ...base, symbols: [symbol] })).message).toContain(JSON.stringify(symbol))
    }
    invalid(() => resolveBinanceOptions({ ...base, symbols: [] }))
  })

  it('accepts every Binance interval and rejects others, case-sensitively', () => {
    expect(resolveBinanceOptions({ ...base, channels: ['bars:1M', 'bars:1s', 'bars:1w'] }).channels.map((c) => c.interval)).toEqual([
      '1M',
      '1s',
      '1w',
    ])
    for (const interval of ['2m', '1H', '10m']) {
      expect(invalid(() => resolveBinanceOptions({ ...base, channels: [`bars:${interval}`] })).message).toContain(interval)
    }
  })

  it('rejects unknown channels and bad option values', () => {
    invalid(() => resolveBinanceOptions({ ...base, channels: ['ticker' as 'trades'] }))
    invalid(() => resolveBinanceOptions({ ...base, bookSnapshotLimit: 5001 }))
    invalid(() => resolveBinanceOptions({ ...base, bookSnapshotLimit: 0 }))
    invalid(() => resolveBinanceOptions({ ...base, maxStreamsPerConnection: 1025 }))
    invalid(() => resolveBinanceOptions({ ...base, restWeightShare: 0 }))
    invalid(() => resolveBinanceOptions({ ...base, maxConnectionAgeMs: 25 * 3_600_000 }))
    // null is a bad value like any other, not "use the default" (only an absent option is).
    invalid(() => resolveBinanceOptions({ ...base, restWeightShare: null as unknown as number }))
    invalid(() => resolveBinanceOptions({ ...base, maxConnectionAgeMs: null as unknown as number }))
    invalid(() => resolveBinanceOptions({ ...base, testnet: 'yes' as unknown as boolean }))
    invalid(() => resolveBinanceOptions(null as unknown as typeof base))
  })

  it('caps trade recovery at 100000 trades per hole by default; maxRecoveredTrades is an integer >= 0', () => {
    expect(resolveBinanceOptions(base).maxRecoveredTrades).toBe(100_000)
    expect(resolveBinanceOptions({ ...base, maxRecoveredTrades: 0 }).maxRecoveredTrades).toBe(0)
    expect(resolveBinanceOptions({ ...base, maxRecoveredTrades: 5_000_000 }).maxRecoveredTrades).toBe(5_000_000)
    for (const [value, shown] of [
      [-1, '-1'],
      [1.5, '1.5'],
      [Number.NaN, 'NaN'],
      [Infinity, 'Infinity'],
      ['1000', '"1000"'],
      [null, 'null'],
    ] as const) {
      const error = invalid(() => resolveBinanceOptions({ ...base, maxRecoveredTrades: value as unknown as number }))
      expect(error.message).toContain(`maxRecoveredTrades ${shown}`)
      expect(error.allowed).toEqual(['an integer >= 0 (trades recovered per hole; 0 only reports the gap)'])
    }
    invalid(() => exchange.createFeed({ ...base, maxRecoveredTrades: -5 }))
  })

  it('checks resume points against the symbols and channels, and reads maxResumeAgeMs (default 24 h) and recoverBars (default true)', () => {
    const point = { trades: { lastId: '3407512981', lastTimestamp: 1_701_388_800_123_000 }, bars: { '1m': { lastOpenTime: 1_701_388_740_000_000 } } }
    const resolved = resolveBinanceOptions({ ...base, channels: ['trades', 'bars:1m'], resume: { BTCUSDT: point } })
    expect(resolved.resume).toEqual({ BTCUSDT: point })
    expect(resolved.maxResumeAgeMs).toBe(86_400_000)
    expect(resolved.recoverBars).toBe(true)
    expect(resolveBinanceOptions(base).resume).toEqual({})
    expect(resolveBinanceOptions({ ...base, maxResumeAgeMs: 0, recoverBars: false })).toMatchObject({ maxResumeAgeMs: 0, recoverBars: false })
    // A symbol the feed does not stream, bars of an interval it does not subscribe, an id that is no id, a time in ms.
    expect(invalid(() => exchange.createFeed({ ...base, resume: { ETHUSDT: point } })).message).toContain('ETHUSDT')
    expect(invalid(() => resolveBinanceOptions({ ...base, channels: ['trades', 'bars:5m'], resume: { BTCUSDT: point } })).message).toContain('1m')
    expect(invalid(() => resolveBinanceOptions({ ...base, resume: { BTCUSDT: { trades: { lastId: 'x1', lastTimestamp: 1_701_388_800_123_000 } } } })).message).toContain('x1')
    expect(invalid(() => resolveBinanceOptions({ ...base, resume: { BTCUSDT: { trades: { lastId: '1', lastTimestamp: 1_701_388_800_123 } } } })).message).toContain('lastTimestamp')
    expect(invalid(() => resolveBinanceOptions({ ...base, maxResumeAgeMs: -1 })).message).toContain('maxResumeAgeMs -1')
    expect(invalid(() => resolveBinanceOptions({ ...base, recoverBars: 'no' as unknown as boolean })).message).toContain('recoverBars')
  })

  it('rejects URLs of the wrong kind or that already name an endpoint', () => {
    invalid(() => resolveBinanceOptions({ ...base, wsUrl: 'http://127.0.0.1:1' }))
    invalid(() => resolveBinanceOptions({ ...base, wsUrl: 'wss://stream.binance.com:9443/ws' }))
    invalid(() => resolveBinanceOptions({ ...base, wsUrl: 'wss://stream.binance.com:9443/stream?streams=x' }))
    invalid(() => resolveBinanceOptions({ ...base, restUrl: 'https://api.binance.com/api/v3' }))
    invalid(() => resolveBinanceOptions({ ...base, restUrl: 'not a url' }))
  })
})

describe('exchange', () => {
  it('describes Binance spot', () => {
    expect(exchange).toMatchObject({ id: 'binance', name: 'Binance', channels: ['trades', 'book', 'bars'], exampleSymbol: 'BTCUSDT' })
    expect(exchange.barIntervals).toContain('1m')
  })

  it('createFeed validates synchronously and opens nothing', () => {
    invalid(() => exchange.createFeed({ ...base, symbols: ['btc-usdt'] }))
    invalid(() => exchange.createFeed({ ...base, pingIntervalMs: -1 }))
    const feed = exchange.createFeed({ ...base, wsUrl: 'ws://127.0.0.1:9', restUrl: 'http://127.0.0.1:9' })
    expect(feed.exchange).toBe('binance')
    expect(feed.stats).toMatchObject({ frames: 0, records: 0, parseErrors: 0, reconnects: 0 })
    return feed.stop()
  })
})
