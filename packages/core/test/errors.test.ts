import { describe, expect, it } from 'vitest'
import {
  ChecksumMismatchError,
  DccdError,
  errorMessage,
  FeedStoppedError,
  ExchangeError,
  hasErrorCode,
  InvalidArgumentError,
  NoCapabilityError,
  RequestError,
  SequenceGapError,
} from '../src/index.js'

describe('errors', () => {
  it('InvalidArgumentError names the bad value and the valid ones, with a stable code', () => {
    const error = new InvalidArgumentError('channel', 'tardes', ['trades', 'book'])
    expect(error).toBeInstanceOf(DccdError)
    expect(error).toBeInstanceOf(Error)
    expect(error.name).toBe('InvalidArgumentError')
    expect(error.code).toBe('DCCD_INVALID_ARGUMENT')
    expect(error.message).toContain('"tardes"')
    expect(error.message).toContain('trades, book')
    expect(error).toMatchObject({ argument: 'channel', value: 'tardes', allowed: ['trades', 'book'] })
  })

  it('InvalidArgumentError adds the detail and says when nothing is valid', () => {
    const error = new InvalidArgumentError('symbols', [], [], 'at least one symbol is required')
    expect(error.message).toContain('at least one symbol is required')
    expect(error.message).toContain('(none)')
  })

  it('InvalidArgumentError shows numbers as written, including NaN and Infinity, and survives odd values', () => {
    expect(new InvalidArgumentError('depth', Number.NaN, []).message).toContain('NaN')
    expect(new InvalidArgumentError('depth', -Infinity, []).message).toContain('-Infinity')
    expect(new InvalidArgumentError('id', 12n, []).message).toContain('12')
    const circular: Record<string, unknown> = {}
    circular.self = circular
    expect(() => new InvalidArgumentError('options', circular, [])).not.toThrow()
    expect(new InvalidArgumentError('option', undefined, []).message).toContain('undefined')
  })

  it('InvalidArgumentError lists at most 20 valid values and says how many there are', () => {
    const allowed = Array.from({ length: 25 }, (_, i) => `S${i}`)
    const error = new InvalidArgumentError('symbol', 'NOPE', allowed)
    expect(error.message).toContain('S19')
    expect(error.message).not.toContain('S20')
    expect(error.message).toContain('25 in all')
  })

  it('SequenceGapError carries symbol, expected and received', () => {
    const error = new SequenceGapError('BTCUSDT', 101, 105)
    expect(error.code).toBe('DCCD_SEQUENCE_GAP')
    expect(error).toMatchObject({ symbol: 'BTCUSDT', expected: 101, received: 105 })
    expect(error.message).toContain('BTCUSDT')
    expect(error.message).toContain('101')
    expect(error.message).toContain('105')
  })

  it('ChecksumMismatchError carries symbol, expected and actual', () => {
    const error = new ChecksumMismatchError('BTC/USD', 3310070434, 42)
    expect(error.code).toBe('DCCD_CHECKSUM_MISMATCH')
    expect(error).toMatchObject({ symbol: 'BTC/USD', expected: 3310070434, actual: 42 })
    expect(error.message).toContain('3310070434')
  })

  it('NoCapabilityError names the exchange and capability', () => {
    const error = new NoCapabilityError('kraken', 'bars:3m')
    expect(error.code).toBe('DCCD_NO_CAPABILITY')
    expect(error.message).toContain('kraken')
    expect(error.message).toContain('bars:3m')
  })

  it('ExchangeError keeps the exchange code, HTTP status and cause', () => {
    const cause = new Error('body')
    const error = new ExchangeError('binance', -1121, 'Invalid symbol.', { status: 400, cause })
    expect(error.code).toBe('DCCD_EXCHANGE_ERROR')
    expect(error).toMatchObject({ exchange: 'binance', exchangeCode: -1121, status: 400 })
    expect(error.cause).toBe(cause)
    expect(error.message).toContain('-1121')
    expect(new ExchangeError('kraken', undefined, 'nope').message).not.toContain('code')
  })

  it('RequestError names the url and keeps status and cause', () => {
    const cause = new TypeError('fetch failed')
    const error = new RequestError('http://127.0.0.1/x', 'gave up after 4 retries', 503, { cause })
    expect(error.code).toBe('DCCD_REQUEST_FAILED')
    expect(error.status).toBe(503)
    expect(error.cause).toBe(cause)
    expect(error.message).toContain('http://127.0.0.1/x')
  })

  it('hasErrorCode matches by code, also for look-alikes from another copy of core', () => {
    expect(hasErrorCode(new SequenceGapError('A', 1, 2), 'DCCD_SEQUENCE_GAP')).toBe(true)
    expect(hasErrorCode(new SequenceGapError('A', 1, 2), 'DCCD_CHECKSUM_MISMATCH')).toBe(false)
    expect(hasErrorCode({ code: 'DCCD_SEQUENCE_GAP' }, 'DCCD_SEQUENCE_GAP')).toBe(true)
    expect(hasErrorCode(null, 'DCCD_SEQUENCE_GAP')).toBe(false)
    expect(hasErrorCode('DCCD_SEQUENCE_GAP', 'DCCD_SEQUENCE_GAP')).toBe(false)
  })

  it('gives every error class a distinct DCCD_ code', () => {
    const codes = [
      new InvalidArgumentError('a', 1, []),
      new SequenceGapError('a', 1, 2),
      new ChecksumMismatchError('a', 1, 2),
      new NoCapabilityError('a', 'b'),
      new ExchangeError('a', 1, 'm'),
      new RequestError('u', 'm'),
    ].map((error) => error.code)
    expect(new Set(codes).size).toBe(codes.length)
    for (const code of codes) expect(code).toMatch(/^DCCD_[A-Z_]+$/)
  })
})

describe('FeedStoppedError and errorMessage', () => {
  it('FeedStoppedError carries DCCD_FEED_STOPPED and names the exchange', () => {
    const error = new FeedStoppedError('binance')
    expect(error).toBeInstanceOf(DccdError)
    expect(hasErrorCode(error, 'DCCD_FEED_STOPPED')).toBe(true)
    expect(error.message).toBe('binance feed stopped')
  })

  it('errorMessage gives the first line of an Error and the string form of anything else', () => {
    expect(errorMessage(new Error('HTTP 500\nstack-ish detail'))).toBe('HTTP 500')
    expect(errorMessage('plain')).toBe('plain')
    expect(errorMessage(42)).toBe('42')
  })
})
