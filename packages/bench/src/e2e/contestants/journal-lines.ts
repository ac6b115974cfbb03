/**
 * The journal-line floor: what a hand-written recorder does at least. A bare
 * `ws` client `JSON.parse`s every frame and appends its payload as one JSON
 * line to a file, on the journal's cadence: lines queued, written with one
 * `fs.writeSync` every 200 ms and fsynced once a second (the recorder's
 * `flushIntervalMs` and `syncIntervalMs` defaults). No normalizing, no book
 * sync, no Parquet: the gap to dccd's recorder is the price of those.
 */
import { closeSync, fsyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { readFrames } from './frame-reader.js'
import type { ContestantRun, ContestantSpec, Progress } from './run.js'

const FLUSH_MS = 200
const SYNC_MS = 1000

export async function runJournalLines(spec: ContestantSpec, progress: Progress): Promise<ContestantRun> {
  const dir = mkdtempSync(join(tmpdir(), 'dccd-bench-lines-'))
  const fd = openSync(join(dir, 'journal.jsonl'), 'a')
  let pending: string[] = []
  const flush = (): void => {
    if (pending.length === 0) return
    writeSync(fd, pending.join(''))
    pending = []
  }
  const flushTimer = setInterval(flush, FLUSH_MS)
  const syncTimer = setInterval(() => fsyncSync(fd), SYNC_MS)
  try {
    return await readFrames<{ stream?: unknown; channel?: unknown; data?: unknown }>(spec, progress, {
      instrument: false,
      // One line per data frame: on Binance one frame is one event (a trade or a depth update).
      onMessage: (message) => {
        if (message.data !== undefined) pending.push(`${JSON.stringify(message.data)}\n`)
      },
      // The last lines count: written and fsynced before the clock stops.
      finish: (elapsedMs, frames) => {
        const started = performance.now()
        flush()
        fsyncSync(fd)
        return { elapsedMs: elapsedMs + performance.now() - started, frames, problems: [] }
      },
    })
  } finally {
    clearInterval(flushTimer)
    clearInterval(syncTimer)
    closeSync(fd)
    rmSync(dir, { recursive: true, force: true })
  }
}
