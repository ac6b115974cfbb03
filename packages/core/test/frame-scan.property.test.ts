import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decimalToNumber, exactLevels, scanDecimalText, scanInteger, scanLiteral, scanNumber, scanQuotedLevels, scanned, scanStringEnd } from '../src/index.js'
import type { BookLevel } from '../src/index.js'

/** What JSON.parse makes of `text` as a number value, or undefined when it is not one. */
function jsonNumber(text: string): number | undefined {
  try {
    const value = JSON.parse(`[${text}]`) as unknown[]
    return value.length === 1 && typeof value[0] === 'number' ? value[0] : undefined
  } catch {
    return undefined
  }
}

/** Decimal-looking texts: digits, dots, signs, exponents, leading zeros, long runs. */
const numberish = fc
  // size 'max': at the default size no text passed 10 characters.
  .array(fc.constantFrom('0', '1', '2', '5', '9', '.', '-', 'e', 'E', '+', '7', '3'), { minLength: 0, maxLength: 24, size: 'max' })
  .map((chars) => chars.join(''))
/**
 * Long digit runs, which neither numberish (5 characters in 12 are no digit) nor prices (all digits
 * together about 10^15 at most, 8 decimals) ever make: digits past 2^53 counted with the decimals, and
 * more than 22 decimals below 2^53 (small mantissas after many zeros), both of which a scan must decline.
 */
const digit = fc.constantFrom(...'0123456789')
const longDecimal = fc.oneof(
  fc
    .tuple(fc.string({ unit: digit, minLength: 1, maxLength: 20, size: 'max' }), fc.string({ unit: digit, maxLength: 26, size: 'max' }))
    .map(([whole, fraction]) => (fraction === '' ? whole : `${whole}.${fraction}`)),
  fc.tuple(fc.integer({ min: 12, max: 30 }), fc.integer({ min: 1, max: 999_999_999 })).map(([zeros, m]) => `0.${'0'.repeat(zeros)}${m}`),
)
const prices = fc.tuple(fc.nat({ max: 10_000_000 }), fc.nat({ max: 99_999_999 }), fc.integer({ min: 0, max: 8 })).map(([whole, fraction, decimals]) =>
  decimals === 0 ? String(whole) : `${whole}.${String(fraction).padStart(8, '0').slice(0, decimals)}`,
)

describe('scanNumber', () => {
  it('accepts only what JSON.parse reads as a number ≥ 0 without exponent, to the same double', () => {
    fc.assert(
      fc.property(fc.oneof(numberish, prices, longDecimal), (text) => {
        const end = scanNumber(`${text},`, 0)
        if (end === -1) return // declined: the general path decides
        // It read a whole JSON number (no digit or exponent left behind) to JSON.parse's double; the caller
        // then checks the character it stopped at.
        const read = text.slice(0, end)
        expect(Object.is(scanned[0], jsonNumber(read))).toBe(true)
        expect(read).not.toMatch(/[-eE+]/)
        expect(`${text},`[end]).toMatch(/[^0-9eE]/)
      }),
      { numRuns: 20_000 },
    )
  })

  it('reads the numbers exchanges write, stopping at the next character', () => {
    for (const [text, value] of [['0', 0], ['354.15', 354.15], ['0.00000001', 1e-8], ['5', 5], ['2893.540000', 2893.54], ['9007199254740991', 2 ** 53 - 1]] as const) {
      expect(scanNumber(`${text}}`, 0), text).toBe(text.length)
      expect(scanned[0]).toBe(value)
    }
    for (const text of ['-1', '01', '1.', '.5', '1e3', '1.5E2', '', 'x', '9007199254740993', `0.${'1'.repeat(23)}`]) expect(scanNumber(`${text},`, 0), text).toBe(-1)
  })
})

describe('scanDecimalText', () => {
  it('reads a quoted decimal to decimalToNumber’s double, or declines', () => {
    fc.assert(
      fc.property(fc.oneof(numberish, prices, longDecimal), (text) => {
        const end = scanDecimalText(`${text}"`, 0)
        if (end === -1) return
        expect(end).toBe(text.length)
        expect(Object.is(scanned[0], decimalToNumber(text))).toBe(true)
        expect(Object.is(scanned[0], Number(text))).toBe(true)
      }),
      { numRuns: 20_000 },
    )
  })

  it('needs its closing quote', () => {
    expect(scanDecimalText('0.5', 0)).toBe(-1)
    expect(scanDecimalText('"0.5"', 1)).toBe(4)
    expect(scanned[0]).toBe(0.5)
  })
})

