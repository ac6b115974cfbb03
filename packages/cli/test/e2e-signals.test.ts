// Issue #11 items 10 and 17: every way a terminal or a supervisor stops a
// recorder ends in a sealed, unlocked folder with the documented exit code.
// Real processes, real signals.
import { join } from 'node:path'
import { asyncBufferFromFile, parquetMetadataAsync } from 'hyparquet'
import { describe, expect, it } from 'vitest'
import { listDataFiles } from '@dccd/recorder'
import { fakexProject, writeScript } from './helpers/fakex.js'
import { journalSegments, journaledRecords, locked, sealedRows } from './helpers/recording.js'
import { runDccd, startDccd } from './helpers/spawn.js'
import { until } from './helpers/until.js'

/** Rows of every sealed Parquet file (from the footers: no need to read a million rows). */
async function sealedRowCount(data: string): Promise<number> {
  let rows = 0
  for (const file of listDataFiles(data)) rows += Number((await parquetMetadataAsync(await asyncBufferFromFile(file))).num_rows)
  return rows
}

/** Table rows the book records in the journal become (one per price level). */
function journaledBookRows(data: string): number {
  return journaledRecords(data, 'book').reduce((sum, r) => sum + (r.bids as unknown[]).length + (r.asks as unknown[]).length, 0)
}

describe('stop signals (end to end)', { timeout: 60_000 }, () => {
  for (const signal of ['SIGHUP', 'SIGQUIT'] as const) {
    it(`${signal} stops like SIGTERM: seals everything, releases the lock, exits 0`, async () => {
      const cwd = fakexProject()
      const data = join(cwd, 'data')
      const url = writeScript(cwd, { liveTrades: { symbol: 'BTCUSD', everyMs: 5 } })
      const run = startDccd(['record', 'fakex', 'BTCUSD', '--channels', 'trades', '--out', 'data', '--ws-url', url], cwd)
      await until(() => journaledRecords(data, 'trades').length >= 20, 'trades in the journal')
      run.child.kill(signal)
      const result = await run.finished
      expect(result).toMatchObject({ code: 0, signal: null })
      expect(result.stderr).toContain(`${signal}: stopping; sealing files`)
      expect(journalSegments(data)).toEqual([])
      expect(locked(data)).toBe(false)
      const ids = (await sealedRows(data, 'trades')).map((r) => Number(r.id))
      expect(ids.length).toBeGreaterThanOrEqual(20)
      expect(ids).toEqual(ids.map((_, i) => i + 1))
    })
  }

  it('a second Ctrl-C while sealing exits 130 at once, leaving the rest in the journal for the next start', { timeout: 120_000 }, async () => {
    const cwd = fakexProject()
    const data = join(cwd, 'data')
    const symbols = ['AAA', 'BBB', 'CCC', 'DDD', 'EEE', 'FFF', 'GGG', 'HHH']
    const url = writeScript(cwd, { liveBooks: { symbols, levels: 50 } })
    const run = startDccd(['record', 'fakex', ...symbols, '--channels', 'book', '--out', 'data', '--ws-url', url], cwd)
    // The eight books grow in step, so their segments reach 100,000 rows together and rotate at once:
    // a backlog of rotated segments waiting to be sealed (about a second each), besides the eight open ones.
    await until(() => journalSegments(data).length >= 12, 'a backlog of journal segments', 60_000)
    run.child.kill('SIGINT')
    await run.waitForOutput('stopping; sealing files')
    // The child counts a second signal within 300 ms of the first as the same Ctrl-C delivered twice (pnpm):
    // wait that window out in real time; there is no event for it in another process.
    await new Promise((resolve) => setTimeout(resolve, 400))
    const sealedBefore = listDataFiles(data).length
    run.child.kill('SIGINT')
    const result = await run.finished
    expect(result.code).toBe(130)
    expect(result.stderr).toContain('exiting now')
    // At once: the file being sealed when the signal came may finish (and one that finished as we counted), no more.
    expect(listDataFiles(data).length).toBeLessThanOrEqual(sealedBefore + 2)
    expect(result.stderr).toMatch(/\d+ segment\(s\) left in the journal for the next start/)
    expect(journalSegments(data).length).toBeGreaterThan(0)
    expect(locked(data)).toBe(false)

    // The next start seals what was left, and nothing is lost.
    const rows = (await sealedRowCount(data)) + journaledBookRows(data)
    const empty = writeScript(cwd, { events: [] }, 'empty.json')
    const restart = await runDccd(['record', 'fakex', ...symbols, '--channels', 'book', '--out', 'data', '--ws-url', empty], cwd)
    expect(restart.code).toBe(0)
    expect(restart.stderr).toMatch(/sealed \d+ file\(s\) left in the journal by an interrupted run/)
    expect(journalSegments(data)).toEqual([])
    expect(await sealedRowCount(data)).toBe(rows)
  })

  it('a second Ctrl-C while the feeds are still stopping exits 130 without waiting for them', async () => {
    const cwd = fakexProject()
    const data = join(cwd, 'data')
    const url = writeScript(cwd, { liveTrades: { symbol: 'BTCUSD', everyMs: 5 }, stopHangs: true })
    const record = ['record', 'fakex', 'BTCUSD', '--channels', 'trades', '--out', 'data']
    const run = startDccd([...record, '--ws-url', url], cwd)
    await until(() => journaledRecords(data, 'trades').length >= 20, 'trades in the journal')
    run.child.kill('SIGINT')
    await run.waitForOutput('stopping; sealing files')
    await new Promise((resolve) => setTimeout(resolve, 400)) // past the repeat window, as above
    run.child.kill('SIGINT')
    const result = await run.finished
    expect(result.code).toBe(130)
    expect(result.stderr).toContain('1 segment(s) left in the journal for the next start')
    expect(locked(data)).toBe(false)
    const journaled = journaledRecords(data, 'trades').map((r) => Number(r.id))

    const restart = await runDccd([...record, '--ws-url', writeScript(cwd, { events: [] }, 'empty.json')], cwd)
    expect(restart.code).toBe(0)
    expect(journalSegments(data)).toEqual([])
    const ids = (await sealedRows(data, 'trades')).map((r) => Number(r.id))
    expect(ids).toEqual(journaled)
    expect(ids).toEqual(ids.map((_, i) => i + 1))
  })
})
