import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { asyncBufferFromFile, parquetMetadataAsync } from 'hyparquet'
import { describe, expect, it } from 'vitest'
import { OrderBook } from '@dccd/core'
import type { BookEvent } from '@dccd/core'
import { JournalSegment } from '../src/journal.js'
import type { JournalHeader } from '../src/journal.js'
import { JOURNAL_DIR, sealJournal, sealedPathOf } from '../src/seal.js'
import { readDataFile } from '../src/data-files.js'

const T = 1_764_097_632_123_456

function journal(out: string, header: JournalHeader, records: unknown[], name = 'seg'): string {
  const path = join(out, JOURNAL_DIR, 'fakex', header.type, 'BTCUSD', '2026-11-25', `${name}.jsonl`)
  const segment = JournalSegment.create(path, header)
  for (const record of records) segment.append(record)
  segment.close()
  return path
}

const trades = [
  { type: 'trade', exchange: 'fakex', symbol: 'BTCUSD', id: '1', price: 100.5, amount: 0.25, side: 'buy', timestamp: T, localTimestamp: T + 1 },
  { type: 'trade', exchange: 'fakex', symbol: 'BTCUSD', id: '2', price: 99.75, amount: 3, side: 'sell', timestamp: T + 999_999, localTimestamp: T + 1_000_001 },
]

describe('sealing a journal segment', () => {
  it('writes typed Parquet at the mirror path and removes the journal', async () => {
    const out = mkdtempSync(join(tmpdir(), 'dccd-seal-'))
    const path = journal(out, { dccd: 'journal', version: 1, type: 'trades', format: 'parquet' }, trades)
    const result = sealJournal(out, path)
    const file = join(out, 'fakex', 'trades', 'BTCUSD', '2026-11-25', 'seg.parquet')
    expect(result).toEqual({ file, rows: 2, torn: false, rejected: 0 })
    expect(existsSync(path)).toBe(false)
    const metadata = await parquetMetadataAsync(await asyncBufferFromFile(file))
    const types = Object.fromEntries(metadata.schema.slice(1).map((e) => [e.name, [e.type, e.logical_type?.type ?? e.converted_type ?? null]]))
    expect(types).toEqual({
      timestamp: ['INT64', 'TIMESTAMP'],
      localTimestamp: ['INT64', 'TIMESTAMP'],
      exchange: ['BYTE_ARRAY', 'STRING'],
      symbol: ['BYTE_ARRAY', 'STRING'],
      id: ['BYTE_ARRAY', 'STRING'],
      side: ['BYTE_ARRAY', 'STRING'],
      price: ['DOUBLE', null],
      amount: ['DOUBLE', null],
    })
    expect(metadata.schema.find((e) => e.name === 'timestamp')?.logical_type).toEqual({ type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' })
    const back = await readDataFile(file)
    expect(back.columns).toEqual(['timestamp', 'localTimestamp', 'exchange', 'symbol', 'id', 'side', 'price', 'amount'])
    expect(back.rows).toEqual(trades.map(({ type: _type, ...row }) => row))
  })

  it('sealing the same segment again rewrites the same file instead of adding one', () => {
    const out = mkdtempSync(join(tmpdir(), 'dccd-seal-'))
    const path = journal(out, { dccd: 'journal', version: 1, type: 'trades', format: 'jsonl' }, trades)
    const copy = readFileSync(path)
    const first = sealJournal(out, path)
    writeFileSync(path, copy) // as if the process died after the rename, before removing the journal
    const second = sealJournal(out, path)
    expect(second.file).toBe(first.file)
    expect(readdirSync(dirname(first.file!))).toEqual(['seg.jsonl'])
    expect(readFileSync(first.file!, 'utf8').trim().split('\n')).toHaveLength(2)
  })

  it('removes temp files a crashed seal left behind', () => {
    const out = mkdtempSync(join(tmpdir(), 'dccd-seal-'))
    const path = journal(out, { dccd: 'journal', version: 1, type: 'trades', format: 'csv' }, trades)
    const target = sealedPathOf(out, path, 'csv')
    JournalSegment.create(join(dirname(target), 'x.jsonl'), { dccd: 'journal', version: 1, type: 'trades', format: 'csv' }).close()
    writeFileSync(`${target}.4242.tmp`, 'half a file')
    sealJournal(out, path)
    expect(readdirSync(dirname(target)).sort()).toEqual(['seg.csv', 'x.jsonl'])
  })

  it('writes CSV with a header and ISO µs timestamps that read back exactly', async () => {
    const out = mkdtempSync(join(tmpdir(), 'dccd-seal-'))
    const { file } = sealJournal(out, journal(out, { dccd: 'journal', version: 1, type: 'trades', format: 'csv' }, trades))
    const lines = readFileSync(file!, 'utf8').trim().split('\n')
    expect(lines[0]).toBe('timestamp,localTimestamp,exchange,symbol,id,side,price,amount')
    expect(lines[1]).toBe('2025-11-25T19:07:12.123456Z,2025-11-25T19:07:12.123457Z,fakex,BTCUSD,1,buy,100.5,0.25')
    const back = await readDataFile(file!)
    expect(back.rows[1]).toMatchObject({ timestamp: T + 999_999, id: '2', price: 99.75 })
  })

  it('writes no file for an empty segment but still removes the journal', () => {
    const out = mkdtempSync(join(tmpdir(), 'dccd-seal-'))
    const path = journal(out, { dccd: 'journal', version: 1, type: 'trades', format: 'parquet' }, [])
    expect(sealJournal(out, path)).toEqual({ file: undefined, rows: 0, torn: false, rejected: 0 })
    expect(existsSync(path)).toBe(false)
  })
})

describe('book files', () => {
  it('replaying the rows in file order rebuilds the book exactly, even across back-to-back snapshots', async () => {
    const out = mkdtempSync(join(tmpdir(), 'dccd-seal-'))
    const book = (isSnapshot: boolean, bids: [number, number][], asks: [number, number][], i: number): BookEvent => ({
      type: 'book', exchange: 'fakex', symbol: 'BTCUSD', isSnapshot,
      bids: bids.map(([price, amount]) => ({ price, amount })), asks: asks.map(([price, amount]) => ({ price, amount })),
      timestamp: T + i, localTimestamp: T + i,
    })
    const events = [
      book(true, [[100, 1], [99, 2], [98, 3]], [[101, 1], [102, 2]], 0),
      book(false, [[100, 0], [97, 5]], [[101, 4]], 1),
      book(true, [[90, 1]], [[91, 1]], 2), // resync snapshot right after a snapshot below
      book(true, [[95, 1]], [[96, 2]], 3),
      book(false, [[94, 7]], [[96, 0], [97, 1]], 4),
    ]
    const { file } = sealJournal(out, journal(out, { dccd: 'journal', version: 1, type: 'book', format: 'parquet' }, events))
    const expected = new OrderBook()
    for (const event of events) expected.apply(event)

    const { rows } = await readDataFile(file!)
    const replayed = new OrderBook()
    let previous: number | undefined
    for (const row of rows) {
      if (row.isSnapshot === true && row.eventIndex !== previous) replayed.clear()
      previous = row.eventIndex as number
      replayed.set(row.side === 'bid' ? 'bids' : 'asks', row.price as number, row.amount as number)
    }
    expect([...replayed.bids()]).toEqual([...expected.bids()])
    expect([...replayed.asks()]).toEqual([...expected.asks()])
    expect([...replayed.bids()]).toEqual([{ price: 95, amount: 1 }, { price: 94, amount: 7 }])
  })
})
