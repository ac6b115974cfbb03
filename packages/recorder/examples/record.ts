import { FileCheckpointStore } from '@dccd/core'
import type { Feed } from '@dccd/core'
import { Recorder, acquireLock } from '@dccd/recorder'

export async function record(feed: Feed, symbols: string[], out: string): Promise<void> {
  const release = await acquireLock(out) // one recorder per folder
  let failure: unknown
  const checkpoints = new FileCheckpointStore(`${out}/.checkpoints`) // last trade per stream: no trade recorded twice
  const recorder = new Recorder({ out, format: 'parquet', checkpoints, onFailure: (e) => ((failure = e), void feed.stop()) })
  try {
    await recorder.recover() // seal what a crashed run left in the journal
    await recorder.loadCheckpoints(symbols.map((symbol) => ({ exchange: feed.exchange, symbol }))) // skip trades already recorded
    recorder.start() // flush, fsync + checkpoints, rotation: the recorder's own timers
    for await (const event of feed.stream()) recorder.write(event) // throws once the disk refuses a write
  } finally {
    await recorder.close() // seal every open segment
    release()
  }
  if (failure !== undefined) throw failure
}
