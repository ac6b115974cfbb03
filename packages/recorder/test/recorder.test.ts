import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { FileCheckpointStore, MemoryCheckpointStore } from '@dccd/core'
import type { BookEvent, MarketEvent, TradeEvent } from '@dccd/core'
import { listJournalSegments } from '../src/journal.js'
import { Recorder } from '../src/recorder.js'
import type { RecorderOptions } from '../src/options.js'
import { JOURNAL_DIR } from '../src/seal.js'
import { listDataFiles, readDataFile } from '../src/data-files.js'

const DAY = Date.UTC(2026, 10, 25) * 1000 // µs

function setup(options: Partial<RecorderOptions> = {}) {
  const out = mkdtempSync(join(tmpdir(), 'dccd-recorder-'))
  const clock = { now: DAY + 3_600_000_000 }
  const checkpoints = new MemoryCheckpointStore()
  const make = () => new Recorder({ out, format: 'jsonl', checkpoints, now: () => clock.now, ...options })
  return { out, clock, checkpoints, make, recorder: make() }
}

function trade(id: number, at: number, symbol = 'BTCUSD'): TradeEvent {
  return { type: 'trade', exchange: 'fakex', symbol, id: String(id), price: 100 + id, amount: 1, side: 'buy', timestamp: at - 5, localTimestamp: at }
}

function book(isSnapshot: boolean, bids: [number, number][], asks: [number, number][], at: number): BookEvent {
  return {
    type: 'book', exchange: 'fakex', symbol: 'BTCUSD', isSnapshot,
    bids: bids.map(([price, amount]) => ({ price, amount })), asks: asks.map(([price, amount]) => ({ price, amount })),
    timestamp: at, localTimestamp: at,
  }
}

async function rowsOf(out: string, type: string): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = []
  for (const file of listDataFiles(out).filter((f) => f.includes(`/${type}/`))) rows.push(...(await readDataFile(file)).rows)
  return rows
}

