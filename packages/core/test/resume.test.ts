import { describe, expect, it } from 'vitest'
import { InvalidArgumentError, resumeOption } from '../src/index.js'
import type { ParsedChannel } from '../src/index.js'

const T = Date.UTC(2026, 11, 5) * 1000
const channels: ParsedChannel[] = [
  { kind: 'trades', name: 'trades' },
  { kind: 'bars', name: 'bars:1m', interval: '1m' },
]
const check = (value: unknown, chans: ParsedChannel[] = channels) => resumeOption(value, ['BTCUSDT', 'ETHUSDT'], chans)

describe('resumeOption', () => {
  it('returns a frozen copy of valid resume points, and {} when absent', () => {
    const value = { BTCUSDT: { trades: { lastId: '123', lastTimestamp: T }, bars: { '1m': { lastOpenTime: T - 60_000_000 } } } }
    const resume = check(value)
    expect(resume).toEqual(value)
    expect(resume).not.toBe(value)
    expect(Object.isFrozen(resume.BTCUSDT)).toBe(true)
    expect(check(undefined)).toEqual({})
  })

  it.each([
    [{ XRPUSDT: {} }, /resume symbol "XRPUSDT".*Valid: BTCUSDT, ETHUSDT/],
    [{ BTCUSDT: { trades: { lastId: 123, lastTimestamp: T } } }, /resume\.BTCUSDT\.trades\.lastId 123/],
    [{ BTCUSDT: { trades: { lastId: '12a', lastTimestamp: T } } }, /lastId "12a"/],
    [{ BTCUSDT: { trades: { lastId: '1', lastTimestamp: T / 1000 } } }, /lastTimestamp .*integer µs/],
    [{ BTCUSDT: { bars: { '5m': { lastOpenTime: T } } } }, /bars interval "5m".*Valid: 1m/],
    [{ BTCUSDT: { bars: { '1m': { lastOpenTime: 1.5 } } } }, /lastOpenTime 1\.5/],
    [{ BTCUSDT: { book: {} } }, /resume\.BTCUSDT key "book".*Valid: trades, bars/],
    [[], /option resume/],
  ])('rejects %j with a message naming the bad value', (value, message) => {
    expect(() => check(value)).toThrow(InvalidArgumentError)
    expect(() => check(value)).toThrow(message)
  })

  it('rejects a trades resume point on a feed without the trades channel', () => {
    expect(() => check({ BTCUSDT: { trades: { lastId: '1', lastTimestamp: T } } }, [channels[1]!])).toThrow(/no trades channel/)
  })
})
