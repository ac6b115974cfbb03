// Crash safety of the real process: kill -9 and restart, Ctrl-C once and twice.
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { listDataFiles, readDataFile } from '@dccd/recorder'
import { fakexProject, writeScript } from './helpers/fakex.js'
import { runDccd, startDccd } from './helpers/spawn.js'
import { until } from './helpers/until.js'

/** Trade ids currently in the journal files (complete lines only). */
function journaledIds(data: string): string[] {
  const dir = join(data, '.journal')
  if (!existsSync(dir)) return []
  const ids: string[] = []
  for (const name of readdirSync(dir, { recursive: true }).map(String).filter((n) => n.includes('trades') && n.endsWith('.jsonl'))) {
    const lines = readFileSync(join(dir, name), 'utf8').split('\n').slice(1, -1) // header; last may be torn
    for (const line of lines) ids.push((JSON.parse(line) as { id: string }).id)
  }
  return ids
}

async function recordedRows(data: string, type: string): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = []
  for (const file of listDataFiles(data).filter((f) => f.includes(`/${type}/`))) rows.push(...(await readDataFile(file)).rows)
  return rows
}

const RECORD = ['record', 'fakex', 'BTCUSD', '--channels', 'trades', '--out', 'data']

describe('crash safety (end to end)', { timeout: 60_000 }, () => {
  it('after kill -9 a restart seals the journal, resumes without duplicates, and reports the hole it cannot fill', async () => {
    const cwd = fakexProject()
    const data = join(cwd, 'data')
    // Like Kraken's trade channel, every (re)subscribe replays trades from id 1.
    const replaying = writeScript(cwd, { liveTrades: { symbol: 'BTCUSD', everyMs: 5 } }, 'replay.json')
    const first = startDccd([...RECORD, '--ws-url', replaying], cwd)
    await until(() => journaledIds(data).length >= 40, 'trades in the journal')
    first.child.kill('SIGKILL')
    expect((await first.finished).signal).toBe('SIGKILL')
    const acknowledged = journaledIds(data)
    expect(existsSync(join(data, '.dccd.lock'))).toBe(true) // stale: its process is gone

    const second = await runDccd([...RECORD, '--ws-url', replaying, '--duration', '1s'], cwd)
    expect(second.code).toBe(0)
    expect(second.stderr).toContain('sealed 1 file(s) left in the journal by an interrupted run')
    expect(second.stderr).toMatch(/resuming after trade \d+/)
    expect(second.stderr).toMatch(/duplicate trade\(s\) skipped/)
    const ids = (await recordedRows(data, 'trades')).map((r) => Number(r.id))
    expect(new Set(ids).size).toBe(ids.length) // no duplicates
    for (const id of acknowledged) expect(ids).toContain(Number(id)) // nothing acknowledged lost
    expect(ids).toEqual(ids.map((_, i) => i + 1)) // the replay filled the rest, in order
    expect(listDataFiles(data).filter((f) => f.includes('/trades/'))).toHaveLength(2)

    // A feed that resumes later than the last recorded trade leaves a hole: reported, not hidden.
    const last = ids.at(-1)!
    const later = writeScript(cwd, { liveTrades: { symbol: 'BTCUSD', everyMs: 5, startId: last + 100 } }, 'later.json')
    const third = await runDccd([...RECORD, '--ws-url', later, '--duration', '500ms'], cwd)
    expect(third.code).toBe(0)
    expect(third.stderr).toContain(`trade ids ${last + 1}..${last + 99} missing`)
    const gaps = (await recordedRows(data, 'status')).filter((r) => r.status === 'gap')
    expect(gaps).toEqual([expect.objectContaining({ fromId: String(last + 1), toId: String(last + 99), channel: 'trades' })])
  })

  it('SIGINT seals everything within a few seconds and exits 0', async () => {
    const cwd = fakexProject()
    const data = join(cwd, 'data')
    const url = writeScript(cwd, { liveTrades: { symbol: 'BTCUSD', everyMs: 5 } })
    const run = startDccd([...RECORD, '--ws-url', url], cwd)
    await until(() => journaledIds(data).length >= 20, 'trades in the journal')
    const stoppedAt = Date.now()
    run.child.kill('SIGINT')
    const result = await run.finished
    expect(Date.now() - stoppedAt).toBeLessThan(5000)
    expect(result.code).toBe(0)
    expect(result.stderr).toContain('stopping; sealing files')
    expect(journaledIds(data)).toEqual([])
    expect(existsSync(join(data, '.dccd.lock'))).toBe(false)
    const ids = (await recordedRows(data, 'trades')).map((r) => Number(r.id))
    expect(ids.length).toBeGreaterThanOrEqual(20)
    expect(ids).toEqual(ids.map((_, i) => i + 1))
  })

  it('the same Ctrl-C delivered twice (as under pnpm) still seals everything', async () => {
    const cwd = fakexProject()
    const data = join(cwd, 'data')
    const url = writeScript(cwd, { liveTrades: { symbol: 'BTCUSD', everyMs: 5 } })
    const run = startDccd([...RECORD, '--ws-url', url], cwd)
    await until(() => journaledIds(data).length >= 20, 'trades in the journal')
    run.child.kill('SIGINT')
    run.child.kill('SIGINT')
    const result = await run.finished
    expect(result.code).toBe(0)
    expect(journaledIds(data)).toEqual([])
    const ids = (await recordedRows(data, 'trades')).map((r) => Number(r.id))
    expect(ids).toEqual(ids.map((_, i) => i + 1))
  })

  it('refuses an --out that a live recorder holds', async () => {
    const cwd = fakexProject()
    const data = join(cwd, 'data')
    const url = writeScript(cwd, { liveTrades: { symbol: 'BTCUSD', everyMs: 20 } })
    const run = startDccd([...RECORD, '--ws-url', url], cwd)
    await run.waitForOutput('recording fakex')
    const second = await runDccd([...RECORD, '--ws-url', url], cwd)
    expect(second.code).toBe(2)
    expect(second.stderr).toContain(`is in use by another dccd (pid ${run.child.pid})`)
    run.child.kill('SIGTERM')
    expect((await run.finished).code).toBe(0)
    expect(existsSync(data)).toBe(true)
  })
})
