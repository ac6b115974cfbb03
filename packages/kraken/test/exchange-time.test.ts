import { isoToMicros } from '@dccd/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { exchangeTime, plausibleTime } from '../src/parse.js'

/** A receive time of today's order: every timestamp below is plausible against it. */
const NOW = 1_800_000_000_000_000
const readAtNow = (iso: string): number => exchangeTime(iso, NOW)

// Timestamps around a few seconds (so runs share their first 20 characters), with every fraction
// length, the other layouts core accepts, and endings core rejects.
const second = fc.constantFrom('2021-04-17T16:48:53', '2021-04-17T16:48:54', '2021-04-17 16:48:53', '2021-04-18T00:00:00', '2016-12-31T23:59:60')
const fraction = fc.oneof(fc.stringMatching(/^\.\d{1,12}$/), fc.constantFrom('', '.', '.12a4', '.1234 '))
const zone = fc.constantFrom('Z', 'Z', 'Z', 'z', '+01:00', '-0530', '')
const timestamp = fc.tuple(second, fraction, zone).map(([s, f, z]) => s + f + z)

function read(convert: (iso: string) => number, iso: string): number | string {
  try {
    return convert(iso)
  } catch (error) {
    return (error as { code?: string }).code ?? String(error)
  }
}

describe('exchangeTime', () => {
  it("gives core's isoToMicros result, or its error, for any run of timestamps sharing their seconds", () => {
    fc.assert(
      fc.property(fc.array(timestamp, { minLength: 1, maxLength: 30 }), (isos) => {
        for (const iso of isos) expect(read(readAtNow, iso)).toBe(read(isoToMicros, iso))
      }),
      { numRuns: 500, seed: 20261206 },
    )
  })

  it('reads 1 to 9 fraction digits (truncated to µs), and names a text that is no timestamp', () => {
    expect(readAtNow('2021-04-17T16:48:53.365913Z')).toBe(1618678133365913)
    expect(readAtNow('2021-04-17T16:48:53.000001999Z')).toBe(1618678133000001)
    expect(readAtNow('2021-04-17T16:48:53.5Z')).toBe(1618678133500000)
    expect(() => readAtNow('2021-04-17T16:48:53.5x')).toThrow(/2021-04-17T16:48:53.5x/)
  })

  it('refuses a time before 2009 or more than a day ahead, naming it as written (or, read already, written out)', () => {
    expect(() => exchangeTime('2008-12-31T23:59:59.000000000Z', NOW)).toThrow(/Implausible Kraken timestamp "2008-12-31T23:59:59.000000000Z"/)
    expect(() => plausibleTime(NOW + 86_401_000_000, NOW)).toThrow(/Implausible Kraken timestamp "2027-01-16T08:00:01.000000Z"/)
    expect(plausibleTime(NOW + 86_400_000_000, NOW)).toBe(NOW + 86_400_000_000)
  })
})
