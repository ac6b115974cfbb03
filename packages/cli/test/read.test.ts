import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runRead } from '../src/commands/read.js'
import type { Io } from '../src/io.js'
import { formatTable } from '../src/read/table.js'

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

  it('formatTable pads columns', () => {
    expect(formatTable(['a', 'bb'], [{ a: 'xyz', bb: null }, { a: 1, bb: true }], new Set())).toBe('a    bb\nxyz\n1    true')
  })
})
