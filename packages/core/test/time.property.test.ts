import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { InvalidArgumentError, isoToMicros } from '../src/index.js'
import { isoToMicrosFast, isoToMicrosGeneral, scanIsoTimestamp } from '../src/time.js'

const pad = (n: number, width: number): string => String(n).padStart(width, '0')

/** A valid UTC timestamp in the exchanges' layout, years 1970–2200, 0–9 fraction digits. */
const timestamp = fc
  .record({
    ms: fc.integer({ min: 0, max: Date.UTC(2200, 11, 31, 23, 59, 59, 999) }),
    fraction: fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 0, maxLength: 9 }),
  })
  .map(({ ms, fraction }) => {
    const seconds = new Date(ms).toISOString().slice(0, 19) // YYYY-MM-DDTHH:MM:SS
    return { seconds, fraction, iso: `${seconds}${fraction === '' ? '' : `.${fraction}`}Z` }
  })

/** The general path's value, or NaN where it rejects the text. */
function generalOrNaN(iso: string): number {
  try {
    return isoToMicrosGeneral(iso)
  } catch {
    return Number.NaN
  }
}

/** Independent of both paths: Date.parse for whole seconds, the digits for the rest. */
function oracle(seconds: string, fraction: string): number {
  return Date.parse(`${seconds}Z`) * 1000 + Number(fraction.slice(0, 6).padEnd(6, '0'))
}

describe('isoToMicros fast path', () => {
  it('takes the fast path for the fixed layout and agrees with the general path to the bit', () => {
    fc.assert(
      fc.property(timestamp, ({ seconds, fraction, iso }) => {
        const fast = isoToMicrosFast(iso)
        expect(fast).toBe(isoToMicrosGeneral(iso))
        expect(fast).toBe(oracle(seconds, fraction))
        expect(Number.isSafeInteger(fast)).toBe(true)
        expect(isoToMicros(iso)).toBe(fast)
      }),
      { numRuns: 2000 },
    )
  })

  it('stays right when the cached day changes back and forth', () => {
    fc.assert(
      fc.property(fc.array(timestamp, { minLength: 2, maxLength: 8 }), fc.nat(), (stamps, seed) => {
        // Interleave each timestamp with another of the same day, so the cache both hits and misses.
        for (const { seconds, fraction, iso } of stamps) {
          const sameDay = `${seconds.slice(0, 11)}${pad(seed % 24, 2)}:${pad(seed % 60, 2)}:00Z`
          expect(isoToMicros(iso)).toBe(oracle(seconds, fraction))
          expect(isoToMicros(sameDay)).toBe(isoToMicrosGeneral(sameDay))
        }
      }),
    )
  })

  it('stays right when the cached minute holds, changes, or is followed by a bad second', () => {
    fc.assert(
      fc.property(fc.array(timestamp, { minLength: 1, maxLength: 6 }), fc.array(fc.nat({ max: 59 }), { minLength: 1, maxLength: 6 }), (stamps, seconds) => {
        for (const { seconds: whole, iso } of stamps) {
          expect(isoToMicrosFast(iso)).toBe(isoToMicrosGeneral(iso))
          // The same minute with other seconds (the cache holds), and the minute's bad seconds (it must not help).
          const minute = whole.slice(0, 16)
          for (const second of seconds) {
            const same = `${minute}:${pad(second, 2)}.5Z`
            expect(isoToMicrosFast(same)).toBe(oracle(`${minute}:${pad(second, 2)}`, '5'))
          }
          for (const bad of [':61', ':6x', ':x0', '.00', ':9']) expect(isoToMicrosFast(`${minute}${bad}Z`)).toBeNaN()
          expect(isoToMicrosFast(`${minute}:60Z`)).toBe(isoToMicrosGeneral(`${minute}:60Z`)) // a leap second
        }
      }),
      { numRuns: 500 },
    )
    // A minute that differs from the cached one in any single character is read, not matched.
    const cached = '2021-04-17T16:48'
    expect(isoToMicrosFast(`${cached}:53Z`)).toBe(oracle(`${cached}:53`, ''))
    for (let i = 0; i < cached.length; i++) {
      const other = `${cached.slice(0, i)}${cached[i] === '1' ? '2' : '1'}${cached.slice(i + 1)}:53Z`
      expect(isoToMicrosFast(other)).toBe(generalOrNaN(other))
    }
  })

  it('reads a timestamp in place inside longer text, and nothing past its bounds', () => {
    fc.assert(
      fc.property(timestamp, fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), ({ iso }, before, after) => {
        const text = `${before}${iso}${after}`
        expect(scanIsoTimestamp(text, before.length, before.length + iso.length)).toBe(isoToMicrosFast(iso))
      }),
      { numRuns: 1000 },
    )
    const iso = '2021-04-17T16:48:53.365913Z'
    // One character short at either end is not the layout; bounds outside the text read nothing.
    expect(scanIsoTimestamp(`x${iso}`, 1, iso.length)).toBeNaN()
    expect(scanIsoTimestamp(`${iso}x`, 1, iso.length + 1)).toBeNaN()
    expect(scanIsoTimestamp(iso, -1, iso.length - 1)).toBeNaN()
    expect(scanIsoTimestamp(iso, 0, iso.length + 1)).toBeNaN()
  })

  it('leaves other layouts to the general path, with the same results as before', () => {
    for (const iso of ['2021-04-17 16:48:53.365913Z', '2021-04-17T16:48:53.365913z', '2021-04-17T18:48:53.365913+02:00', '2021-04-17T16:48:53.1234567891Z']) {
      expect(isoToMicrosFast(iso)).toBeNaN()
      expect(isoToMicros(iso)).toBe(iso === '2021-04-17T16:48:53.1234567891Z' ? 1618678133123456 : 1618678133365913)
    }
  })

  it('reads years 0000–0099 as written (Date.UTC alone would read them as 1900–1999)', () => {
    const expected = new Date(Date.UTC(2000, 0, 1))
    expected.setUTCFullYear(50, 1, 28)
    expect(isoToMicros('0050-02-28T00:00:00Z')).toBe(expected.getTime() * 1000)
    expect(isoToMicrosGeneral('0050-02-28T00:00:00+00:00')).toBe(expected.getTime() * 1000)
  })
})

