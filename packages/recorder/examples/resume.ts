import { FileCheckpointStore } from '@dccd/core'
import type { ExchangeAdapter } from '@dccd/core'
import { Recorder, acquireLock } from '@dccd/recorder'

export async function recordResuming(exchange: ExchangeAdapter, symbols: string[], out: string, signal: AbortSignal): Promise<void> {
  const release = await acquireLock(out)
  const recorder = new Recorder({ out, format: 'parquet', checkpoints: new FileCheckpointStore(`${out}/.checkpoints`) })
  try {
    await recorder.recover() // first: what a crashed run left in the journal moves the checkpoints
    const streams = symbols.map((symbol) => ({ exchange: exchange.id, symbol, trades: true, barIntervals: ['1m'] }))
    const resume = await recorder.resumePoints(streams) // durable checkpoints only; also loads them to skip duplicates
    const feed = exchange.createFeed({ symbols, channels: ['trades', 'bars:1m'], resume: resume[exchange.id] })
    signal.addEventListener('abort', () => void feed.stop())
    recorder.start()
    for await (const event of feed.stream()) recorder.write(event) // what was missed comes first, from REST history
  } finally {
    await recorder.close()
    release()
  }
}
