import { describe, expect, it } from 'vitest'
import { addBars, barsBetween, intervalMicros, InvalidArgumentError, nextOpenTime } from '../src/index.js'

const utc = (...parts: [number, number, number?, number?, number?]) => Date.UTC(...parts) * 1000

describe('bar interval arithmetic', () => {
  it('knows fixed interval lengths and rejects names that are not intervals', () => {
    expect(intervalMicros('1s')).toBe(1_000_000)
    expect(intervalMicros('15m')).toBe(900_000_000)
    expect(intervalMicros('4h')).toBe(14_400_000_000)
    expect(intervalMicros('15d')).toBe(1_296_000_000_000)
    expect(intervalMicros('1w')).toBe(604_800_000_000)
    expect(intervalMicros('1M')).toBeUndefined()
    expect(() => intervalMicros('1x')).toThrow(InvalidArgumentError)
    expect(() => intervalMicros('0m')).toThrow(/Invalid bar interval "0m"/)
  })

  it('steps fixed intervals by their length and months by the calendar', () => {
    expect(nextOpenTime('1m', utc(2026, 0, 1, 0, 59))).toBe(utc(2026, 0, 1, 1, 0))
    expect(nextOpenTime('1M', utc(2024, 0, 1))).toBe(utc(2024, 1, 1))
    expect(nextOpenTime('1M', utc(2024, 11, 1))).toBe(utc(2025, 0, 1))
    expect(addBars('1M', utc(2024, 2, 1), -2)).toBe(utc(2024, 0, 1))
    expect(addBars('1w', utc(2024, 0, 1), 3)).toBe(utc(2024, 0, 22))
  })

  it('counts the bars between two open times', () => {
    expect(barsBetween('5m', utc(2026, 0, 1), utc(2026, 0, 1, 1))).toBe(12)
    expect(barsBetween('1M', utc(2023, 10, 1), utc(2024, 1, 1))).toBe(3)
    expect(barsBetween('1h', utc(2026, 0, 2), utc(2026, 0, 1))).toBe(-24)
  })
})
