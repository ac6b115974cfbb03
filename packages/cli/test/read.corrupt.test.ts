// One unreadable file is named and skipped; the others are still printed, and the exit code says so (issue #11, item 16).
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { main } from '../src/cli.js'
import type { Io } from '../src/io.js'
import { JournalSegment } from '../src/recorder/journal.js'
import { JOURNAL_DIR, sealJournal } from '../src/recorder/seal.js'

const T = 1_764_097_632_123_456

function captureIo(): Io & { stdout: string; stderr: string } {
  const io = { stdout: '', stderr: '', out: (t: string) => void (io.stdout += t), err: (t: string) => void (io.stderr += t), errIsTTY: false, outIsTTY: false }
  return io
}

/** Seals `ids` as one trades Parquet file named `<name>.parquet` under `out/fakex/trades/BTCUSD/2026-11-25`. */
function sealedTrades(out: string, name: string, ids: number[]): string {
  const segment = JournalSegment.create(join(out, JOURNAL_DIR, 'fakex', 'trades', 'BTCUSD', '2026-11-25', `${name}.jsonl`), {
    dccd: 'journal', version: 1, type: 'trades', format: 'parquet',
  })
  for (const id of ids) segment.append({ type: 'trade', exchange: 'fakex', symbol: 'BTCUSD', id: String(id), price: 100, amount: 1, side: 'buy', timestamp: T + id, localTimestamp: T + id })
  segment.close()
  return sealJournal(out, segment.path).file!
}

describe('dccd read with a corrupt file', () => {
  it('names a truncated Parquet file on stderr, prints the files around it and exits 1', async () => {
    const out = mkdtempSync(join(tmpdir(), 'dccd-read-'))
    sealedTrades(out, 'a', [1, 2])
    const broken = sealedTrades(out, 'b', [3, 4, 5])
    sealedTrades(out, 'c', [6])
    const bytes = readFileSync(broken)
    writeFileSync(broken, bytes.subarray(0, Math.floor(bytes.length / 2))) // a copy cut short
    const io = captureIo()
    expect(await main(['read', out, '--format', 'jsonl', '--limit', '0'], { io })).toBe(1)
    expect(io.stdout.trim().split('\n').map((line) => JSON.parse(line).id)).toEqual(['1', '2', '6'])
    expect(io.stderr).toMatch(new RegExp(`^dccd: warning: cannot read ${broken}: .+$`, 'm'))
    expect(io.stderr.trim().split('\n')).toHaveLength(1)
  })

  it('names the line of a JSON Lines file that is not JSON', async () => {
    const out = mkdtempSync(join(tmpdir(), 'dccd-read-'))
    mkdirSync(join(out, 'x'))
    writeFileSync(join(out, 'x', 'a.jsonl'), '{"id":"1"}\n{"id":\n')
    const good = join(out, 'x', 'b.csv')
    writeFileSync(good, 'id,price\n2,1.5\n')
    const io = captureIo()
    expect(await main(['read', out, '--format', 'jsonl'], { io })).toBe(1)
    expect(io.stdout.trim()).toBe('{"id":"2","price":1.5}')
    expect(io.stderr).toContain(`dccd: warning: cannot read ${join(out, 'x', 'a.jsonl')}: line 2 is not JSON`)
  })

  it('exits 1 when the one file asked for cannot be read', async () => {
    const out = mkdtempSync(join(tmpdir(), 'dccd-read-'))
    const file = sealedTrades(out, 'a', [1])
    const copy = join(out, 'copy.parquet')
    copyFileSync(file, copy)
    writeFileSync(copy, 'PAR1 not really')
    const io = captureIo()
    expect(await main(['read', copy], { io })).toBe(1)
    expect(io.stderr).toMatch(new RegExp(`^dccd: warning: cannot read ${copy}: `))
    expect(io.stdout).toBe('')
  })
})
