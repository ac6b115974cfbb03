import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { StopOnFailure } from '../src/commands/stop-on-failure.js'
import { DiskWriteError } from '@dccd/recorder'

function setup() {
  const said: string[] = []
  let stops = 0
  const guard = new StopOnFailure((line) => void said.push(line), () => void stops++)
  return { said, guard, stops: () => stops }
}

describe('StopOnFailure', () => {
  it('stops the run once at the first failure and says a disk failure in one line', () => {
    const { said, guard, stops } = setup()
    const file = join(mkdtempSync(join(tmpdir(), 'dccd-stop-')), 'x.jsonl')
    expect(guard.run(() => {})).toBe(true)
    expect(
      guard.run(() => {
        throw new DiskWriteError('ENOSPC', file)
      }),
    ).toBe(false)
    guard.fail(new DiskWriteError('EIO', file)) // a later failure, from the recorder's timers
    expect(guard.run(() => {})).toBe(false) // nothing runs once failed
    expect(stops()).toBe(1)
    expect(said).toEqual([expect.stringMatching(new RegExp(`^dccd: error: disk full: cannot write ${file} \\(filesystem .* free\\); stopping\\n$`))])
    expect(guard.error).toMatchObject({ code: 'ENOSPC' })
  })

  it('stops quietly on any other failure and keeps it for the caller to rethrow', () => {
    const { said, guard, stops } = setup()
    const bug = new TypeError('a bug')
    guard.fail(bug)
    expect(stops()).toBe(1)
    expect(said).toEqual([])
    expect(guard.error).toBe(bug)
  })
})
