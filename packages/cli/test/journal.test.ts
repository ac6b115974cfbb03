import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { JournalSegment, listJournalSegments, readJournal } from '../src/recorder/journal.js'

const header = { dccd: 'journal', version: 1, type: 'trades', format: 'parquet' } as const

describe('journal segments', () => {
  it('writes the header at once and records only on flush', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dccd-journal-'))
    const path = join(dir, 'a', 'b', 'seg.jsonl')
    const segment = JournalSegment.create(path, header)
    expect(readJournal(path)).toEqual({ header, records: [], torn: false })
    segment.append({ id: '1' })
    segment.append({ id: '2' })
    expect(readJournal(path)?.records).toEqual([])
    segment.flush()
    expect(readJournal(path)?.records).toEqual([{ id: '1' }, { id: '2' }])
    expect(segment.records).toBe(2)
    segment.append({ id: '3' })
    segment.close()
    expect(readJournal(path)?.records).toEqual([{ id: '1' }, { id: '2' }, { id: '3' }])
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
    expect(readJournal(path)).toEqual({ header, records: [{ id: '1' }, { id: '2' }], torn: true })
  })

  it('rejects corruption in the middle of a segment', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dccd-journal-'))
    const path = join(dir, 'seg.jsonl')
    writeFileSync(path, `${JSON.stringify(header)}\n{"id":\n{"id":"2"}\n`)
    expect(() => readJournal(path)).toThrow(/corrupt journal .* line 2/)
  })

  it('treats a file without a complete header as empty', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dccd-journal-'))
    const path = join(dir, 'seg.jsonl')
    writeFileSync(path, '{"dccd":"jou')
    expect(readJournal(path)).toBeUndefined()
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
