// A trades journal goes only after a checkpoint covering it is saved: at start, on rotation, at close (issue #11, item 4).
import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { FileCheckpointStore, MemoryCheckpointStore } from '@dccd/core'
import type { CheckpointStore, TradeEvent } from '@dccd/core'
import { listJournalSegments } from '../src/journal.js'
import { Recorder } from '../src/recorder.js'
import { JOURNAL_DIR } from '../src/seal.js'
import { recordedRows, repeated } from './helpers/rows.js'

const DAY = Date.UTC(2026, 10, 25) * 1000
const KEY = 'fakex/trades/BTCUSD'

function trade(id: number, at: number): TradeEvent {
  return { type: 'trade', exchange: 'fakex', symbol: 'BTCUSD', id: String(id), price: 100, amount: 1, side: 'buy', timestamp: at - 5, localTimestamp: at }
}

const tmp = (): string => mkdtempSync(join(tmpdir(), 'dccd-checkpoints-'))

/** A store whose saves wait for `release()`; `saving` resolves at the first save. */
function gatedStore() {
  const inner = new MemoryCheckpointStore()
  let release!: () => void
  const gate = new Promise<void>((resolve) => (release = resolve))
  let saving!: () => void
  const started = new Promise<void>((resolve) => (saving = resolve))
  const store: CheckpointStore = {
    load: (key) => inner.load(key),
    save: async (key, value) => {
      saving()
      await gate
      await inner.save(key, value)
    },
  }
  return { store, inner, release, started }
}

describe('checkpoints before journal removal', () => {
  it('recovery saves a checkpoint covering the sealed journal, so a run that dies before its first save records nothing twice', async () => {
    const out = tmp()
    const store = () => new FileCheckpointStore(join(out, '.checkpoints'))
    const at = DAY + 3_600_000_000
    const first = new Recorder({ out, format: 'jsonl', checkpoints: store(), now: () => at })
    for (let id = 1; id <= 50; id++) first.write(trade(id, at + id))
    first.flush() // journaled; the process dies before its first checkpoint

    const second = new Recorder({ out, format: 'jsonl', checkpoints: store(), now: () => at })
    await second.recover() // seals and removes the journal, then dies at once
    expect(listJournalSegments(join(out, JOURNAL_DIR))).toEqual([])
    expect(await store().load(KEY)).toEqual({ lastId: '50', timestamp: at + 45, localTimestamp: at + 50 })

    const third = new Recorder({ out, format: 'jsonl', checkpoints: store(), now: () => at })
    await third.recover()
    await third.loadCheckpoints([{ exchange: 'fakex', symbol: 'BTCUSD' }])
    for (let id = 1; id <= 60; id++) third.write(trade(id, at + 100 + id)) // the exchange replays from 1
    await third.close()
    const ids = (await recordedRows(out, 'trades')).map((row) => String(row.id))
    expect(repeated(ids)).toEqual(new Map())
    expect(ids.map(Number)).toEqual(ids.map((_, i) => i + 1))
  })

  it('recovery never moves a checkpoint back to an older journal segment', async () => {
    const out = tmp()
    const checkpoints = new MemoryCheckpointStore()
    const clock = { now: DAY + 3_600_000_000 }
    const first = new Recorder({ out, format: 'jsonl', checkpoints, now: () => clock.now })
    for (let id = 1; id <= 5; id++) first.write(trade(id, clock.now + id))
    expect(await first.close(() => true)).toBe(1) // a second Ctrl-C: the segment stays in the journal
    await checkpoints.save(KEY, { lastId: '9', timestamp: 1, localTimestamp: 1 }) // a later run got further
    const next = new Recorder({ out, format: 'jsonl', checkpoints, now: () => clock.now })
    await next.recover()
    expect(await checkpoints.load(KEY)).toMatchObject({ lastId: '9' })
  })

  it('a rotated trades segment stays in the journal until the checkpoint covering it is saved', async () => {
    const out = tmp()
    const clock = { now: DAY + 3_600_000_000 }
    const { store, inner, release, started } = gatedStore()
    const recorder = new Recorder({ out, format: 'jsonl', checkpoints: store, rotateMs: 1000, now: () => clock.now })
    recorder.write(trade(1, clock.now))
    recorder.write(trade(2, clock.now + 1))
    clock.now += 2_000_000
    recorder.tick() // rotates; the seal waits for the checkpoint
    await started
    expect(listJournalSegments(join(out, JOURNAL_DIR))).toHaveLength(1)
    release()
    await recorder.idle()
    expect(listJournalSegments(join(out, JOURNAL_DIR))).toEqual([])
    expect(await inner.load(KEY)).toMatchObject({ lastId: '2' })
    await recorder.close()
  })

  it('close() seals what it can and leaves a trades segment whose checkpoint cannot be saved in the journal', async () => {
    const out = tmp()
    const at = DAY + 3_600_000_000
    const broken: CheckpointStore = { load: async () => undefined, save: async () => Promise.reject(Object.assign(new Error('EIO: i/o error'), { code: 'EIO' })) }
    const recorder = new Recorder({ out, format: 'jsonl', checkpoints: broken, now: () => at })
    recorder.write(trade(1, at))
    recorder.write({ type: 'status', exchange: 'fakex', status: 'connected', localTimestamp: at })
    expect(await recorder.close()).toBe(1)
    const left = listJournalSegments(join(out, JOURNAL_DIR))
    expect(left).toHaveLength(1)
    expect(left[0]).toContain('/trades/')
    expect(await recordedRows(out, 'status')).toHaveLength(1)

    const checkpoints = new MemoryCheckpointStore()
    const next = new Recorder({ out, format: 'jsonl', checkpoints, now: () => at })
    await next.recover()
    expect(await checkpoints.load(KEY)).toMatchObject({ lastId: '1' })
    expect(existsSync(left[0]!)).toBe(false)
    expect((await recordedRows(out, 'trades')).map((row) => row.id)).toEqual(['1'])
  })
})
