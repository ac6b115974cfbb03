import { describe, expect, it } from 'vitest'
import {
  EARLIEST_EXCHANGE_TIME,
  InvalidArgumentError,
  isoToMicros,
  isPlausibleExchangeTime,
  MAX_EXCHANGE_TIME_AHEAD,
  microsToIso,
  msToMicros,
  nowMicros,
  secondsStringToMicros,
} from '../src/index.js'

describe('time helpers', () => {
  it('parses a 6-digit RFC 3339 fraction exactly', () => {
    expect(isoToMicros('2021-04-17T16:48:53.365913Z')).toBe(1618678133365913)
  })

  it('truncates a 9-digit fraction to microseconds', () => {
    expect(isoToMicros('2023-10-04T16:26:01.806315597Z')).toBe(1696436761806315)
  })

  it('pads short fractions and accepts none', () => {
    expect(isoToMicros('2021-04-17T16:48:53.3Z')).toBe(1618678133300000)
    expect(isoToMicros('2021-04-17T16:48:53Z')).toBe(1618678133000000)
  })

  it('applies a zone offset', () => {
    expect(isoToMicros('2021-04-17T18:48:53.000001+02:00')).toBe(1618678133000001)
  })

  it('rejects a non-timestamp naming the value', () => {
    expect(() => isoToMicros('yesterday')).toThrow(InvalidArgumentError)
    expect(() => isoToMicros('yesterday')).toThrow(/yesterday/)
  })

  it('converts milliseconds exactly, rounding a µs fraction', () => {
    expect(msToMicros(1633998512068)).toBe(1633998512068000)
    expect(msToMicros(1633998512063.357)).toBe(1633998512063357)
  })

  it('converts decimal-second strings exactly', () => {
    expect(secondsStringToMicros('1618678133.365913')).toBe(1618678133365913)
    expect(secondsStringToMicros('1688669597.8277369')).toBe(1688669597827736)
    expect(secondsStringToMicros('1618678133')).toBe(1618678133000000)
  })

  it('formats µs as ISO with six fractional digits and round-trips', () => {
    expect(microsToIso(1618678133365913)).toBe('2021-04-17T16:48:53.365913Z')
    expect(isoToMicros(microsToIso(1618678133000007))).toBe(1618678133000007)
  })
})

describe('nowMicros', () => {
  it('gives integer µs close to Date.now() that never go backwards', () => {
    const first = nowMicros()
    const second = nowMicros()
    expect(Number.isInteger(first)).toBe(true)
    expect(second).toBeGreaterThanOrEqual(first)
    expect(Math.abs(first / 1000 - Date.now())).toBeLessThan(5_000)
  })

  it('pads sub-millisecond digits when formatting', () => {
    expect(microsToIso(1_000_007)).toBe('1970-01-01T00:00:01.000007Z')
  })
})

describe('isPlausibleExchangeTime', () => {
  const now = 1_765_000_000_000_000
  it('accepts integer µs from 2009-01-03 to one day after the local clock', () => {
    expect(isPlausibleExchangeTime(EARLIEST_EXCHANGE_TIME, now)).toBe(true)
    expect(isPlausibleExchangeTime(1_633_998_512_068_000, now)).toBe(true)
    expect(isPlausibleExchangeTime(now + MAX_EXCHANGE_TIME_AHEAD, now)).toBe(true)
  })

  it('rejects what no market sends: before 2009, negative, far future, 1e300, fractions, NaN', () => {
    for (const bad of [EARLIEST_EXCHANGE_TIME - 1, -1, now + MAX_EXCHANGE_TIME_AHEAD + 1, 1e300, 1_633_998_512_068_000.5, NaN, Infinity]) {
      expect(isPlausibleExchangeTime(bad, now), String(bad)).toBe(false)
    }
  })
})
