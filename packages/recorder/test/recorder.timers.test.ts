// The recorder runs its own timers after start(): flush, fsync + checkpoints, rotation, book snapshots.
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { MemoryCheckpointStore } from '@dccd/core'
import type { CheckpointStore, TradeEvent } from '@dccd/core'
import { listDataFiles } from '../src/data-files.js'
import { JOURNAL_DIR, listJournalSegments } from '../src/journal.js'
import type { RecorderOptions } from '../src/options.js'
import { Recorder } from '../src/recorder.js'
import { recordingLogger } from './helpers/logger.js'

const DAY = Date.UTC(2026, 10, 25) * 1000 // µs
const KEY = 'fakex/trades/BTCUSD'

function trade(id: number, at: number): TradeEvent {
  return { type: 'trade', exchange: 'fakex', symbol: 'BTCUSD', id: String(id), price: 100, amount: 1, side: 'buy', timestamp: at - 5, localTimestamp: at }
}

function setup(options: Partial<RecorderOptions> = {}) {
  const out = mkdtempSync(join(tmpdir(), 'dccd-timers-'))
  const clock = { now: DAY + 3_600_000_000 }
  const checkpoints = new MemoryCheckpointStore()
  const recorder = new Recorder({ out, format: 'jsonl', checkpoints, now: () => clock.now, ...options })
  /** Trade ids in the journal files now (complete lines only). */
  const journaled = (): string[] =>
    listJournalSegments(join(out, JOURNAL_DIR)).flatMap((path) =>
      readFileSync(path, 'utf8').split('\n').slice(1, -1).map((line) => (JSON.parse(line) as { id: string }).id),
    )
  return { out, clock, checkpoints, recorder, journaled }
}

// Only the intervals are fake: sealing yields with setImmediate and must keep running.
beforeEach(() => void vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] }))
afterEach(() => void vi.useRealTimers())

describe('Recorder timers', () => {
  it('flushes the journal every 200 ms and saves checkpoints every second, after start()', async () => {
    const { clock, checkpoints, recorder, journaled } = setup()
    recorder.start()
    recorder.write(trade(1, clock.now))
    expect(journaled()).toEqual([])
    await vi.advanceTimersByTimeAsync(200)
    expect(journaled()).toEqual(['1'])
    expect(await checkpoints.load(KEY)).toBeUndefined()
    await vi.advanceTimersByTimeAsync(800)
    expect(await checkpoints.load(KEY)).toMatchObject({ lastId: '1' })
    await recorder.close()
  })

  it('takes its intervals from the options', async () => {
    const { clock, recorder, journaled } = setup({ flushIntervalMs: 50 })
    recorder.start()
    recorder.write(trade(1, clock.now))
    await vi.advanceTimersByTimeAsync(50)
    expect(journaled()).toEqual(['1'])
    await recorder.close()
  })

  it('rotates and seals an old segment on its own', async () => {
    const { out, clock, recorder } = setup({ rotateMs: 60_000 })
    recorder.start()
    recorder.write(trade(1, clock.now))
    clock.now += 61_000_000
    await vi.advanceTimersByTimeAsync(100)
    await recorder.idle()
    expect(listDataFiles(out)).toHaveLength(1)
    await recorder.close()
  })

  it('writes book snapshots on schedule', async () => {
    const { out, clock, recorder } = setup({ bookSnapshots: { intervalMs: 1000, depth: 1 } })
    recorder.start()
    await vi.advanceTimersByTimeAsync(100) // arms the schedule
    recorder.write({ type: 'book', exchange: 'fakex', symbol: 'BTCUSD', isSnapshot: true, bids: [{ price: 100, amount: 1 }], asks: [{ price: 101, amount: 2 }], timestamp: clock.now, localTimestamp: clock.now })
    clock.now += 1_000_000
    await vi.advanceTimersByTimeAsync(100)
    await recorder.close()
    expect(listDataFiles(out).filter((file) => file.includes('/book-snapshots/'))).toHaveLength(1)
  })

  it('reports the first timer failure to onFailure once, as a DiskWriteError, and stops its timers', async () => {
    const failures: unknown[] = []
    const broken: CheckpointStore = { load: async () => undefined, save: async () => Promise.reject(Object.assign(new Error('EIO: i/o error'), { code: 'EIO' })) }
    const { out, clock, recorder } = setup({ checkpoints: broken, onFailure: (error) => void failures.push(error) })
    recorder.start()
    recorder.write(trade(1, clock.now))
    await vi.advanceTimersByTimeAsync(3000)
    expect(failures).toEqual([expect.objectContaining({ name: 'DiskWriteError', code: 'EIO', path: out })])
    expect(recorder.failure).toBe(failures[0])
    expect(vi.getTimerCount()).toBe(0)
    expect(() => recorder.write(trade(2, clock.now))).toThrow(expect.objectContaining({ code: 'EIO' }))
    expect(await recorder.close()).toBe(1) // the trades segment waits for a checkpoint in the journal
  })

  it('logs a timer failure as an error when no onFailure is given', async () => {
    const logger = recordingLogger()
    const broken: CheckpointStore = { load: async () => undefined, save: async () => Promise.reject(Object.assign(new Error('EIO: i/o error'), { code: 'EIO' })) }
    const { clock, recorder } = setup({ checkpoints: broken, logger })
    recorder.start()
    recorder.write(trade(1, clock.now))
    await vi.advanceTimersByTimeAsync(1000)
    expect(logger.warnings).toEqual([expect.stringMatching(/^recording stopped: cannot write .*: EIO$/)])
    await recorder.close()
  })

  it('stops its timers in close(), and counts what an abandoned close leaves in the journal', async () => {
    const { clock, recorder } = setup()
    recorder.start()
    expect(vi.getTimerCount()).toBe(3)
    recorder.write(trade(1, clock.now))
    expect(await recorder.close(() => true)).toBe(1)
    expect(vi.getTimerCount()).toBe(0)
    expect(recorder.segmentsInJournal()).toBe(1)
  })
})
