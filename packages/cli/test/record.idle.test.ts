// Issue #11 item 18: a feed that stays connected but sends no market data is
// reported while it happens, in the log and on the status line.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runRecord } from '../src/commands/record.js'
import { buildRecordPlan } from '../src/config.js'
import { T0, fakexProject, writeScript } from './helpers/fakex.js'

describe('dccd record with a feed that goes quiet', { timeout: 30_000 }, () => {
  it('warns while the feed stays quiet and shows it on the status line, without touching the connection', async () => {
    const cwd = fakexProject()
    const url = writeScript(cwd, {
      events: [
        { type: 'status', exchange: 'fakex', status: 'connected' },
        { type: 'trade', exchange: 'fakex', symbol: 'BTCUSD', id: '1', price: 100, amount: 1, side: 'buy', timestamp: T0 },
      ],
      holdOpen: true,
    })
    let err = ''
    const io = { out: () => {}, err: (text: string) => void (err += text), errIsTTY: true, outIsTTY: false, columns: 200 }
    const plan = buildRecordPlan('fakex', ['BTCUSD'], { channels: 'trades', out: join(cwd, 'data'), wsUrl: url, duration: '2500ms' })
    const code = await runRecord(plan, { io, discovery: { cwd }, handleSignals: false, idleWarningMs: 500 })
    expect(code).toBe(0)
    expect(err).toMatch(/dccd warn: fakex: no market data for \ds \(connection open\); still waiting\n/)
    expect(err).toMatch(/\| idle \ds fakex \|/)
    expect(err).toContain('2 rows sealed') // the trade and the connected marker: recording went on
  })
})
