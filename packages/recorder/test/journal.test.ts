import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { JournalSegment, listJournalSegments, readJournal } from '../src/journal.js'
import type { JournalRead } from '../src/journal.js'

const header = { dccd: 'journal', version: 1, type: 'trades', format: 'parquet' } as const

/** The record values of a segment read back (throws unless it is a journal). */
function values(read: JournalRead): unknown[] {
  if (read.kind !== 'journal') throw new Error(`not a journal: ${read.kind}`)
  return read.records.map((record) => record.value)
}

describe('journal segments', () => {
  it('writes the header at once and records only on flush', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dccd-journal-'))
    const path = join(dir, 'a', 'b', 'seg.jsonl')
    const segment = JournalSegment.create(path, header)
    expect(readJournal(path)).toEqual({ kind: 'journal', header, records: [], unreadable: [], torn: false })
    segment.append({ id: '1' })
    segment.append({ id: '2' })
    expect(values(readJournal(path))).toEqual([])
    segment.flush()
    expect(values(readJournal(path))).toEqual([{ id: '1' }, { id: '2' }])
    expect(segment.records).toBe(2)
    segment.append({ id: '3' })
    segment.close()
    expect(readJournal(path)).toMatchObject({ records: [{ line: 2, text: '{"id":"1"}', value: { id: '1' } }, { line: 3 }, { line: 4, value: { id: '3' } }] })
  })

  it('refuses to reopen an existing segment (segments are never shared)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dccd-journal-'))
    const path = join(dir, 'seg.jsonl')
    JournalSegment.create(path, header).close()
    expect(() => JournalSegment.create(path, header)).toThrow(/EEXIST/)
  })

  it('skips a torn last line and reports it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dccd-journal-'))
    const path = join(dir, 'seg.jsonl')
    writeFileSync(path, `${JSON.stringify(header)}\n{"id":"1"}\n{"id":"2"}\n{"id":"3","pri`)
    expect(readJournal(path)).toMatchObject({ kind: 'journal', header, unreadable: [], torn: true })
    expect(values(readJournal(path))).toEqual([{ id: '1' }, { id: '2' }])
  })

  it('reports a damaged line in the middle of a segment with its number and reads on', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dccd-journal-'))
    const path = join(dir, 'seg.jsonl')
    writeFileSync(path, `${JSON.stringify(header)}\n{"id":\n{"id":"2"}\n`)
    expect(readJournal(path)).toMatchObject({ kind: 'journal', unreadable: [{ line: 2, text: '{"id":', reason: expect.stringContaining('not JSON') }], torn: false })
    expect(values(readJournal(path))).toEqual([{ id: '2' }])
  })

  it('treats a file holding only the start of a header as empty', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dccd-journal-'))
    const path = join(dir, 'seg.jsonl')
    writeFileSync(path, '{"dccd":"jou')
    expect(readJournal(path)).toEqual({ kind: 'empty' })
  })

  it('calls a file foreign when its header is not one this dccd writes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dccd-journal-'))
    const path = join(dir, 'seg.jsonl')
    const cases: [string, RegExp][] = [
      [`${JSON.stringify({ ...header, version: 2 })}\n`, /journal version 2/],
      [`${JSON.stringify({ ...header, type: 'candles' })}\n`, /unknown data type "candles"/],
      [`${JSON.stringify({ ...header, format: 'orc' })}\n`, /unknown format "orc"/],
      [`${JSON.stringify({ ...header, type: 'book-snapshots' })}\n`, /without a valid depth/],
      ['{"id":"1"}\n', /not a dccd journal header/],
      ['PAR1\n', /not JSON/],
      ['PAR1', /no complete line/],
    ]
    for (const [text, reason] of cases) {
      writeFileSync(path, text)
      expect(readJournal(path)).toEqual({ kind: 'foreign', reason: expect.stringMatching(reason) })
    }
  })

  it('lists segments recursively in path order', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dccd-journal-'))
    JournalSegment.create(join(dir, 'x', '2026-01-02', 'b.jsonl'), header).close()
    JournalSegment.create(join(dir, 'x', '2026-01-01', 'a.jsonl'), header).close()
    appendFileSync(join(dir, 'x', 'note.txt'), 'not a segment')
    expect(listJournalSegments(dir).map((p) => p.slice(dir.length + 1))).toEqual([
      join('x', '2026-01-01', 'a.jsonl'),
      join('x', '2026-01-02', 'b.jsonl'),
    ])
    expect(readFileSync(join(dir, 'x', 'note.txt'), 'utf8')).toBe('not a segment')
    expect(listJournalSegments(join(dir, 'missing'))).toEqual([])
  })
})
