import { describe, expect, it } from 'vitest'
import { ExitCode, UsageError, errorMessage, isUsageError } from '../src/errors.js'

describe('usage errors', () => {
  it('UsageError carries code DCCD_USAGE, which isUsageError recognises', () => {
    const error = new UsageError('invalid --duration "soon"')
    expect(error.code).toBe('DCCD_USAGE')
    expect(error.name).toBe('UsageError')
    expect(isUsageError(error)).toBe(true)
  })

  it('recognises the code, not the class, so a second copy of the CLI or an adapter error counts too', () => {
    expect(isUsageError(Object.assign(new Error('x'), { code: 'DCCD_USAGE' }))).toBe(true)
    expect(isUsageError(Object.assign(new Error('x'), { code: 'DCCD_INVALID_ARGUMENT' }))).toBe(true)
    expect(isUsageError(new Error('x'))).toBe(false)
  })

  it('shows the first line of a message; usage errors exit 2', () => {
    expect(errorMessage(new UsageError('one\ntwo'))).toBe('one')
    expect(ExitCode.usage).toBe(2)
  })
})
