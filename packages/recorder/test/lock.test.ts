import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { LOCK_DIR, acquireLock, processAlive } from '../src/lock.js'

/** A PID that certainly belongs to no process: one that just exited. */
function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout)
}

function folder(): string {
  return mkdtempSync(join(tmpdir(), 'dccd-lock-'))
}

/** Records in the lock folder. */
function records(out: string): string[] {
  return existsSync(join(out, LOCK_DIR)) ? readdirSync(join(out, LOCK_DIR)).sort() : []
}

/** A record as a process with this PID leaves it. */
function plantRecord(out: string, pid: number, token = 'abc123'): string {
  mkdirSync(join(out, LOCK_DIR), { recursive: true })
  const name = `${pid}-${token}.json`
  writeFileSync(join(out, LOCK_DIR, name), JSON.stringify({ pid }))
  return name
}

describe('output folder lock', () => {
  it('writes one record naming our PID and removes the lock folder on release', async () => {
    const out = folder()
    const release = await acquireLock(out)
    const [name] = records(out)
    expect(name).toMatch(new RegExp(`^${process.pid}-[0-9a-f]+\\.json$`))
    expect(JSON.parse(readFileSync(join(out, LOCK_DIR, name!), 'utf8')).pid).toBe(process.pid)
    release()
    expect(existsSync(join(out, LOCK_DIR))).toBe(false)
  })

  it('refuses a folder locked by a live process, naming its PID, and leaves no record of its own', async () => {
    const out = folder()
    const theirs = plantRecord(out, process.ppid)
    const error = await acquireLock(out, { attempts: 2, maxBackoffMs: 1 }).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'DCCD_OUTPUT_LOCKED', pid: process.ppid, message: expect.stringContaining(`in use by another dccd (pid ${process.ppid})`) })
    expect(records(out)).toEqual([theirs])
  })

  it('deletes records of dead processes and takes the lock', async () => {
    const out = folder()
    const pid = deadPid()
    expect(processAlive(pid)).toBe(false)
    plantRecord(out, pid)
    writeFileSync(join(out, LOCK_DIR, `${pid}-def456.tmp`), '{"pid"') // a claimant killed mid-claim
    const release = await acquireLock(out)
    expect(records(out)).toEqual([expect.stringMatching(new RegExp(`^${process.pid}-`))])
    release()
  })

  it('treats a record with our PID that this process never wrote as stale (PID reused after a crash)', async () => {
    const out = folder()
    plantRecord(out, process.pid, 'earlier')
    const release = await acquireLock(out)
    expect(records(out)).not.toContain(`${process.pid}-earlier.json`)
    release()
    expect(existsSync(join(out, LOCK_DIR))).toBe(false)
  })

  it('refuses a second lock of the same folder within one process', async () => {
    const out = folder()
    const release = await acquireLock(out)
    await expect(acquireLock(out, { attempts: 2, maxBackoffMs: 1 })).rejects.toThrow(`in use by another recording in this process (pid ${process.pid})`)
    expect(records(out)).toHaveLength(1)
    release()
  })

  it('releasing leaves the records of others in place', async () => {
    const out = folder()
    const release = await acquireLock(out)
    const pending = `${process.ppid}-pending.tmp` // a live claimant between writing and publishing
    writeFileSync(join(out, LOCK_DIR, pending), '')
    release()
    expect(records(out)).toEqual([pending])
  })

  it('takes over the lock file of an older dccd whose process is gone, and a torn one', async () => {
    for (const content of [JSON.stringify({ pid: deadPid() }), '{"pi']) {
      const out = folder()
      writeFileSync(join(out, LOCK_DIR), content)
      const release = await acquireLock(out)
      expect(records(out)).toHaveLength(1)
      release()
    }
  })

  it('respects the lock file of an older dccd that is still running', async () => {
    const out = folder()
    writeFileSync(join(out, LOCK_DIR), JSON.stringify({ pid: process.ppid }))
    await expect(acquireLock(out)).rejects.toThrow(`in use by another dccd (pid ${process.ppid})`)
    expect(readFileSync(join(out, LOCK_DIR), 'utf8')).toContain(String(process.ppid))
  })
})
