// kill -9 again and again, at every moment of a run, must never duplicate a trade (issue #11, item 4).
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { listDataFiles } from '@dccd/recorder'
import { fakexProject, writeScript } from './helpers/fakex.js'
import { journaledIds, recordedRows, repeated } from './helpers/journal.js'
import { runDccd, startDccd } from './helpers/spawn.js'
import { until } from './helpers/until.js'

describe('crash loop (end to end)', { timeout: 120_000 }, () => {
  it('every trade id is recorded exactly once across eight kill -9 restarts and a clean stop', async () => {
    const cwd = fakexProject()
    const data = join(cwd, 'data')
    // Every (re)start replays the stream from id 1, as Kraken does on subscribe: only de-duplication keeps it once.
    const url = writeScript(cwd, { liveTrades: { symbol: 'BTCUSD', everyMs: 1, batch: 10 } })
    const record = ['record', 'fakex', 'BTCUSD', '--channels', 'trades', '--out', 'data', '--rotate', '300ms', '--format', 'jsonl', '--ws-url', url]
    for (let run = 0; run < 8; run++) {
      const child = startDccd(record, cwd)
      await child.waitForOutput('recording fakex')
      // Even runs die at once: right after sealing what the last run left, before their first checkpoint.
      // Odd runs die mid-stream after a rotation sealed a file, with trades journaled that no checkpoint covers yet.
      if (run % 2 === 1) {
        const sealed = listDataFiles(data).length
        await until(() => listDataFiles(data).length > sealed && journaledIds(data).length >= 200, 'a rotation and trades in the journal')
      }
      child.child.kill('SIGKILL')
      expect((await child.finished).signal).toBe('SIGKILL')
    }
    const last = await runDccd([...record, '--duration', '1s'], cwd)
    expect(last.code).toBe(0)
    const ids = (await recordedRows(data, 'trades')).map((row) => String(row.id))
    expect(ids.length).toBeGreaterThan(1000)
    expect(repeated(ids)).toEqual(new Map())
    expect(ids.map(Number)).toEqual(ids.map((_, i) => i + 1)) // and no hole either
  })
})
