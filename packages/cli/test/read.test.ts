import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { MemoryCheckpointStore } from '@dccd/core'
import type { MarketEvent } from '@dccd/core'
import { Recorder } from '@dccd/recorder'
import { runRead } from '../src/commands/read.js'
import type { Io } from '../src/io.js'
import { formatTable } from '../src/read/table.js'
import { FUNDING, T0, derivativeEvents } from './helpers/fakex.js'

function captureIo(): Io & { stdout: string } {
  const io = { stdout: '', out: (t: string) => void (io.stdout += t), err: () => {}, errIsTTY: false, outIsTTY: false }
  return io
}

describe('dccd read', () => {
  it('prints at most --limit rows in all, as JSON lines', async () => {
    const out = mkdtempSync(join(tmpdir(), 'dccd-read-'))
    writeFileSync(join(out, 'a.jsonl'), '{"timestamp":1,"id":"1"}\n{"timestamp":2,"id":"2"}\n')
    writeFileSync(join(out, 'b.jsonl'), '{"timestamp":3,"id":"3"}\n')
    const io = captureIo()
    expect(await runRead(out, { format: 'jsonl', limit: 3 }, io)).toBe(0)
    expect(io.stdout.trim().split('\n').map((l) => JSON.parse(l).id)).toEqual(['1', '2', '3'])
    const limited = captureIo()
    await runRead(out, { format: 'jsonl', limit: 1 }, limited)
    expect(limited.stdout.trim().split('\n')).toHaveLength(1)
  })

  it('prints tables with ISO timestamps and a per-file header', async () => {
    const out = mkdtempSync(join(tmpdir(), 'dccd-read-'))
    writeFileSync(join(out, 'a.jsonl'), '{"timestamp":1764097632123456,"price":1.5}\n{"timestamp":1764097632123457,"price":2}\n')
    const io = captureIo()
    await runRead(out, { format: 'table', limit: 1 }, io)
    expect(io.stdout).toContain('(2 rows, first 1 shown)')
    expect(io.stdout).toContain('2025-11-25T19:07:12.123456Z  1.5')
  })

  it('prints quotes, derivatives and liquidations: funding time as ISO, fields not sent as empty cells and null', async () => {
    const out = mkdtempSync(join(tmpdir(), 'dccd-read-'))
    const recorder = new Recorder({ out, format: 'parquet', checkpoints: new MemoryCheckpointStore(), now: () => T0 })
    for (const event of derivativeEvents()) recorder.write({ localTimestamp: T0 + 2_000_000, ...event } as MarketEvent)
    await recorder.close()
    const table = captureIo()
    expect(await runRead(join(out, 'fakex', 'derivatives'), { format: 'table', limit: 0 }, table)).toBe(0)
    const lines = table.stdout.trim().split('\n')
    expect(lines[0]).toMatch(/^# .*\/fakex\/derivatives\/BTCUSD\/.*\.parquet \(3 rows\)$/)
    const header = lines[1]!
    const columns = ['markPrice', 'indexPrice', 'fundingRate', 'fundingTime', 'openInterest']
    expect(header.split(/ +/)).toEqual(['timestamp', 'localTimestamp', 'exchange', 'symbol', ...columns])
    // Columns are left-aligned under their names; a cell not sent is blank.
    const cells = (line: string) => columns.map((column) => line.slice(header.indexOf(column)).split(' ')[0])
    expect(cells(lines[2]!)).toEqual(['100.4', '100.3', '0.0001', '2025-11-26T00:00:00.000000Z', '12345'])
    expect(cells(lines[3]!)).toEqual(['100.45', '100.35', '', '', ''])
    expect(cells(lines[4]!)).toEqual(['', '', '0', '', '']) // 0 is a rate

    const jsonl = captureIo()
    await runRead(out, { format: 'jsonl', limit: 0 }, jsonl)
    const rows = jsonl.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>)
    expect(rows.filter((row) => 'fundingRate' in row).map((row) => [row.markPrice, row.fundingRate, row.fundingTime])).toEqual([
      [100.4, 0.0001, FUNDING],
      [100.45, null, null],
      [null, 0, null],
    ])
    expect(rows.filter((row) => 'side' in row).map((row) => [row.id, row.side, row.price])).toEqual([['77', 'sell', 99.5], [null, 'buy', 101.25]])
    expect(rows.filter((row) => 'bidPrice' in row).map((row) => [row.bidPrice, row.askPrice])).toEqual([[100, 101], [100.25, 100.75]])
  })

  it('formatTable pads columns', () => {
    expect(formatTable(['a', 'bb'], [{ a: 'xyz', bb: null }, { a: 1, bb: true }], new Set())).toBe('a    bb\nxyz\n1    true')
  })
})
