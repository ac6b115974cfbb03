import { describe, expect, it } from 'vitest'
import { DiskWriteError, asDiskWriteError, isDiskFull, isDiskWriteError } from '../src/disk-error.js'

describe('disk write errors', () => {
  it('wraps errno errors with their code and path, and leaves other errors alone', () => {
    const errno = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })
    expect(asDiskWriteError(errno, '/a/b')).toMatchObject({ name: 'DiskWriteError', code: 'ENOSPC', path: '/a/b', cause: errno })
    expect(asDiskWriteError(Object.assign(new Error('x'), { code: 'EIO', path: '/c' }), '/a/b')).toMatchObject({ code: 'EIO', path: '/c' })
    const plain = new TypeError('not a disk problem')
    expect(asDiskWriteError(plain, '/a/b')).toBe(plain)
  })

  it('tells a full disk from other refusals, and recognises the error by shape', () => {
    expect(['ENOSPC', 'EDQUOT', 'EFBIG', 'EIO', 'EROFS'].map((code) => isDiskFull(new DiskWriteError(code, '/x')))).toEqual([true, true, true, false, false])
    expect(isDiskWriteError(Object.assign(new Error('copy'), { name: 'DiskWriteError', path: '/x' }))).toBe(true)
    expect(isDiskWriteError(new Error('cannot write /x'))).toBe(false)
  })
})
