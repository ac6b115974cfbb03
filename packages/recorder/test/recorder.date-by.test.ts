// dateBy: files dated by receive time (default) or by exchange time; rotation by age and at midnight follows the wall clock.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { MemoryCheckpointStore } from '@dccd/core'
import type { TradeEvent } from '@dccd/core'
import { listDataFiles } from '../src/data-files.js'
import type { RecorderOptions } from '../src/options.js'
import { Recorder } from '../src/recorder.js'
import { recordedRows } from './helpers/rows.js'

const WALL = Date.UTC(2026, 10, 25, 12) * 1000 // 2026-11-25T12:00:00Z, µs
const HISTORY = Date.UTC(2026, 10, 1, 10) * 1000 // 2026-11-01T10:00:00Z, µs

function setup(options: Partial<RecorderOptions> = {}) {
  const out = mkdtempSync(join(tmpdir(), 'dccd-date-by-'))
  const clock = { now: WALL }
  const recorder = new Recorder({ out, format: 'jsonl', checkpoints: new MemoryCheckpointStore(), now: () => clock.now, ...options })
  /** Sealed files as `<type>/<date>/<HHMMSS>`: where each landed and the time its name starts with. */
  const files = () => listDataFiles(out).map((file) => relative(out, file).split('/')).map(([, type, , date, name]) => `${type}/${date}/${name!.slice(0, 6)}`)
  return { out, clock, recorder, files }
}

/** A trade that happened at `timestamp` (exchange time) and was received at `localTimestamp`. */
function trade(id: number, timestamp: number, localTimestamp: number): TradeEvent {
  return { type: 'trade', exchange: 'fakex', symbol: 'BTCUSD', id: String(id), price: 100, amount: 1, side: 'buy', timestamp, localTimestamp }
}

describe('dateBy', () => {
  it('dates files and names segments by receive time by default', async () => {
    const { clock, recorder, files } = setup()
    recorder.write(trade(1, HISTORY, clock.now))
    await recorder.close()
    expect(files()).toEqual(['trades/2026-11-25/120000'])
  })

  it("'timestamp' dates files and names segments by exchange time, and status events by receive time", async () => {
    const { clock, recorder, files } = setup({ dateBy: 'timestamp' })
    recorder.write(trade(1, HISTORY, clock.now))
    recorder.write({ type: 'status', exchange: 'fakex', status: 'connected', localTimestamp: clock.now })
    await recorder.close()
    expect(files()).toEqual(['status/2026-11-25/120000', 'trades/2026-11-01/100000'])
  })

  it("'timestamp' starts a new file when the exchange date changes", async () => {
    const { out, clock, recorder, files } = setup({ dateBy: 'timestamp' })
    const midnight = Date.UTC(2026, 10, 2) * 1000
    recorder.write(trade(1, midnight - 60_000_000, clock.now))
    recorder.write(trade(2, midnight + 60_000_000, clock.now))
    await recorder.close()
    expect(files()).toEqual(['trades/2026-11-01/235900', 'trades/2026-11-02/000100'])
    expect((await recordedRows(out, 'trades')).map((row) => row.id)).toEqual(['1', '2'])
  })

  it("'timestamp' still rotates by age on the wall clock, however far apart the exchange times are", async () => {
    const { clock, recorder, files } = setup({ dateBy: 'timestamp', rotateMs: 60_000 })
    recorder.write(trade(1, HISTORY, clock.now))
    recorder.write(trade(2, HISTORY + 3_600_000_000, clock.now)) // an hour of history in one wall-clock second
    clock.now += 1_000_000
    recorder.tick()
    await recorder.idle()
    expect(files()).toEqual([])
    clock.now += 60_000_000
    recorder.tick()
    await recorder.idle()
    expect(files()).toEqual(['trades/2026-11-01/100000'])
    await recorder.close()
  })

  it("'timestamp' rotates a segment of an older date once, at the next wall-clock midnight, not at every check", async () => {
    const { clock, recorder, files } = setup({ dateBy: 'timestamp' })
    recorder.write(trade(1, HISTORY, clock.now))
    for (let i = 0; i < 3; i++) {
      clock.now += 1_000_000
      recorder.tick()
    }
    await recorder.idle()
    expect(files()).toEqual([])
    clock.now = Date.UTC(2026, 10, 26, 0, 0, 1) * 1000
    recorder.tick()
    await recorder.idle()
    expect(files()).toEqual(['trades/2026-11-01/100000'])
    await recorder.close()
  })

  it('by receive time, rotates every segment at wall-clock midnight', async () => {
    const { clock, recorder, files } = setup()
    clock.now = Date.UTC(2026, 10, 25, 23, 59, 59) * 1000
    recorder.write(trade(1, clock.now - 5, clock.now))
    clock.now += 2_000_000
    recorder.tick()
    await recorder.idle()
    expect(files()).toEqual(['trades/2026-11-25/235959'])
    await recorder.close()
  })
})
