// Issue #11 item 12: a --duration of 2^31 ms or more (30d) used to overflow
// setTimeout and end the run after 1 ms. Real processes.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { basicEvents, fakexProject, writeScript } from './helpers/fakex.js'
import { journaledRecords, locked } from './helpers/recording.js'
import { startDccd } from './helpers/spawn.js'
import { until } from './helpers/until.js'

describe('a --duration longer than setTimeout allows (end to end)', { timeout: 60_000 }, () => {
  it('record --duration 30d keeps recording until stopped', async () => {
    const cwd = fakexProject()
    const data = join(cwd, 'data')
    const url = writeScript(cwd, { liveTrades: { symbol: 'BTCUSD', everyMs: 5 } })
    const run = startDccd(['record', 'fakex', 'BTCUSD', '--channels', 'trades', '--out', 'data', '--ws-url', url, '--duration', '30d'], cwd)
    await until(() => journaledRecords(data, 'trades').length >= 20 || run.child.exitCode !== null, 'trades in the journal')
    expect(run.child.exitCode, run.stderr).toBe(null)
    run.child.kill('SIGINT')
    const result = await run.finished
    expect(result.code).toBe(0)
    expect(result.stderr).toContain('stopping; sealing files')
    expect(locked(data)).toBe(false)
  })

  it('watch --duration 30d keeps drawing until stopped', async () => {
    const cwd = fakexProject()
    const url = writeScript(cwd, { events: basicEvents(), liveTrades: { symbol: 'BTCUSD', everyMs: 50 } })
    const run = startDccd(['watch', 'fakex', 'BTCUSD', '--ws-url', url, '--duration', '30d'], cwd)
    const frames = (): number => run.stdout.split('\n').filter((line) => line.startsWith('fakex BTCUSD')).length
    await until(() => frames() >= 2 || run.child.exitCode !== null, 'two frames')
    expect(run.child.exitCode, run.stdout).toBe(null)
    run.child.kill('SIGINT')
    expect((await run.finished).code).toBe(0)
  })
})
