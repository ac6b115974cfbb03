// Bar checkpoints follow the trade rule: saved only after the journal holding the closed bar is on disk, and a bars
// segment leaves the journal only once a checkpoint at or after its last closed bar is saved.
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { barGapEvent, MemoryCheckpointStore } from '@dccd/core'
import type { CheckpointStore } from '@dccd/core'
import { JOURNAL_DIR, listJournalSegments } from '../src/journal.js'
import { Recorder } from '../src/recorder.js'
import { bar, H, MINUTE, openTime } from './helpers/events.js'
import { recordedRows } from './helpers/rows.js'

const KEY = 'fakex/bars-1m/BTCUSD'
const BARS = [{ exchange: 'fakex', symbol: 'BTCUSD', trades: false, barIntervals: ['1m'] }]

function setup(checkpoints: CheckpointStore = new MemoryCheckpointStore()) {
  const out = mkdtempSync(join(tmpdir(), 'dccd-bars-'))
  const clock = { now: H + 10 * MINUTE }
  const make = (options: { rotateMs?: number } = {}) => new Recorder({ out, format: 'jsonl', checkpoints, now: () => clock.now, ...options })
  const journal = () => listJournalSegments(join(out, JOURNAL_DIR))
  return { out, clock, checkpoints, make, journal }
}

/** Open time and closed flag of every bar row recorded, in file order. */
const barRows = async (out: string) => (await recordedRows(out, 'bars-1m')).map((row) => [row.openTime, row.closed])