describe('scanInteger', () => {
  it('reads JSON numbers whose value is a safe integer ≥ 0, and nothing else', () => {
    fc.assert(
      fc.property(fc.oneof(numberish, fc.nat().map(String), fc.bigInt({ min: 0n, max: 2n ** 54n }).map(String)), (text) => {
        const end = scanInteger(`${text},`, 0)
        if (end === -1) return
        const read = text.slice(0, end)
        expect(scanned[0]).toBe(jsonNumber(read))
        expect(`${text},`[end]).toMatch(/[^0-9eE]/) // as scanNumber: the caller checks where it stopped
        expect(Number.isSafeInteger(scanned[0])).toBe(true)
      }),
      { numRuns: 20_000 },
    )
    expect(scanInteger('1700000000000,', 0)).toBe(13)
    expect(scanned[0]).toBe(1_700_000_000_000)
    expect(scanInteger('1.0,', 0)).toBe(3) // JSON.parse reads 1 too
    expect(scanned[0]).toBe(1)
    for (const text of ['1.5', '1e3', '01', '-1', '9007199254740992', '']) expect(scanInteger(`${text},`, 0), text).toBe(-1)
  })
})

describe('scanStringEnd and scanLiteral', () => {
  it('finds the closing quote of a string JSON.parse reads verbatim, declining escapes and control characters', () => {
    expect(scanStringEnd('"BTC/USD","x"', 1)).toBe(8)
    expect(scanStringEnd('"a\\"b"', 1)).toBe(-1)
    expect(scanStringEnd('"a\u0001b"', 1)).toBe(-1)
    expect(scanStringEnd('"open', 1)).toBe(-1)
    expect(scanStringEnd('"Ω≈"', 1)).toBe(3)
  })

  it('matches a literal at a position, never past the end', () => {
    expect(scanLiteral('{"e":"depthUpdate"', 1, '"e":')).toBe(true)
    expect(scanLiteral('{"e":"depthUpdate"', 0, '"e":')).toBe(false)
    expect(scanLiteral('{"e"', 1, '"e":')).toBe(false)
  })

  it('agrees with startsWith for literals of any length, at any position', () => {
    // size 'max': at the default size no text passed 10 characters, so long literals inside the haystack
    // were rare (3 runs out of 100) and positions past 10 never came up.
    const text = fc.string({ unit: fc.constantFrom('"', 'a', 'b', ':', '{'), maxLength: 40, size: 'max' })
    fc.assert(
      fc.property(text, text, fc.integer({ min: -3, max: 45 }), (haystack, literal, pos) => {
        expect(scanLiteral(haystack, pos, literal)).toBe(pos >= 0 && pos <= haystack.length && haystack.startsWith(literal, pos))
        // The literal placed at pos, as a scan meets it.
        if (pos >= 0 && pos <= haystack.length) expect(scanLiteral(haystack.slice(0, pos) + literal + haystack.slice(pos), pos, literal)).toBe(true)
      }),
      { numRuns: 3000 },
    )
  })
})

describe('scanQuotedLevels', () => {
  const read = (text: string, ignored = 0): { end: number; levels: BookLevel[] } => {
    const levels: BookLevel[] = []
    return { end: scanQuotedLevels(text, 0, levels, ignored), levels }
  }

  it('reads lists of string levels to what JSON.parse and Number give, skipping the extra strings', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(prices, prices, fc.string({ maxLength: 3 }).filter((t) => /^[a-z0-9]*$/.test(t))), { maxLength: 6 }), (rows) => {
        for (const ignored of [0, 2]) {
          const text = JSON.stringify(rows.map(([price, amount, extra]) => [price, amount, ...Array<string>(ignored).fill(extra)]))
          const { end, levels } = read(`${text},`, ignored)
          expect(end).toBe(text.length)
          expect(levels).toEqual(rows.map(([price, amount]) => ({ price: Number(price), amount: Number(amount) })))
        }
      }),
      { numRuns: 2000 },
    )
  })

  it('declines what is not exactly that shape', () => {
    for (const [text, ignored] of [
      ['[["1","2"]', 0], // unclosed
      ['[["1","2","x"]]', 0], // an extra string not expected
      ['[["1","2"]]', 2], // the expected extra strings missing
      ['[["1",2]]', 0], // a number quantity
      ['[["-1","2"]]', 0],
      ['[ ["1","2"]]', 0],
      ['[["1","2"],]', 0],
      ['{}', 0],
    ] as const) {
      expect(read(text, ignored).end, text).toBe(-1)
    }
    expect(read('[]x')).toEqual({ end: 2, levels: [] })
  })
})

describe('exactLevels', () => {
  it('copies the first count levels into a new array of exactly that length, whatever the count', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ price: fc.nat(), amount: fc.nat() }), { maxLength: 6, size: 'max' }), fc.nat({ max: 6 }), (levels, wanted) => {
        const count = Math.min(wanted, levels.length)
        const copy = exactLevels(levels, count)
        expect(copy).toEqual(levels.slice(0, count))
        expect(copy).not.toBe(levels)
        // A new array: an event's levels may be appended to downstream (Kraken's truncation removals).
        const before = [...levels]
        copy.push({ price: -1, amount: 0 })
        expect(levels).toEqual(before)
      }),
    )
  })
})