describe('isoToMicros rejects', () => {
  const rejects = [
    ['month 13', '2021-13-01T00:00:00Z'],
    ['month 0', '2021-00-10T00:00:00.5Z'],
    ['31 April', '2021-04-31T00:00:00Z'],
    ['29 February of a common year', '2021-02-29T12:00:00.000001Z'],
    ['29 February 1900', '1900-02-29T12:00:00Z'],
    ['day 0', '2021-04-00T00:00:00Z'],
    ['hour 24', '2021-04-17T24:00:00Z'],
    ['minute 60', '2021-04-17T16:60:00Z'],
    ['second 61', '2021-04-17T16:48:61Z'],
    ['an offset of 24 hours', '2021-04-17T16:48:53+24:00'],
    ['letters in the year', '20a1-04-17T16:48:53Z'],
    ['letters in the fraction', '2021-04-17T16:48:53.36x913Z'],
    ['an empty fraction', '2021-04-17T16:48:53.Z'],
    ['a missing zone', '2021-04-17T16:48:53.365913'],
    ['garbage', 'not a timestamp at all!'],
    ['the empty string', ''],
  ] as const
  it.each(rejects)('rejects %s with InvalidArgumentError naming the value', (_, iso) => {
    expect(() => isoToMicros(iso)).toThrow(InvalidArgumentError)
    expect(() => isoToMicros(iso)).toThrow(`"${iso}"`)
  })

  it('accepts 29 February of leap years and a leap second', () => {
    expect(isoToMicros('2024-02-29T00:00:00Z')).toBe(Date.UTC(2024, 1, 29) * 1000)
    expect(isoToMicros('2000-02-29T00:00:00Z')).toBe(Date.UTC(2000, 1, 29) * 1000)
    expect(isoToMicros('2016-12-31T23:59:60.5Z')).toBe(Date.UTC(2017, 0, 1) * 1000 + 500_000)
  })

  it('rejects a value that is not a string the same way', () => {
    expect(() => isoToMicros(null as unknown as string)).toThrow(InvalidArgumentError)
  })
})
