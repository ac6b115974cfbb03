// Journal files the recorder cannot read are moved aside, never deleted (issue #11, item 6).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { MemoryCheckpointStore } from '@dccd/core'
import { Recorder } from '../src/recorder.js'
import { QUARANTINE_DIR } from '../src/quarantine.js'
import { JOURNAL_DIR } from '../src/seal.js'
import { listDataFiles } from '../src/data-files.js'
import { recordingLogger } from './helpers/logger.js'

const REL = join('fakex', 'book', 'BTCUSD', '2026-11-25', '190712000042-ab12.jsonl')

function outWithJournal(text: string): { out: string; path: string } {
  const out = mkdtempSync(join(tmpdir(), 'dccd-quarantine-'))
  const path = join(out, JOURNAL_DIR, REL)
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, text)
  return { out, path }
}

async function recoverWithLogger(out: string) {
  const logger = recordingLogger()
  const recorder = new Recorder({ out, format: 'parquet', checkpoints: new MemoryCheckpointStore(), logger })
  const results = await recorder.recover()
  await recorder.close()
  return { logger, results }
}

const level = (price: number) => ({ price, amount: 1 })
const bookLines = Array.from({ length: 83 }, (_, i) =>
  JSON.stringify({ type: 'book', exchange: 'fakex', symbol: 'BTCUSD', isSnapshot: i === 0, bids: [level(100 - i)], asks: [level(101 + i), level(102 + i)], timestamp: 1, localTimestamp: 2 }),
)

describe('unrecognised journal files', () => {
  it('moves a segment with a header of another version into .quarantine at the same relative path and names it', async () => {
    const text = `${JSON.stringify({ dccd: 'journal', version: 2, type: 'book', format: 'parquet' })}\n${bookLines.join('\n')}\n`
    const { out, path } = outWithJournal(text)
    const { logger } = await recoverWithLogger(out)
    const moved = join(out, QUARANTINE_DIR, REL)
    expect(existsSync(path)).toBe(false)
    expect(readFileSync(moved, 'utf8')).toBe(text) // all 249 book rows kept, byte for byte
    expect(logger.warnings).toEqual([expect.stringContaining(moved)])
    expect(logger.warnings[0]).toContain('version 2')
    expect(listDataFiles(out)).toEqual([])
  })

  it('moves a file of JSON lines without a journal header instead of deleting it', async () => {
    const text = `${bookLines.join('\n')}\n`
    const { out } = outWithJournal(text)
    const { logger } = await recoverWithLogger(out)
    expect(readFileSync(join(out, QUARANTINE_DIR, REL), 'utf8')).toBe(text)
    expect(logger.warnings).toEqual([expect.stringContaining('not a dccd journal header')])
  })

  it('moves a file that holds no complete line but is not the start of a header', async () => {
    const { out } = outWithJournal('PAR1\u0000\u0000 not ours')
    const { logger } = await recoverWithLogger(out)
    expect(readFileSync(join(out, QUARANTINE_DIR, REL), 'utf8')).toBe('PAR1\u0000\u0000 not ours')
    expect(logger.warnings).toHaveLength(1)
  })

  it('removes a segment whose writer died before the header line was complete, quietly', async () => {
    for (const torn of ['', '{"dccd":"jou', '{"dccd":"journal","version":1,"type":"tra']) {
      const { out, path } = outWithJournal(torn)
      const { logger } = await recoverWithLogger(out)
      expect(existsSync(path)).toBe(false)
      expect(existsSync(join(out, QUARANTINE_DIR))).toBe(false)
      expect(logger.warnings).toEqual([])
    }
  })

  it('keeps both files when a quarantined name is already taken', async () => {
    const text = `${JSON.stringify({ dccd: 'journal', version: 9 })}\n{}\n`
    const { out } = outWithJournal(text)
    const taken = join(out, QUARANTINE_DIR, REL)
    mkdirSync(dirname(taken), { recursive: true })
    writeFileSync(taken, 'an earlier one')
    const { logger } = await recoverWithLogger(out)
    expect(readFileSync(taken, 'utf8')).toBe('an earlier one')
    const second = taken.replace(/\.jsonl$/, '.1.jsonl')
    expect(readFileSync(second, 'utf8')).toBe(text)
    expect(logger.warnings).toEqual([expect.stringContaining(second)])
  })
})