describe('bar checkpoints', () => {
  it('saves a closed bar checkpoint only on sync, when the journal already holds the bar', async () => {
    const inner = new MemoryCheckpointStore()
    const journaledAtSave: string[] = []
    const { make, journal } = setup({
      load: (key) => inner.load(key),
      save: async (key, value) => {
        journaledAtSave.push(journal().map((path) => readFileSync(path, 'utf8')).join(''))
        await inner.save(key, value)
      },
    })
    const recorder = make()
    recorder.write(bar(0, true))
    recorder.write(bar(1, false)) // an open bar moves nothing
    expect(await inner.load(KEY)).toBeUndefined()
    await recorder.sync()
    expect(await inner.load(KEY)).toEqual({ lastOpenTime: openTime(0), localTimestamp: bar(0, true).localTimestamp })
    expect(journaledAtSave).toHaveLength(1)
    expect(journaledAtSave[0]).toContain(`"openTime":${openTime(0)}`)
    await recorder.close()
  })

  it('a crash between write and sync leaves the checkpoint where it was, and the lost bar is recorded once after the restart', async () => {
    const { out, checkpoints, make } = setup()
    const first = make()
    first.write(bar(0, true))
    await first.sync()
    first.write(bar(1, true)) // accepted, never written: the process dies here
    expect(await checkpoints.load(KEY)).toMatchObject({ lastOpenTime: openTime(0) })

    const second = make()
    await second.recover()
    expect(await second.resumePoints(BARS)).toEqual({ fakex: { BTCUSD: { bars: { '1m': { lastOpenTime: openTime(0) } } } } })
    second.write(bar(0, true)) // the exchange replays the bar the checkpoint holds
    second.write(bar(1, true))
    await second.close()
    expect(await barRows(out)).toEqual([
      [openTime(0), true],
      [openTime(1), true],
    ])
    expect(second.stats.duplicates).toBe(1)
  })

  it('a rotated bars segment stays in the journal until the checkpoint covering its last closed bar is saved', async () => {
    const inner = new MemoryCheckpointStore()
    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    let saving!: () => void
    const started = new Promise<void>((resolve) => (saving = resolve))
    const { clock, make, journal } = setup({
      load: (key) => inner.load(key),
      save: async (key, value) => {
        saving()
        await gate
        await inner.save(key, value)
      },
    })
    const recorder = make({ rotateMs: 1000 })
    recorder.write(bar(0, true))
    recorder.write(bar(1, true))
    recorder.write(bar(2, false))
    clock.now += 2_000_000
    recorder.tick() // rotates; the seal waits for the checkpoint
    await started
    expect(journal()).toHaveLength(1)
    release()
    await recorder.idle()
    expect(journal()).toEqual([])
    expect(await inner.load(KEY)).toMatchObject({ lastOpenTime: openTime(1) })
    await recorder.close()
  })

  it('after a failed checkpoint save, close() seals a bars segment only once a checkpoint from its own lines is saved', async () => {
    const inner = new MemoryCheckpointStore()
    const journalAtSave: number[] = []
    let saves = 0
    const { make, journal } = setup({
      load: (key) => inner.load(key),
      save: async (key, value) => {
        if (saves++ === 0) throw Object.assign(new Error('EIO: i/o error'), { code: 'EIO' })
        journalAtSave.push(journal().length)
        await inner.save(key, value)
      },
    })
    const recorder = make()
    recorder.write(bar(0, true))
    recorder.write(bar(1, true))
    recorder.write(bar(2, false))
    await expect(recorder.sync()).rejects.toMatchObject({ code: 'EIO' }) // the recorder is failed: no save from memory now
    expect(await recorder.close()).toBe(0)
    expect(journalAtSave).toEqual([1]) // saved while the segment was still in the journal
    expect(journal()).toEqual([])
    expect(await inner.load(KEY)).toMatchObject({ lastOpenTime: openTime(1) })
  })

  it('recovery saves a checkpoint covering a crashed run’s bars before it removes their journal', async () => {
    const { checkpoints, make, journal } = setup()
    const first = make()
    first.write(bar(0, true))
    first.write(bar(1, true))
    first.write(bar(2, false))
    first.flush() // journaled; the process dies before its first checkpoint
    const second = make()
    await second.recover()
    expect(journal()).toEqual([])
    expect(await checkpoints.load(KEY)).toMatchObject({ lastOpenTime: openTime(1) })
  })

  it('a bar gap marker advances the checkpoint past the bars it names, live and from a crashed journal', async () => {
    const { out, checkpoints, make } = setup()
    const first = make()
    first.write(bar(0, true))
    await first.sync()
    first.write(barGapEvent('fakex', 'BTCUSD', '1m', openTime(1), openTime(3), 'GET klines failed: HTTP 500', openTime(4) + 1000))
    first.flush() // the marker is journaled; the process dies before the next checkpoint
    expect(await checkpoints.load(KEY)).toMatchObject({ lastOpenTime: openTime(0) })

    const second = make()
    await second.recover()
    expect(await second.resumePoints(BARS)).toEqual({ fakex: { BTCUSD: { bars: { '1m': { lastOpenTime: openTime(3) } } } } })
    second.write(bar(2, true)) // named by the marker
    second.write(bar(4, true))
    second.write(barGapEvent('fakex', 'BTCUSD', '1m', openTime(5), openTime(6), 'not recoverable', openTime(7) + 1000))
    await second.sync()
    expect(await checkpoints.load(KEY)).toMatchObject({ lastOpenTime: openTime(6) })
    await second.close()
    expect(second.stats.duplicates).toBe(1)
    expect(await barRows(out)).toEqual([
      [openTime(0), true],
      [openTime(4), true],
    ])
  })

  it('skips closed bars, and updates of bars, at or before the checkpoint after a restart', async () => {
    const { out, make } = setup()
    const first = make()
    for (const i of [0, 1, 2]) first.write(bar(i, true))
    first.write(bar(3, false))
    await first.close()

    const second = make()
    await second.loadCheckpoints(BARS)
    expect(second.lastBar('fakex', 'BTCUSD', '1m')).toMatchObject({ lastOpenTime: openTime(2) })
    second.write(bar(1, true))
    second.write(bar(2, false)) // an update of a bar that closed already
    second.write(bar(2, true))
    second.write(bar(3, false)) // the open bar's updates are recorded as they come
    second.write(bar(3, true))
    await second.close()
    expect(second.stats.duplicates).toBe(3)
    expect(await barRows(out)).toEqual([
      [openTime(0), true],
      [openTime(1), true],
      [openTime(2), true],
      [openTime(3), false],
      [openTime(3), false],
      [openTime(3), true],
    ])
  })

  it('keeps intervals and symbols apart', async () => {
    const { make } = setup()
    const recorder = make()
    recorder.write(bar(5, true))
    recorder.write({ ...bar(0, true), interval: '5m' })
    recorder.write({ ...bar(0, true), symbol: 'ETHUSD' })
    expect(recorder.stats.duplicates).toBe(0)
    expect(recorder.lastBar('fakex', 'BTCUSD', '5m')).toMatchObject({ lastOpenTime: openTime(0) })
    await recorder.close()
  })
})
