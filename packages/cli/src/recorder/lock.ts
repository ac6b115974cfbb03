/**
 * One recorder per output folder. The lock file holds the owner's PID; a
 * lock whose process is gone (a `kill -9`, a power cut) is stale and taken
 * over, so a restart is never blocked by the dead run.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { UsageError } from '../errors.js'

/** Lock file name under `--out`. */
export const LOCK_FILE = '.dccd.lock'

/** True when a process with this PID exists (EPERM: exists, owned by someone else). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Takes the lock of `out` (which must exist).
 *
 * @returns a function that releases it
 * @throws UsageError when a live process holds it
 */
export function acquireLock(out: string): () => void {
  const path = join(out, LOCK_FILE)
  mkdirSync(out, { recursive: true })
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(path, JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString() }), { flag: 'wx' })
      return () => rmSync(path, { force: true })
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
    let pid = Number.NaN
    try {
      pid = (JSON.parse(readFileSync(path, 'utf8')) as { pid?: number }).pid ?? Number.NaN
    } catch {
      // Unreadable or half-written lock: its writer died before finishing it, so it is stale.
    }
    if (pid !== process.pid && processAlive(pid)) {
      throw new UsageError(`--out ${JSON.stringify(out)} is in use by another dccd (pid ${pid}); stop it or choose another --out`)
    }
    rmSync(path, { force: true })
  }
  throw new UsageError(`could not take the lock ${path}`)
}
