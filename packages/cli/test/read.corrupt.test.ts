// One unreadable file is named and skipped; the others are still printed, and the exit code says so (issue #11, item 16).
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { MemoryCheckpointStore } from '@dccd/core'
import { Recorder, listDataFiles } from '@dccd/recorder'
import { main } from '../src/cli.js'
import type { Io } from '../src/io.js'

const T = 1_764_097_632_123_456

function captureIo(): Io & { stdout: string; stderr: string } {
  const io = { stdout: '', stderr: '', out: (t: string) => void (io.stdout += t), err: (t: string) => void (io.stderr += t), errIsTTY: false, outIsTTY: false }
  return io
}

/** Records `ids` as one trades Parquet file under `out` (the recorder names it by time, so calls sort in order). */
async function sealedTrades(out: string, ids: number[]): Promise<string> {
  const before = new Set(listDataFiles(out))
  const recorder = new Recorder({ out, format: 'parquet', checkpoints: new MemoryCheckpointStore(), now: () => T })
  for (const id of ids) recorder.write({ type: 'trade', exchange: 'fakex', symbol: 'BTCUSD', id: String(id), price: 100, amount: 1, side: 'buy', timestamp: T + id, localTimestamp: T + id })
  await recorder.close()
  return listDataFiles(out).find((file) => !before.has(file))!
}

describe('dccd read with a corrupt file', () => {
  it('names a truncated Parquet file on stderr, prints the files around it and exits 1', async () => {
    const out = mkdtempSync(join(tmpdir(), 'dccd-read-'))
    await sealedTrades(out, [1, 2])
    const broken = await sealedTrades(out, [3, 4, 5])
    await sealedTrades(out, [6])
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
    const file = await sealedTrades(out, [1])
    const copy = join(out, 'copy.parquet')
    copyFileSync(file, copy)
    writeFileSync(copy, 'PAR1 not really')
    const io = captureIo()
    expect(await main(['read', copy], { io })).toBe(1)
    expect(io.stderr).toMatch(new RegExp(`^dccd: warning: cannot read ${copy}: `))
    expect(io.stdout).toBe('')
  })
})
