// dccd record on a disk that fills up, for real (a small tmpfs in a private mount namespace) (issue #11, item 7).
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { fakexProject, writeScript } from './helpers/fakex.js'
import { journaledIds, recordedRows, repeated } from './helpers/journal.js'
import { dccdArgv, runDccd } from './helpers/spawn.js'
import { requireTmpfs, runOnTmpfs } from './helpers/tmpfs.js'

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

describe('disk full (end to end)', { timeout: 120_000 }, () => {
  beforeAll(() => requireTmpfs(mkdtempSync(join(tmpdir(), 'dccd-probe-'))))

  it('stops with one line naming the disk, exits 1, and a restart with space seals every journaled trade exactly once', async () => {
    const cwd = fakexProject()
    const disk = mkdtempSync(join(tmpdir(), 'dccd-mnt-'))
    const saved = mkdtempSync(join(tmpdir(), 'dccd-saved-'))
    // Like Kraken, every (re)start replays the stream from id 1.
    const url = writeScript(cwd, { liveTrades: { symbol: 'BTCUSD', everyMs: 1, batch: 10 } })
    // JSONL: a sealed file about the size of its journal cannot fit on the disk the journal filled, so the
    // segment must wait in the journal; the restart on a disk with space then has to recover it. That holds
    // while the write that fails is smaller than half the disk: on 512 KiB, a CI run whose recorder fell
    // behind failed one write of 1,700 trades with 252 KiB free, and then sealed the 1,530 journaled ones.
    // 4 MiB needs a write of about 13,000 trades (over a second of this stream) to go wrong the same way.
    const record = ['record', 'fakex', 'BTCUSD', '--channels', 'trades', '--format', 'jsonl', '--ws-url', url]
    // --duration only bounds a broken run: the disk is full long before.
    const first = await runOnTmpfs({ dir: disk, size: '4m', saveTo: saved, cwd, argv: dccdArgv([...record, '--out', disk, '--duration', '60s']) })
    expect(first.stderr).toMatch(new RegExp(`^dccd: error: disk full: cannot write ${escape(disk)}/\\S+ \\(filesystem tmpfs at ${escape(disk)}, [\\d.]+ [KMG]?i?B free\\); stopping$`, 'm'))
    expect(first.stderr.match(/dccd: error:/g)).toHaveLength(1)
    expect(first.stderr).not.toMatch(/^\s+at /m) // no stack trace
    expect(first.stderr).toMatch(/^dccd: \d+ file\(s\), \d+ rows sealed under .*; 1 segment\(s\) left in the journal for the next start$/m)
    expect(first.code).toBe(1)

    // What the failed run acknowledged: every whole line of its journal, plus what it managed to seal.
    const acknowledged = new Set([...journaledIds(saved), ...(await recordedRows(saved, 'trades')).map((row) => String(row.id))])
    expect(acknowledged.size).toBeGreaterThan(500)

    // The same folder, on a disk with space.
    const second = await runDccd([...record, '--out', saved, '--duration', '1s'], cwd)
    expect(second.code).toBe(0)
    expect(second.stderr).toContain('sealed 1 file(s) left in the journal by an interrupted run')
    const ids = (await recordedRows(saved, 'trades')).map((row) => String(row.id))
    expect(repeated(ids)).toEqual(new Map())
    expect([...acknowledged].filter((id) => !ids.includes(id))).toEqual([])
    expect(ids.map(Number)).toEqual(ids.map((_, i) => i + 1))
  })
})
