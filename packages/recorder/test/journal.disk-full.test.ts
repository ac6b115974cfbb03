// A journal on a disk that fills up, for real (a small tmpfs): no torn line, nothing lost that was accepted (issue #11, item 7).
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { tsxArgv } from './helpers/tsx.js'
import { requireTmpfs, runOnTmpfs } from './helpers/tmpfs.js'

const SCRIPT = fileURLToPath(new URL('./fixtures/journal-enospc.ts', import.meta.url))

describe('a journal segment on a full disk', { timeout: 60_000 }, () => {
  beforeAll(() => requireTmpfs(mkdtempSync(join(tmpdir(), 'dccd-probe-'))))

  it('fails with the errno and the file, leaves only whole lines, and writes the kept lines once space is free', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dccd-mnt-'))
    const run = await runOnTmpfs({ dir, size: '256k', argv: tsxArgv(SCRIPT, [dir]), cwd: dir })
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    const report = JSON.parse(run.stdout) as {
      failure?: { name: string; code?: string; path?: string; message: string }
      afterFailure: { ids: string[]; torn: boolean; size: number }
      final: { ids: string[]; torn: boolean; unreadable: number }
    }
    expect(report.failure).toMatchObject({ code: 'ENOSPC', path: join(dir, 'seg.jsonl') })
    expect(report.afterFailure.torn).toBe(false) // cut back to the last whole line
    expect(report.afterFailure.ids[0]).toBe('0')
    expect(report.final).toEqual({ ids: Array.from({ length: 301 }, (_, i) => String(i)), torn: false, unreadable: 0 })
  })
})