describe('Recorder', () => {
  it('seals every stream into its own partition at close', async () => {
    const { out, clock, recorder } = setup()
    recorder.write(trade(1, clock.now))
    recorder.write(book(true, [[100, 1]], [[101, 1]], clock.now))
    recorder.write({ type: 'status', exchange: 'fakex', status: 'connected', localTimestamp: clock.now })
    expect(await recorder.close()).toBe(0)
    expect(listDataFiles(out).map((f) => f.slice(out.length + 1).replace(/\/[^/]+$/, ''))).toEqual([
      'fakex/book/BTCUSD/2026-11-25',
      'fakex/status/all/2026-11-25',
      'fakex/trades/BTCUSD/2026-11-25',
    ])
    expect(listJournalSegments(join(out, JOURNAL_DIR))).toEqual([])
    expect(recorder.stats.filesSealed).toBe(3)
  })

  it('rotates a segment when it gets old and when the UTC date changes', async () => {
    const { out, clock, recorder } = setup({ rotateMs: 60_000 })
    recorder.write(trade(1, clock.now))
    clock.now += 61_000_000
    recorder.tick()
    await recorder.idle()
    expect(listDataFiles(out)).toHaveLength(1)
    recorder.write(trade(2, clock.now))
    recorder.write(trade(3, DAY + 86_400_000_000)) // next day: new partition
    await recorder.idle()
    await recorder.close()
    const files = listDataFiles(out)
    expect(files).toHaveLength(3)
    expect(files[2]).toContain('/2026-11-26/')
    expect((await rowsOf(out, 'trades')).map((r) => r.id)).toEqual(['1', '2', '3'])
  })

  it('starts every rotated book file with a snapshot of the current book', async () => {
    const { out, clock, recorder } = setup({ maxSegmentRows: 5 })
    recorder.write(book(true, [[100, 1], [99, 2]], [[101, 1]], clock.now)) // 3 rows
    recorder.write(book(false, [[100, 0]], [[102, 5]], clock.now + 1)) // 5 rows: full
    recorder.write(book(false, [[98, 4]], [], clock.now + 2)) // rotates first
    await recorder.idle()
    await recorder.close()
    const files = listDataFiles(out)
    expect(files).toHaveLength(2)
    const second = (await readDataFile(files[1]!)).rows
    expect(second.filter((r) => r.isSnapshot).map((r) => [r.side, r.price, r.amount])).toEqual([
      ['bid', 99, 2],
      ['ask', 101, 1],
      ['ask', 102, 5],
    ])
    expect(second.at(-1)).toMatchObject({ isSnapshot: false, side: 'bid', price: 98, amount: 4, eventIndex: 1 })
  })

  it('saves trade checkpoints only on sync, after the journal is on disk', async () => {
    const { clock, checkpoints, recorder } = setup()
    recorder.write(trade(7, clock.now))
    expect(await checkpoints.load('fakex/trades/BTCUSD')).toBeUndefined()
    await recorder.sync()
    expect(await checkpoints.load('fakex/trades/BTCUSD')).toEqual({ lastId: '7', timestamp: clock.now - 5, localTimestamp: clock.now })
    await recorder.close()
  })

  it('skips trades already recorded by an earlier run and records the hole as a gap', async () => {
    const { out, clock, make, recorder } = setup()
    for (let id = 1; id <= 3; id++) recorder.write(trade(id, clock.now + id))
    await recorder.close()
    const next = make()
    await next.loadCheckpoints([{ exchange: 'fakex', symbol: 'BTCUSD' }])
    for (const id of [2, 3, 6, 7]) next.write(trade(id, clock.now + 100 + id))
    await next.close()
    expect((await rowsOf(out, 'trades')).map((r) => r.id)).toEqual(['1', '2', '3', '6', '7'])
    expect(next.stats.duplicates).toBe(2)
    expect(await rowsOf(out, 'status')).toEqual([
      expect.objectContaining({ status: 'gap', symbol: 'BTCUSD', channel: 'trades', fromId: '4', toId: '5', reason: expect.stringContaining('not recording') }),
    ])
  })

  it('a second Ctrl-C leaves unsealed segments in the journal, and the next start seals them without duplicates', async () => {
    const { out, clock, make, recorder } = setup()
    recorder.write(trade(1, clock.now))
    recorder.write(trade(2, clock.now + 1))
    recorder.write({ type: 'status', exchange: 'fakex', status: 'connected', localTimestamp: clock.now })
    let sealsAllowed = 1
    const left = await recorder.close(() => sealsAllowed-- <= 0)
    expect(left).toBe(1)
    expect(listJournalSegments(join(out, JOURNAL_DIR))).toHaveLength(1)
    const next = make()
    expect((await next.recover()).filter((r) => r.file !== undefined)).toHaveLength(1)
    await next.loadCheckpoints([{ exchange: 'fakex', symbol: 'BTCUSD' }])
    next.write(trade(2, clock.now + 5)) // replayed by the exchange after the restart
    next.write(trade(3, clock.now + 6))
    await next.close()
    expect((await rowsOf(out, 'trades')).map((r) => r.id)).toEqual(['1', '2', '3'])
  })

  it('recovers trade ids from a crashed journal even when the checkpoint lags behind', async () => {
    const { out, clock, make, checkpoints, recorder } = setup()
    recorder.write(trade(1, clock.now))
    await recorder.sync() // checkpoint: 1
    recorder.write(trade(2, clock.now + 1))
    recorder.flush() // journaled, but the process "dies" before the next checkpoint
    expect(await checkpoints.load('fakex/trades/BTCUSD')).toMatchObject({ lastId: '1' })
    const next = make()
    await next.recover()
    await next.loadCheckpoints([{ exchange: 'fakex', symbol: 'BTCUSD' }])
    next.write(trade(2, clock.now + 10))
    next.write(trade(3, clock.now + 11))
    await next.close()
    expect((await rowsOf(out, 'trades')).map((r) => r.id)).toEqual(['1', '2', '3'])
  })

  it('writes top-N book snapshots on schedule and none while the book is resyncing', async () => {
    const { out, clock, recorder } = setup({ bookSnapshots: { intervalMs: 1000, depth: 2 } })
    recorder.tick() // arms the schedule
    recorder.write(book(true, [[100, 1], [99, 2], [98, 3]], [[101, 4]], clock.now))
    clock.now += 1_000_000
    recorder.tick()
    recorder.write({ type: 'status', exchange: 'fakex', status: 'resync', symbol: 'BTCUSD', localTimestamp: clock.now })
    clock.now += 1_000_000
    recorder.tick() // invalid book: no snapshot
    recorder.write(book(true, [[90, 1]], [[91, 1]], clock.now))
    clock.now += 1_000_000
    recorder.tick()
    await recorder.close()
    const rows = await rowsOf(out, 'book-snapshots')
    expect(rows).toEqual([
      expect.objectContaining({ bidPrice0: 100, bidAmount0: 1, bidPrice1: 99, bidAmount1: 2, askPrice0: 101, askAmount0: 4, askPrice1: null, askAmount1: null }),
      expect.objectContaining({ bidPrice0: 90, askPrice0: 91, bidPrice1: null }),
    ])
    expect(Object.keys(rows[0]!)).not.toContain('bidPrice2')
  })

  it('close() waits for checkpoint saves that an earlier sync started', async () => {
    const { clock, checkpoints } = setup()
    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    const saved: string[] = []
    const slow = {
      load: (key: string) => checkpoints.load(key),
      save: async (key: string, value: never) => {
        await gate
        saved.push(key)
        await checkpoints.save(key, value)
      },
    }
    const recorder = new Recorder({ out: mkdtempSync(join(tmpdir(), 'dccd-recorder-')), format: 'jsonl', checkpoints: slow, now: () => clock.now })
    recorder.write(trade(1, clock.now))
    void recorder.sync() // the periodic sync: its save is still in flight when close() starts
    let closed = false
    const closing = recorder.close().then(() => (closed = true))
    await new Promise((resolve) => setImmediate(resolve))
    expect(closed).toBe(false)
    release()
    await closing
    expect(saved).toEqual(['fakex/trades/BTCUSD'])
  })

  it('records a trade whose symbol is 300 characters long, with its checkpoint, keeping the full symbol in the row', async () => {
    const out = mkdtempSync(join(tmpdir(), 'dccd-recorder-'))
    const checkpoints = new FileCheckpointStore(join(out, '.checkpoints'))
    const recorder = new Recorder({ out, format: 'parquet', checkpoints, now: () => DAY + 1 })
    const symbol = 'S'.repeat(300)
    recorder.write(trade(1, DAY + 1, symbol))
    await recorder.sync()
    expect(await recorder.close()).toBe(0)
    const rows = await rowsOf(out, 'trades')
    expect(rows.map((r) => r.symbol)).toEqual([symbol])
    const next = new Recorder({ out, format: 'parquet', checkpoints: new FileCheckpointStore(join(out, '.checkpoints')), now: () => DAY + 2 })
    await next.loadCheckpoints([{ exchange: 'fakex', symbol }])
    expect(next.lastTrade('fakex', symbol)?.lastId).toBe('1')
  })

  it('ignores events after close', async () => {
    const { out, clock, recorder } = setup()
    await recorder.close()
    recorder.write(trade(1, clock.now))
    expect(existsSync(join(out, 'fakex'))).toBe(false)
  })
})

export type { MarketEvent }
