import { describe, expect, it } from 'vitest'
import { decimalField, invalidField, msTimeField, signedDecimalField } from '../src/index.js'

const NOW = Date.UTC(2026, 0, 1) * 1000

describe('field readers', () => {
  it('read unsigned decimal strings and reject every other shape, naming the field', () => {
    expect(decimalField('0.00012300', 'size')).toBe(0.000123)
    expect(decimalField('42', 'size')).toBe(42)
    for (const bad of ['', '-1', '1e5', ' 1', 1, null, undefined, '0x10', '.']) {
      expect(() => decimalField(bad, 'level size')).toThrow(/^level size is /)
    }
  })

  it('read signed decimals for rates', () => {
    expect(signedDecimalField('-0.0001', 'funding rate')).toBe(-0.0001)
    expect(signedDecimalField('0.0003', 'funding rate')).toBe(0.0003)
    expect(() => signedDecimalField('--1', 'funding rate')).toThrow('funding rate is "--1"')
  })

  it('read ms times as numbers or digit strings, within the plausible range', () => {
    expect(msTimeField('1652459199958', NOW, 'ts')).toBe(1_652_459_199_958_000)
    expect(msTimeField(1_652_459_199_958, NOW, 'ts')).toBe(1_652_459_199_958_000)
    for (const bad of ['', '1.5', 'abc', '1000', String(NOW / 1000 + 2 * 86_400_000), null]) {
      expect(() => msTimeField(bad, NOW, 'trade time')).toThrow(/^trade time is /)
    }
  })

  it('cut long values in the message', () => {
    expect(() => invalidField('frame', 'x'.repeat(500))).toThrow(/^frame is "x{99}$/)
  })
})
