import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decimalToNumber } from '../src/index.js'

const digit = fc.constantFrom(...'0123456789')
// size 'max': at the default size no run passed 10 digits (12 with a minimum of 1), so these never
// made more than 22 decimals or an integer past 2^53, the two cases that go to Number() (only the
// small mantissas and the constants below did).
const digits = (maxLength: number, minLength = 0) => fc.string({ unit: digit, minLength, maxLength, size: 'max' })

/** Unsigned decimal strings as Binance writes them, and longer ones (past 2^53, past 22 decimals). */
const decimal = fc.oneof(
  fc.tuple(digits(12), digits(10)).map(([whole, fraction]) => `${whole}.${fraction}`),
  fc.tuple(digits(25), digits(25)).map(([whole, fraction]) => `${whole}.${fraction}`),
  digits(20, 1),
  // Small mantissas with many decimals: 10^k is no longer exact past k = 22.
  fc.tuple(fc.integer({ min: 15, max: 40 }), fc.integer({ min: 1, max: 999_999_999 })).map(([zeros, m]) => `0.${'0'.repeat(zeros)}${m}`),
  fc.tuple(fc.double({ min: 0, max: 1e12, noNaN: true }), fc.integer({ min: 0, max: 20 })).map(([x, k]) => x.toFixed(k)),
  fc.constantFrom('9007199254740991', '9007199254740992', '9007199254740993', '0.9007199254740993', '90071992547409.93'),
)

/** Strings `Number()` reads some other way, or not at all. */
const odd = fc.oneof(
  fc.string(),
  fc.constantFrom('', '.', '..1', '1.2.3', '-0', '-1.5', '+2', '1e5', '1E-3', ' 1', '1 ', '0x1f', 'Infinity', 'NaN', '١٢'),
)

describe('decimalToNumber', () => {
  it('is bit-identical to Number() on decimal strings', () => {
    fc.assert(
      fc.property(decimal, (text) => {
        expect(Object.is(decimalToNumber(text), Number(text))).toBe(true)
      }),
      { numRuns: 5000 },
    )
  })

  it('is NaN for anything that is not an unsigned decimal (signs, exponents, spaces, 0x), as Number() is not', () => {
    const unsignedDecimal = /^(\d+\.?\d*|\.\d+)$/
    fc.assert(
      fc.property(odd, (text) => {
        expect(Object.is(decimalToNumber(text), unsignedDecimal.test(text) ? Number(text) : Number.NaN), JSON.stringify(text)).toBe(true)
      }),
      { numRuns: 2000 },
    )
    for (const text of ['0x10', ' 100 ', '1e5', '+2', '-0', 'Infinity', '']) expect(decimalToNumber(text), text).toBeNaN()
  })

  it('reads Binance-style values', () => {
    expect(decimalToNumber('0.00012300')).toBe(0.000123)
    expect(decimalToNumber('43210.12000000')).toBe(43210.12)
    expect(decimalToNumber('0.00000000')).toBe(0)
    expect(decimalToNumber('1.')).toBe(1)
  })
})
