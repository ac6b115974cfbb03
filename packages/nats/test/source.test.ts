import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { MarketEvent } from '@dccd/core'
import { jetstreamManager } from '@nats-io/jetstream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { JetStreamSource } from '../src/index.js'
import type { SourceMessage } from '../src/index.js'
import { NatsServer } from './support/nats-server.js'
import { generateSession, publishEvents, streamClient } from './support/session.js'

let server: NatsServer
let quarantine: string

beforeAll(async () => {
  server = await NatsServer.start()
  quarantine = mkdtempSync(join(tmpdir(), 'dccd-nats-q-'))
})
afterAll(async () => {
  await server.close()
  rmSync(quarantine, { recursive: true, force: true })
})

/** Every event of the source until it is caught up, acknowledging each batch. */
async function drain(source: JetStreamSource): Promise<MarketEvent[]> {
  const events: MarketEvent[] = []
  for await (const batch of source.batches()) {
    events.push(...batch.map((m) => m.event))
    for (const message of batch) message.ack()
  }
  return events
}

describe('JetStreamSource', () => {
  it('yields every published event in stream order, decoded as published', async () => {
    const { nc, js } = await streamClient(server.url, 'ORDER')
    const events = generateSession({ trades: 60 })
    await publishEvents(js, events)
    const source = await JetStreamSource.connect({ servers: server.url, stream: 'ORDER', quarantineDir: quarantine, untilCaughtUp: true, batchSize: 50 })
    expect(await drain(source)).toEqual(events)
    expect(source.stats).toMatchObject({ received: events.length, acked: events.length, malformed: 0, pending: 0 })
    await source.close()
    await nc.close()
  })

  it('quarantines, counts and terminates a message that is not an event, and yields the rest', async () => {
    const { nc, js } = await streamClient(server.url, 'BAD')
    const [first, second] = generateSession({ symbols: ['BTCUSDT'], trades: 2 }).filter((e) => e.type === 'trade')
    await publishEvents(js, [first!])
    await js.publish('dccd.binance.trade.BTCUSDT', '{"type":"trade", not json')
    await js.publish('dccd.binance.trade.ETHUSDT', JSON.stringify(second)) // the subject names another symbol
    await publishEvents(js, [second!])
    const source = await JetStreamSource.connect({ servers: server.url, stream: 'BAD', quarantineDir: quarantine, untilCaughtUp: true })
    expect(await drain(source)).toEqual([first, second])
    expect(source.stats.malformed).toBe(2)
    const lines = readFileSync(join(quarantine, 'BAD.rejected.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>)
    expect(lines.map((l) => [l.seq, l.subject])).toEqual([[2, 'dccd.binance.trade.BTCUSDT'], [3, 'dccd.binance.trade.ETHUSDT']])
    expect(Buffer.from(String(lines[0]!.base64), 'base64').toString()).toBe('{"type":"trade", not json')
    expect(lines[1]!.reason).toContain('ETHUSDT')
    await source.close()
    // Terminated: nothing is left for the durable to deliver again.
    const jsm = await jetstreamManager(nc)
    const info = await jsm.consumers.info('BAD', 'dccd-files')
    expect([info.num_ack_pending, info.num_pending]).toEqual([0, 0])
    await nc.close()
  })

  it('after a writer died holding unacknowledged messages, the next one gets them first, in order', async () => {
    const { nc, js } = await streamClient(server.url, 'CRASH')
    const events = generateSession({ symbols: ['BTCUSDT'], trades: 200 })
    await publishEvents(js, events)
    const options = { servers: server.url, stream: 'CRASH', quarantineDir: quarantine, batchSize: 40, ackWaitMs: 60_000 }
    const first = await JetStreamSource.connect(options)
    const got: MarketEvent[] = []
    const batches = first.batches()
    const acked = (await batches.next()).value as SourceMessage[]
    for (const message of acked) message.ack()
    got.push(...acked.map((m) => m.event))
    await batches.next() // delivered, never acknowledged: the writer "dies" here
    await first.close()
    const second = await JetStreamSource.connect({ ...options, untilCaughtUp: true })
    got.push(...(await drain(second)))
    // Without the restart at the ack floor these 40 would come back only after ack_wait, behind the rest.
    expect(got).toEqual(events)
    await second.close()
    await nc.close()
  })

  it('replays from a stored time and stops before --to-time', async () => {
    const { nc, js } = await streamClient(server.url, 'WINDOW')
    const jsm = await jetstreamManager(nc)
    const [a, b, c] = [0, 1, 2].map((k) => generateSession({ symbols: ['BTCUSDT'], trades: 5, firstId: 1 + k * 5, start: 1_764_547_200_000_000 + k * 3_600_000_000 }))
    const storedAfter = async (events: MarketEvent[]): Promise<number> => {
      const seq = await publishEvents(js, events)
      const stored = await jsm.streams.getMessage('WINDOW', { seq })
      // The next batch must be stored in a later millisecond than this one (ISO times have ms): wait for the clock.
      const ms = stored!.time.getTime() + 1
      while (Date.now() <= ms) await new Promise((resolve) => setImmediate(resolve))
      return ms * 1000
    }
    const from = await storedAfter(a!)
    const to = await storedAfter(b!)
    await publishEvents(js, c!)
    const source = await JetStreamSource.connect({ servers: server.url, stream: 'WINDOW', quarantineDir: quarantine, fromTime: from, toTime: to })
    expect(await drain(source)).toEqual(b)
    await source.close()
    await nc.close()
  })
})
