/**
 * dccd recording, as `dccd record` does it: Binance's `createFeed` (trades
 * and books, every check as shipped) → `Recorder.write` for every event, into
 * a temporary folder as Parquet with the recorder's defaults (journal flushed
 * every 200 ms and fsynced every second, a segment sealed every 100,000 rows,
 * hour or UTC midnight), then `close()` seals what is left. The clock runs from
 * the first event to the end of `close()`: a rate that left rows unsealed would
 * flatter us. The folder is removed afterwards.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FileCheckpointStore } from '@dccd/core'
import { Recorder } from '@dccd/recorder'
import { emptyTallies } from '../session.js'
import { createE2eFeed } from './dccd.js'
import { tallyTrade, type ContestantRun, type ContestantSpec, type Progress } from './run.js'

export async function runDccdRecorder(spec: ContestantSpec, progress: Progress): Promise<ContestantRun> {
  const out = mkdtempSync(join(tmpdir(), 'dccd-bench-recorder-'))
  try {
    // `dccd record` passes only `rotateMs` (default 1 h, the recorder's own default too) besides the folder and format.
    const recorder = new Recorder({ out, format: 'parquet', checkpoints: new FileCheckpointStore(join(out, '.checkpoints')) })
    recorder.start()
    // Validated, as `dccd record` does: the feed then reads the venue's REST weight limit. Without it the feed assumes
    // Binance's lowest (1,200 a minute), 19 snapshots a minute, and 64 symbols would wait minutes for their books.
    const feed = await createE2eFeed(spec, true)
    const tallies = emptyTallies(spec.symbols)
    const problems: string[] = []
    let events = 0
    let first = 0
    progress.describe = () => JSON.stringify({ tallies, problems, stats: feed.stats, recorder: recorder.stats })
    for await (const event of feed.stream()) {
      recorder.write(event) // status events too, as `dccd record` keeps them
      if (event.type === 'book') tallies[event.symbol]!.bookEvents++
      else if (event.type === 'trade') tallyTrade(tallies[event.symbol]!, Number(event.id), problems, event.symbol)
      else {
        if (event.type === 'status' && event.status !== 'connected') problems.push(`status ${event.status}: ${event.symbol ?? ''} ${event.reason ?? ''}`)
        continue
      }
      if (events === 0) first = performance.now()
      progress.items = ++events
      if (events === spec.events) break // ends the stream: stop() closes the socket
    }
    await recorder.close()
    const elapsedMs = performance.now() - first
    const { rowsSealed, filesSealed } = recorder.stats
    return { elapsedMs, perSymbol: tallies, recorded: { rowsSealed, filesSealed }, problems }
  } finally {
    rmSync(out, { recursive: true, force: true })
  }
}
