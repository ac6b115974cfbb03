import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { listDataFiles, parseCsv } from '../src/data-files.js'

describe('reading recorded files back', () => {
  it('lists data files under a folder, skipping hidden folders, sorted', () => {
    const out = mkdtempSync(join(tmpdir(), 'dccd-read-'))
    for (const path of ['b/2.parquet', 'a/1.csv', '.journal/x/3.jsonl', 'a/notes.txt']) {
      mkdirSync(join(out, path, '..'), { recursive: true })
      writeFileSync(join(out, path), '')
    }
    expect(listDataFiles(out)).toEqual([join(out, 'a/1.csv'), join(out, 'b/2.parquet')])
    expect(() => listDataFiles(join(out, 'missing'))).toThrow(/no such file or folder/)
    expect(() => listDataFiles(join(out, 'a/notes.txt'))).toThrow(/valid file types: .parquet, .jsonl, .csv/)
  })

  it('names a missing path and a file of another type with DataPathError and its code', () => {
    const out = mkdtempSync(join(tmpdir(), 'dccd-read-'))
    writeFileSync(join(out, 'notes.txt'), '')
    const missing = join(out, 'missing')
    expect(() => listDataFiles(missing)).toThrow(expect.objectContaining({ name: 'DataPathError', code: 'DCCD_DATA_PATH', path: missing, reason: 'missing' }))
    expect(() => listDataFiles(join(out, 'notes.txt'))).toThrow(expect.objectContaining({ code: 'DCCD_DATA_PATH', reason: 'not-a-data-file' }))
  })

  it('parseCsv handles quotes, escaped quotes and commas in fields', () => {
    expect(parseCsv('a,b\n"x,y","say ""hi"""\n')).toEqual([['a', 'b'], ['x,y', 'say "hi"']])
  })
})
