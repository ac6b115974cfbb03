import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { crcPart } from './support/crc-parts.js'
import { digitsLength, digitsPart } from '../src/checksum/digits.js'

/** The documented rule on the formatted number: remove the dot, then the leading zeros. */
function digitsOf(value: number, precision: number): Uint8Array {
  return Buffer.from(value.toFixed(precision).replace('.', '').replace(/^0+/, ''), 'latin1')
}

/** `digitsPart` against the CRC part of the digits' bytes, and its byte count against theirs. */
function expectPartOf(value: number, precision: number): void {
  const bytes = digitsOf(value, precision)
  const part = digitsPart(value, precision)
  expect({ value, precision, part, length: digitsLength() }).toEqual({ value, precision, part: crcPart(bytes, 0, bytes.length), length: bytes.length })
}

describe('checksum digits taken straight into their CRC part', () => {
  it('every group boundary of four digits, zero groups inside a number, and no digits at all for zero', () => {
    const units = [0, 1, 9, 10, 99, 100, 999, 1000, 9999, 10_000, 10_001, 10_005, 99_999_999, 100_000_000, 100_000_005, 123_456_789]
    units.push(1_000_000_000_001, 2 ** 48 - 1, 10_000_000_000_000, 999_900_009_999)
    for (const unit of units) {
      for (const precision of [0, 1, 4, 8]) expectPartOf(unit / 10 ** precision, precision)
    }
    expect(digitsPart(0, 8)).toBe(0)
    expect(digitsLength()).toBe(0)
  })

  it('values the fast path does not take (past 2^48 units, off the precision grid, precision past 22) read toFixed instead', () => {
    for (const [value, precision] of [
      [2 ** 48, 0],
      [12345678.12345678, 8],
      [0.123456789, 8],
      [1.25, 1],
      [3.5e-7, 30],
      [45285.2, 25],
    ] as const) {
      expectPartOf(value, precision)
    }
  })

  it('matches the formatted digits for any value on the precision grid up to 2^48 units', () => {
    const onGrid = fc
      .tuple(fc.integer({ min: 0, max: 12 }), fc.oneof(fc.integer({ min: 0, max: 99_999 }), fc.integer({ min: 0, max: 2 ** 48 - 1 })))
      .map(([precision, units]) => [Number((units / 10 ** precision).toFixed(precision)), precision] as const)
    fc.assert(
      fc.property(onGrid, ([value, precision]) => expectPartOf(value, precision)),
      { numRuns: 2000 },
    )
  })
})
