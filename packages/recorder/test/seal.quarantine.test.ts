// Records that cannot be written are set aside, and the rest of the segment is sealed (issue #11, item 3).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { OrderBook } from '@dccd/core'
import type { BookEvent } from '@dccd/core'
import { readJournal } from '../src/journal.js'
import type { JournalContents, JournalHeader } from '../src/journal.js'
import { QUARANTINE_DIR, rejectedPathOf } from '../src/quarantine.js'
import { JOURNAL_DIR, sealJournal } from '../src/seal.js'
import { planSeal } from '../src/seal-plan.js'
import { MAX_TIMESTAMP_MICROS } from '../src/validate.js'
import { readDataFile } from '../src/data-files.js'
import { recordingLogger } from './helpers/logger.js'

const T = 1_764_097_632_123_456

/** Writes a segment line by line (records as JSON, strings as they are). */
function segment(out: string, header: JournalHeader, lines: (string | object)[]): string {
  const path = join(out, JOURNAL_DIR, 'fakex', header.type, 'BTCUSD', '2026-11-25', 'seg.jsonl')
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, [header, ...lines].map((line) => `${typeof line === 'string' ? line : JSON.stringify(line)}\n`).join(''))
  return path
}

const trade = (id: number, extra: object = {}) => ({
  type: 'trade', exchange: 'fakex', symbol: 'BTCUSD', id: String(id), price: 100 + id, amount: 1, side: 'buy', timestamp: T + id, localTimestamp: T + id + 1, ...extra,
})

const tmp = (): string => mkdtempSync(join(tmpdir(), 'dccd-seal-q-'))

