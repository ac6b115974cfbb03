import { describe, expect, it } from 'vitest'
import { DccdError } from '@dccd/core'
import { DataPathError, OutputLockedError } from '@dccd/recorder'
import { ExitCode, UsageError, asUsageError, errorMessage, isUsageError } from '../src/errors.js'

describe('usage errors', () => {
  it('UsageError carries code DCCD_USAGE, which isUsageError recognises', () => {
    const error = new UsageError('invalid --duration "soon"')
    expect(error.code).toBe('DCCD_USAGE')
    expect(error.name).toBe('UsageError')
    expect(error).toBeInstanceOf(DccdError)
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

  it("words the recorder's lock and path errors as usage errors naming --out", () => {
    const locked = asUsageError(new OutputLockedError('/data', '/data/.dccd.lock', 4242))
    expect(locked).toMatchObject({ code: 'DCCD_USAGE', message: '--out "/data" is in use by another dccd (pid 4242); stop it or choose another --out' })
    expect(asUsageError(new OutputLockedError('/data', '/data/.dccd.lock', process.pid))).toMatchObject({
      message: `--out "/data" is in use by another recording in this process (pid ${process.pid}); stop it or choose another --out`,
    })
    expect(asUsageError(new OutputLockedError('/data', '/data/.dccd.lock', undefined))).toMatchObject({ message: 'could not take the lock /data/.dccd.lock; try again' })
    expect(asUsageError(new DataPathError('nowhere', 'missing', ['.parquet']))).toMatchObject({ code: 'DCCD_USAGE', message: 'no such file or folder "nowhere"' })
    const other = new Error('EIO')
    expect(asUsageError(other)).toBe(other)
  })
})
