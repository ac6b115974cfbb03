// Issue #11 items 10 and 17: every way a terminal or a supervisor stops a
// recorder ends in a sealed, unlocked folder with the documented exit code.
// Real processes, real signals.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { fakexProject, writeScript } from './helpers/fakex.js'
import { journalSegments, journaledRecords, locked, sealedRows } from './helpers/recording.js'
import { startDccd } from './helpers/spawn.js'
import { until } from './helpers/until.js'

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
})
