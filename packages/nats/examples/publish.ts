import { FileCheckpointStore } from '@dccd/core'
import type { ExchangeAdapter } from '@dccd/core'
import { JetStreamSink } from '@dccd/nats'

export async function publish(exchange: ExchangeAdapter, symbols: string[], signal: AbortSignal): Promise<void> {
  const sink = await JetStreamSink.connect({
    servers: 'nats://127.0.0.1:4222', // stream DCCD on dccd.> is created if missing
    spoolDir: './data/.spool', // where events wait while NATS is down or slow
    checkpoints: new FileCheckpointStore('./data/.checkpoints'), // last acknowledged trade per symbol
  })
  const streams = symbols.map((symbol) => ({ exchange: exchange.id, symbol, trades: true, barIntervals: [] }))
  const resume = (await sink.resumePoints(streams))[exchange.id] // continue after what JetStream has
  const feed = exchange.createFeed({ symbols, channels: ['trades'], resume })
  signal.addEventListener('abort', () => void feed.stop())
  try {
    for await (const event of feed.stream()) sink.write(event) // throws SpoolFullError past maxSpoolBytes
  } finally {
    await sink.close() // waits for the acks; the rest stays in the spool for the next start
  }
}
