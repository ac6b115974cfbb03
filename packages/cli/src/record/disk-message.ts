/**
 * The one line `dccd record` prints when the disk refuses a write: what
 * happened, the file, and the filesystem with its free space.
 */
import { isDiskFull } from '@dccd/recorder'
import type { DiskWriteError } from '@dccd/recorder'
import { describeFilesystem, filesystemOf } from './filesystem.js'

/** Plain words for the errno codes a write can fail with. */
const WHAT: Record<string, string> = {
  ENOSPC: 'disk full',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large for the filesystem',
  EIO: 'disk I/O error',
  EROFS: 'filesystem is read-only',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
}

/**
 * `disk full: cannot write /out/.journal/…/x.jsonl (filesystem tmpfs at /out, 0 B free)`.
 *
 * @example diskFailureMessage(new DiskWriteError('ENOSPC', '/data/x.jsonl'))
 */
export function diskFailureMessage(error: DiskWriteError): string {
  const what = WHAT[error.code] ?? (isDiskFull(error) ? 'disk full' : `write failed (${error.code})`)
  return `${what}: cannot write ${error.path} (${describeFilesystem(filesystemOf(error.path))})`
}
