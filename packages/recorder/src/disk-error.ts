/**
 * The one error the recorder throws when the disk refuses a write (full,
 * over quota, an I/O error, read-only): it keeps the errno code and the file,
 * so a caller (`dccd record`) can stop with a message that names both and the disk.
 */

/**
 * The disk refused a write. `code` is the errno code (`ENOSPC`, `EDQUOT`, `EIO`, …).
 *
 * @example
 * try { recorder.write(event) } catch (error) { if (isDiskWriteError(error)) console.error(error.code, error.path) }
 */
export class DiskWriteError extends Error {
  /** The errno code string. */
  readonly code: string
  /** The file (or folder) that could not be written. */
  readonly path: string

  constructor(code: string, path: string, options?: { cause?: unknown }) {
    super(`cannot write ${path}: ${code}`, options)
    this.name = 'DiskWriteError'
    this.code = code
    this.path = path
  }
}

/** Errno codes that say the filesystem cannot take more data. */
const FULL = new Set(['ENOSPC', 'EDQUOT', 'EFBIG'])

/**
 * True for a {@link DiskWriteError}, checked by shape so it works across module copies.
 *
 * @example if (isDiskWriteError(recorder.failure)) stopFeeds()
 */
export function isDiskWriteError(error: unknown): error is DiskWriteError {
  return error instanceof Error && error.name === 'DiskWriteError' && typeof (error as DiskWriteError).path === 'string'
}

/**
 * True when the error means "no space": full disk, quota, file too large.
 *
 * @example isDiskFull(new DiskWriteError('ENOSPC', '/data/x.jsonl')) // true
 */
export function isDiskFull(error: DiskWriteError): boolean {
  return FULL.has(error.code)
}

/**
 * Wraps a failed file system call as a {@link DiskWriteError} naming `path`
 * (or the error's own path); anything that is not an errno error is returned
 * as it is.
 */
export function asDiskWriteError(error: unknown, path: string): unknown {
  if (isDiskWriteError(error)) return error
  const errno = error as NodeJS.ErrnoException
  if (!(error instanceof Error) || typeof errno.code !== 'string' || !/^E[A-Z0-9]+$/.test(errno.code)) return error
  return new DiskWriteError(errno.code, typeof errno.path === 'string' ? errno.path : path, { cause: error })
}
