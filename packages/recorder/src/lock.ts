/**
 * One recorder per output folder, without native file locks (Node has no
 * flock). `<out>/.dccd.lock/` holds one record per process that claims the
 * folder, named `<pid>-<token>.json`. A claim is:
 *
 * 1. write the record to `<pid>-<token>.tmp` in that folder and rename it to
 *    its `.json` name (atomic, and the name is ours alone, so it never
 *    replaces anyone's record);
 * 2. only then list the folder: records of dead processes are stale and
 *    anyone may delete them; a record of another live process means the
 *    folder is taken, so we delete our own record and back off.
 *
 * Why two claimants can never both win: each lists only after its own record
 * is visible, and a live process's record is never deleted by anyone else.
 * Of two claimants, the one that lists last sees the other's record. At
 * worst both see each other and back off; a claimant that lost only to
 * another newcomer retries after a short random delay, so one of them wins.
 *
 * Checking for a record is not the same as taking it over: unlike the old
 * read → "dead?" → delete → create, no step deletes a record of a live
 * process, which is how two recorders could both end up holding the lock.
 *
 * A `.dccd.lock` regular file is the lock of an older dccd: stale when its
 * process is gone, respected while it lives.
 */
import { randomBytes } from 'node:crypto'
import { lstatSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, rmdirSync, unlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { OutputLockedError } from './errors.js'

/** Lock folder under the output folder. */
export const LOCK_DIR = '.dccd.lock'

const RECORD = /^(\d+)-([0-9a-z]+)\.(json|tmp)$/

/** Records this process holds (so a stale record of an earlier process with our PID is told apart). */
const held = new Set<string>()

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

/** Knobs for {@link acquireLock}; tests shorten them. */
export interface LockOptions {
  /** Claims tried before giving up against other newcomers. Default 10. */
  readonly attempts?: number
  /** Longest random pause between claims, ms. Default 25. */
  readonly maxBackoffMs?: number
}

/**
 * Takes the lock of `out`, creating the folder if needed.
 *
 * @returns a function that releases it
 * @throws OutputLockedError naming the PID when another live process holds it
 * @example
 * const release = await acquireLock('./data')
 * try { record() } finally { release() }
 */
export async function acquireLock(out: string, options: LockOptions = {}): Promise<() => void> {
  const dir = join(out, LOCK_DIR)
  const attempts = options.attempts ?? 10
  let holder = 0
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (attempt > 0) await backoff(options.maxBackoffMs ?? 25)
    const name = claim(out, dir)
    if (name === undefined) continue // the folder vanished under us (its last holder released it): claim again
    holder = otherHolder(dir, name)
    if (holder === 0) {
      held.add(name)
      return () => release(dir, name)
    }
    rmSync(join(dir, `${name}.json`), { force: true })
  }
  // No holder only when the folder kept vanishing under every claim (other recorders releasing it at that very moment).
  throw new OutputLockedError(out, dir, holder === 0 ? undefined : holder)
}

/** Publishes our record; undefined when the lock folder was removed meanwhile. */
function claim(out: string, dir: string): string | undefined {
  mkdirSync(out, { recursive: true })
  ensureLockDir(out, dir)
  const name = `${process.pid}-${randomBytes(6).toString('hex')}`
  const temp = join(dir, `${name}.tmp`)
  try {
    const claimedAt = Math.round((performance.timeOrigin + performance.now()) * 1000)
    writeFileSync(temp, `${JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString(), claimedAt })}\n`, { flag: 'wx' })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
  // The temp file keeps the folder non-empty, so a releasing process cannot remove it under us.
  renameSync(temp, join(dir, `${name}.json`))
  return name
}

/** Creates the lock folder, replacing a stale lock file of an older dccd. */
function ensureLockDir(out: string, dir: string): void {
  try {
    mkdirSync(dir)
    return
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
  }
  if (lstatSync(dir, { throwIfNoEntry: false })?.isFile() !== true) return
  let pid = Number.NaN
  try {
    pid = (JSON.parse(readFileSync(dir, 'utf8')) as { pid?: number }).pid ?? Number.NaN
  } catch {
    // Unreadable, half-written or already gone: its writer died before finishing it.
  }
  if (pid !== process.pid && processAlive(pid)) {
    throw new OutputLockedError(out, dir, pid)
  }
  try {
    // unlink never removes a folder: if another claimant already replaced the file, this fails harmlessly.
    unlinkSync(dir)
  } catch {
    // Gone or replaced by a lock folder: either way there is a folder to claim in now, or mkdir makes one.
  }
  try {
    mkdirSync(dir)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
  }
}

/**
 * Lists the lock folder after our record `own` is visible: deletes stale
 * records and returns the PID of a live holder other than us, or 0. Of
 * several, the oldest record is named: the holder, not another newcomer.
 */
function otherHolder(dir: string, own: string): number {
  let holder = 0
  let since = Number.POSITIVE_INFINITY
  for (const entry of readdirSync(dir)) {
    const match = RECORD.exec(entry)
    if (match === null || entry.startsWith(`${own}.`)) continue
    const pid = Number(match[1])
    const base = `${match[1]}-${match[2]}`
    // Our PID on a record we never wrote: an earlier process that had our PID (containers reuse low PIDs).
    const live = pid === process.pid ? held.has(base) : processAlive(pid)
    if (!live) {
      rmSync(join(dir, entry), { force: true })
      continue
    }
    // A live claimant's temp file is not a claim yet; it lists after publishing and will see us.
    if (match[3] !== 'json') continue
    const claimedAt = claimTime(join(dir, entry))
    // Gone since the listing: only its owner removes a live record, so that owner backed off or released.
    if (claimedAt === undefined) continue
    if (claimedAt < since || holder === 0) {
      since = claimedAt
      holder = pid
    }
  }
  return holder
}

/**
 * When a record was published, µs (file times are too coarse: a kernel tick).
 * Undefined once it is gone; 0 for a record without the field.
 */
function claimTime(path: string): number | undefined {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
  try {
    return Number((JSON.parse(text) as { claimedAt?: number }).claimedAt) || 0
  } catch {
    return 0
  }
}

function release(dir: string, name: string): void {
  if (!held.delete(name)) return
  rmSync(join(dir, `${name}.json`), { force: true })
  try {
    rmdirSync(dir)
  } catch {
    // Not empty (another claimant is publishing, or a stale record remains) or already gone: both are fine.
  }
}

function backoff(maxMs: number): Promise<void> {
  // Random, so two newcomers that saw each other do not collide again.
  return new Promise((resolve) => setTimeout(resolve, 1 + Math.random() * maxMs))
}
