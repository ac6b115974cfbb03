// Issue #11 item 9: `dccd record … 2>&1 | head -1` closes stderr under a
// running recorder. Logging must never take the recording down.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { fakexProject, writeScript } from './helpers/fakex.js'
import { journalSegments, journaledRecords, locked, sealedRows } from './helpers/recording.js'
import { startDccd } from './helpers/spawn.js'
import { until } from './helpers/until.js'

describe('a closed stderr (end to end)', { timeout: 60_000 }, () => {
  it('keeps recording after its stderr reader goes away, then seals everything and releases the lock on SIGINT', async () => {
    const cwd = fakexProject()
    const data = join(cwd, 'data')
    const url = writeScript(cwd, { liveTrades: { symbol: 'BTCUSD', everyMs: 5 } })
    const run = startDccd(['record', 'fakex', 'BTCUSD', '--channels', 'trades', '--out', 'data', '--ws-url', url, '--verbose'], cwd)
    await run.waitForOutput('recording fakex')
    run.child.stderr!.destroy() // like `| head -1` exiting after its line
    await until(() => journaledRecords(data, 'trades').length >= 20, 'trades in the journal')
    run.child.kill('SIGINT') // its "stopping" message now goes to a closed pipe
    const result = await run.finished
    expect(result.code).toBe(0)
    expect(journalSegments(data)).toEqual([])
    expect(locked(data)).toBe(false)
    const ids = (await sealedRows(data, 'trades')).map((r) => Number(r.id))
    expect(ids.length).toBeGreaterThanOrEqual(20)
    expect(ids).toEqual(ids.map((_, i) => i + 1))
  })
})