describe('sealing a segment with records that cannot be written', () => {
  it('sets aside a trade with an out-of-range timestamp, seals the others and says which line and why', async () => {
    for (const format of ['parquet', 'csv', 'jsonl'] as const) {
      const out = tmp()
      const bad = JSON.stringify(trade(2, { timestamp: 1e300 }))
      const path = segment(out, { dccd: 'journal', version: 1, type: 'trades', format }, [trade(1), bad, trade(3)])
      const logger = recordingLogger()
      const result = sealJournal(out, path, logger)
      expect(result).toMatchObject({ rows: 2, rejected: 1 })
      expect(existsSync(path)).toBe(false)
      expect((await readDataFile(result.file!)).rows.map((r) => r.id)).toEqual(['1', '3'])
      const rejected = rejectedPathOf(out, path)
      expect(rejected.startsWith(join(out, QUARANTINE_DIR))).toBe(true)
      expect(readFileSync(rejected, 'utf8')).toBe(`${bad}\n`)
      expect(logger.warnings).toEqual([expect.stringContaining(`line 3 of ${path}`)])
      expect(logger.warnings[0]).toContain('timestamp 1e+300')
      expect(logger.warnings[0]).toContain(rejected)
    }
  })

  it('checks every column against its type: timestamps in 1970..2200, finite numbers, strings, required values', () => {
    const out = tmp()
    const lines = [
      trade(1, { localTimestamp: -1 }),
      trade(2, { timestamp: MAX_TIMESTAMP_MICROS }),
      trade(3, { timestamp: T + 3.5 }),
      trade(4, { price: null }),
      trade(5, { amount: '1.5' }),
      trade(6, { id: 6 }),
      trade(7, { symbol: undefined }),
      42,
      trade(9, { timestamp: MAX_TIMESTAMP_MICROS - 1 }),
    ]
    const path = segment(out, { dccd: 'journal', version: 1, type: 'trades', format: 'jsonl' }, lines as object[])
    const plan = planSeal(readJournal(path) as JournalContents)
    expect(plan.accepted).toEqual([lines.at(-1)])
    expect(plan.rejected.map((r) => [r.line, r.reason])).toEqual([
      [2, `localTimestamp -1 is not a whole number of µs between 1970 and 2200`],
      [3, `timestamp ${MAX_TIMESTAMP_MICROS} is not a whole number of µs between 1970 and 2200`],
      [4, `timestamp ${T + 3.5} is not a whole number of µs between 1970 and 2200`],
      [5, 'price is missing'],
      [6, 'amount "1.5" is not a finite number'],
      [7, 'id 6 is not a string'],
      [8, 'symbol is missing'],
      [9, 'not a trades record (a trades record must be an object, not 42)'],
    ])
    expect(sealJournal(out, path)).toMatchObject({ rows: 1, rejected: 8 })
    expect(readFileSync(rejectedPathOf(out, path), 'utf8').trim().split('\n')).toEqual(plan.rejected.map((r) => r.text))
  })

  it('checks quote, derivative and liquidation records the same way: a null where a number was, a side other than buy or sell, another type', async () => {
    const out = tmp()
    const base = { exchange: 'fakex', symbol: 'BTCUSD', timestamp: T, localTimestamp: T + 1 }
    const derivative = (extra: object) => ({ type: 'derivative', ...base, ...extra })
    const derivativeLines = [
      derivative({ markPrice: 100, fundingRate: 0 }),
      derivative({ markPrice: null }), // what JSON makes of an adapter's NaN
      derivative({ fundingTime: T + 0.5 }),
      derivative({ openInterest: '12' }),
      trade(5),
      derivative({ indexPrice: 99 }),
    ]
    const derivatives = segment(out, { dccd: 'journal', version: 1, type: 'derivatives', format: 'parquet' }, derivativeLines)
    expect(planSeal(readJournal(derivatives) as JournalContents).rejected.map((r) => [r.line, r.reason])).toEqual([
      [3, 'not a derivatives record (markPrice is null, which JSON makes of a number that is not finite; a value not sent is left out)'],
      [4, `fundingTime ${T + 0.5} is not a whole number of µs between 1970 and 2200`],
      [5, 'openInterest "12" is not a finite number'],
      [6, 'not a derivatives record (its type is "trade", not "derivative")'],
    ])
    const sealed = sealJournal(out, derivatives, recordingLogger())
    expect(sealed).toMatchObject({ rows: 2, rejected: 4 })
    expect((await readDataFile(sealed.file!)).rows.map((r) => [r.markPrice, r.indexPrice, r.fundingRate])).toEqual([[100, null, 0], [null, 99, null]])
    expect(readFileSync(rejectedPathOf(out, derivatives), 'utf8').trim().split('\n')).toEqual(derivativeLines.slice(1, 5).map((line) => JSON.stringify(line)))

    const liquidation = (extra: object) => ({ type: 'liquidation', ...base, id: '7', side: 'sell', price: 90, amount: 2, ...extra })
    const liquidations = segment(out, { dccd: 'journal', version: 1, type: 'liquidations', format: 'csv' }, [
      liquidation({ side: 'long' }),
      liquidation({ id: 7 }),
      liquidation({ price: null }),
    ])
    expect(planSeal(readJournal(liquidations) as JournalContents).rejected.map((r) => r.reason)).toEqual([
      'side "long" is not one of buy, sell',
      'id 7 is not a string',
      'price is missing',
    ])
    const quotes = segment(out, { dccd: 'journal', version: 1, type: 'quotes', format: 'jsonl' }, [
      { type: 'quote', ...base, bidPrice: 1, bidAmount: 1, askPrice: 2 },
    ])
    expect(planSeal(readJournal(quotes) as JournalContents).rejected.map((r) => r.reason)).toEqual(['askAmount is missing'])
  })

  it('warns about the first lines one by one and sums up the rest', () => {
    const out = tmp()
    const lines = Array.from({ length: 30 }, (_, i) => trade(i + 1, { timestamp: i % 2 === 0 ? 1e300 : T }))
    const path = segment(out, { dccd: 'journal', version: 1, type: 'trades', format: 'jsonl' }, lines)
    const logger = recordingLogger()
    expect(sealJournal(out, path, logger)).toMatchObject({ rows: 15, rejected: 15 })
    expect(logger.warnings).toHaveLength(6)
    expect(logger.warnings[5]).toMatch(/10 more lines of .* set aside in .*seg\.rejected\.jsonl/)
  })

  it('sets aside a damaged line in the middle of a segment instead of refusing the file', async () => {
    const out = tmp()
    const path = segment(out, { dccd: 'journal', version: 1, type: 'trades', format: 'parquet' }, [trade(1), '{"type":"trade","id":', trade(3)])
    const logger = recordingLogger()
    const result = sealJournal(out, path, logger)
    expect((await readDataFile(result.file!)).rows.map((r) => r.id)).toEqual(['1', '3'])
    expect(readFileSync(rejectedPathOf(out, path), 'utf8')).toBe('{"type":"trade","id":\n')
    expect(logger.warnings).toEqual([expect.stringMatching(/line 3 of .*: not JSON/)])
  })

  it('holds back the book updates after a rejected book record until the next snapshot, so the file still replays exactly', async () => {
    const out = tmp()
    const book = (isSnapshot: boolean, bids: [number, number][], asks: [number, number][], timestamp: number): BookEvent => ({
      type: 'book', exchange: 'fakex', symbol: 'BTCUSD', isSnapshot,
      bids: bids.map(([price, amount]) => ({ price, amount })), asks: asks.map(([price, amount]) => ({ price, amount })),
      timestamp, localTimestamp: T,
    })
    const events = [
      book(true, [[100, 1], [99, 2]], [[101, 1]], T),
      book(false, [[100, 3]], [], T + 1),
      book(false, [[99, 0]], [[101, 7]], 1e300), // rejected
      book(false, [[98, 1]], [], T + 3), // depends on it: held back
      book(true, [[90, 1]], [[91, 1]], T + 4),
      book(false, [[89, 2]], [], T + 5),
    ]
    const path = segment(out, { dccd: 'journal', version: 1, type: 'book', format: 'parquet' }, events)
    const logger = recordingLogger()
    const result = sealJournal(out, path, logger)
    expect(result.rejected).toBe(2)
    expect(readFileSync(rejectedPathOf(out, path), 'utf8')).toBe(`${JSON.stringify(events[2])}\n${JSON.stringify(events[3])}\n`)
    expect(logger.warnings[1]).toMatch(/line 5 .*: a book update after rejected line 4; the book is unknown until the next snapshot/)
    const { rows } = await readDataFile(result.file!)
    expect([...new Set(rows.map((r) => r.eventIndex))]).toEqual([0, 1, 2, 3])
    const replayed = new OrderBook()
    let previous: unknown
    for (const row of rows) {
      if (row.isSnapshot === true && row.eventIndex !== previous) replayed.clear()
      previous = row.eventIndex
      replayed.set(row.side === 'bid' ? 'bids' : 'asks', row.price as number, row.amount as number)
    }
    expect([...replayed.bids()]).toEqual([{ price: 90, amount: 1 }, { price: 89, amount: 2 }])
  })

  it('moves the whole segment into the quarantine when encoding fails anyway', () => {
    const out = tmp()
    const path = segment(out, { dccd: 'journal', version: 1, type: 'trades', format: 'parquet' }, [trade(1)])
    const text = readFileSync(path, 'utf8')
    const logger = recordingLogger()
    const result = sealJournal(out, path, logger, () => {
      throw new Error('writer bug')
    })
    expect(result).toMatchObject({ file: undefined, rows: 0, quarantined: join(out, QUARANTINE_DIR, 'fakex', 'trades', 'BTCUSD', '2026-11-25', 'seg.jsonl') })
    expect(readFileSync(result.quarantined!, 'utf8')).toBe(text)
    expect(existsSync(path)).toBe(false)
    expect(logger.warnings).toEqual([expect.stringContaining('writer bug')])
  })
})
