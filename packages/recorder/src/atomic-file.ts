/**
 * Sealed files appear atomically: written to a temp file beside the target,
 * fsynced, then renamed over it (atomic on POSIX), then the folder is
 * fsynced so the rename itself survives a power cut. A reader never sees a
 * half-written file, and a crash leaves at most a `*.tmp` that the next
 * start removes.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs'
import { dirname, join } from 'node:path'

/** Suffix of temp files; anything ending in it under the output folder is a leftover and may be removed. */
export const TEMP_SUFFIX = '.tmp'

/** Writes `data` to `path` atomically (temp + fsync + rename + folder fsync). */
export function writeFileAtomic(path: string, data: Uint8Array | string): void {
  mkdirSync(dirname(path), { recursive: true })
  const temp = `${path}.${process.pid}${TEMP_SUFFIX}`
  const fd = openSync(temp, 'w')
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data) : data
    // writeSync may write less than asked (a disk filling up does that before it fails): loop.
    for (let written = 0; written < bytes.length; ) written += writeSync(fd, bytes, written, bytes.length - written)
    fsyncSync(fd)
  } catch (error) {
    closeSync(fd)
    rmSync(temp, { force: true }) // give the space back: a full disk is the likely reason
    throw error
  }
  closeSync(fd)
  try {
    renameSync(temp, path)
  } catch (error) {
    rmSync(temp, { force: true })
    throw error
  }
  syncDirectory(dirname(path))
}

/** fsync a folder so a rename or unlink in it is durable. Best effort: some filesystems refuse. */
export function syncDirectory(dir: string): void {
  try {
    const fd = openSync(dir, 'r')
    try {
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
  } catch {
    // Not supported here (e.g. some network filesystems); the rename is still atomic.
  }
}

/** Removes `*.tmp` leftovers of crashed writers in one folder. */
export function removeTempFiles(dir: string): void {
  if (!existsSync(dir)) return
  for (const name of readdirSync(dir)) {
    if (name.endsWith(TEMP_SUFFIX)) rmSync(join(dir, name), { force: true })
  }
}
