import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DiskWriteError } from '@dccd/recorder'
import { diskFailureMessage } from '../src/record/disk-message.js'
import { describeFilesystem, filesystemOf, formatBytes } from '../src/record/filesystem.js'

describe('naming the disk', () => {
  it('formats byte counts in binary units', () => {
    expect([0, 512, 1024, 1536, 12 * 1024, 10.4 * 1024 ** 2, 3.25 * 1024 ** 3].map(formatBytes)).toEqual(['0 B', '512 B', '1 KiB', '1.5 KiB', '12 KiB', '10 MiB', '3.3 GiB'])
  })

  it('finds the filesystem of a file that does not exist yet through its nearest existing folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dccd-fs-'))
    const info = filesystemOf(join(dir, 'not', 'yet', 'there.jsonl'))
    expect(info.mountPoint).toMatch(/^\//)
    expect(info.type).toMatch(/\w/)
    expect(info.freeBytes).toBeGreaterThanOrEqual(0)
    expect(describeFilesystem(info)).toMatch(/^filesystem \S+ at \/\S*, [\d.]+ [KMGTP]?i?B free$/)
  })

  it('says what went wrong in words, with the file and the disk', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dccd-fs-'))
    const file = join(dir, 'x.jsonl')
    expect(diskFailureMessage(new DiskWriteError('ENOSPC', file))).toMatch(new RegExp(`^disk full: cannot write ${file} \\(filesystem \\S+ at /`))
    expect(diskFailureMessage(new DiskWriteError('EDQUOT', file))).toMatch(/^disk quota exceeded: /)
    expect(diskFailureMessage(new DiskWriteError('EWHAT', file))).toMatch(/^write failed \(EWHAT\): /)
  })
})
