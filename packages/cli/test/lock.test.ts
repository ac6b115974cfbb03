import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { LOCK_FILE, acquireLock, processAlive } from '../src/recorder/lock.js'

/** A PID that certainly belongs to no process: one that just exited. */
function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout)
}

describe('output folder lock', () => {
  it('writes our PID and removes the file on release', () => {
    const out = mkdtempSync(join(tmpdir(), 'dccd-lock-'))
    const release = acquireLock(out)
    expect(JSON.parse(readFileSync(join(out, LOCK_FILE), 'utf8')).pid).toBe(process.pid)
    release()
    expect(existsSync(join(out, LOCK_FILE))).toBe(false)
  })

  it('refuses a folder locked by a live process, naming its PID', () => {
    const out = mkdtempSync(join(tmpdir(), 'dccd-lock-'))
    writeFileSync(join(out, LOCK_FILE), JSON.stringify({ pid: process.ppid }))
    expect(() => acquireLock(out)).toThrow(new RegExp(`in use by another dccd \\(pid ${process.ppid}\\)`))
    expect(() => acquireLock(out)).toThrow(expect.objectContaining({ code: 'DCCD_USAGE' }))
  })

  it('takes over a stale lock whose process is gone', () => {
    const out = mkdtempSync(join(tmpdir(), 'dccd-lock-'))
    const pid = deadPid()
    expect(processAlive(pid)).toBe(false)
    writeFileSync(join(out, LOCK_FILE), JSON.stringify({ pid }))
    const release = acquireLock(out)
    expect(JSON.parse(readFileSync(join(out, LOCK_FILE), 'utf8')).pid).toBe(process.pid)
    release()
  })

  it('takes over a torn lock file', () => {
    const out = mkdtempSync(join(tmpdir(), 'dccd-lock-'))
    writeFileSync(join(out, LOCK_FILE), '{"pi')
    acquireLock(out)()
  })
})
