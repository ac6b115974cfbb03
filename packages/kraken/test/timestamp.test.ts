import { isoToMicros } from '@dccd/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { timestampToMicros } from '../src/timestamp.js'

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

describe('timestampToMicros', () => {
  it("gives core's isoToMicros result, or its error, for any run of timestamps sharing their seconds", () => {
    fc.assert(
      fc.property(fc.array(timestamp, { minLength: 1, maxLength: 30 }), (isos) => {
        for (const iso of isos) expect(read(timestampToMicros, iso)).toBe(read(isoToMicros, iso))
      }),
      { numRuns: 500, seed: 20261206 },
    )
  })

  it('reads the fraction of a timestamp in the previous one’s second (9 digits truncated to µs)', () => {
    expect(timestampToMicros('2021-04-17T16:48:53.365913Z')).toBe(1618678133365913)
    expect(timestampToMicros('2021-04-17T16:48:53.000001999Z')).toBe(1618678133000001)
    expect(timestampToMicros('2021-04-17T16:48:53.5Z')).toBe(1618678133500000)
    expect(() => timestampToMicros('2021-04-17T16:48:53.5x')).toThrow(/2021-04-17T16:48:53.5x/)
  })
})
