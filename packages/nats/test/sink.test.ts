import { mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { MemoryCheckpointStore } from '@dccd/core'
import type { MarketEvent } from '@dccd/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { JetStreamSink, StreamConflictError, messageId } from '../src/index.js'
import type { JetStreamSinkOptions } from '../src/index.js'
import { jetstreamManager } from '@nats-io/jetstream'
import { connect } from '@nats-io/transport-node'
import { NatsServer } from './support/nats-server.js'
import { streamContents, trades } from './support/stream-contents.js'

let server: NatsServer
beforeAll(async () => {
  server = await NatsServer.start()
})
afterAll(async () => {
  await server.close()
})

let streams = 0
/** Options for a sink on a fresh stream (and subject prefix) of the shared server. */
function sinkOptions(overrides: Partial<JetStreamSinkOptions> = {}): JetStreamSinkOptions {
  const n = ++streams
  return { servers: server.url, stream: `T${n}`, subjectPrefix: `t${n}`, spoolDir: mkdtempSync(join(tmpdir(), 'dccd-spool-')), checkpoints: new MemoryCheckpointStore(), ...overrides }
}

describe('JetStreamSink', { timeout: 20_000 }, () => {
  it('stores each event once, as its plain JSON, on its subject with its message id, in order per subject', async () => {
    const options = sinkOptions()
    const sink = await JetStreamSink.connect(options)
    const events = [...trades('BTC/USD', 1, 1500), ...trades('ETHUSDT', 1, 1500)].sort((a, b) => a.localTimestamp - b.localTimestamp)
    for (const event of events) sink.write(event)
    await sink.close()
    const stored = await streamContents(server.url, options.stream!)
    expect(stored.map((m) => m.event)).toEqual(events)
    expect(stored[0]!.subject).toBe(`${options.subjectPrefix}.fakex.trade.BTC~002fUSD`)
    expect(stored.map((m) => m.msgId)).toEqual(events.map(messageId))
    expect(sink.stats).toMatchObject({ acked: 3000, duplicates: 0, inFlight: 0, queued: 0, spooledBytes: 0, state: 'connected' })
    expect(readdirSync(options.spoolDir)).toEqual([])
  })

  it('keeps each trade once when two sinks publish the same events', async () => {
    const options = sinkOptions()
    const a = await JetStreamSink.connect(options)
    const b = await JetStreamSink.connect({ ...options, spoolDir: mkdtempSync(join(tmpdir(), 'dccd-spool-')), checkpoints: new MemoryCheckpointStore() })
    const events = trades('BTCUSDT', 1, 1000)
    for (const event of events) {
      a.write(event)
      b.write(event)
    }
    await Promise.all([a.close(), b.close()])
    expect((await streamContents(server.url, options.stream!)).map((m) => m.event)).toEqual(events)
    expect(a.stats.duplicates + b.stats.duplicates).toBe(1000)
  })

  it('moves its checkpoints over acknowledged trades and closed bars only, and skips what they cover after a restart', async () => {
    const checkpoints = new MemoryCheckpointStore()
    const options = sinkOptions({ checkpoints })
    const streamsOf = [{ exchange: 'fakex', symbol: 'BTCUSDT', trades: true, barIntervals: ['1m'] }]
    const sink = await JetStreamSink.connect(options)
    expect(await sink.resumePoints(streamsOf)).toEqual({})
    const bar = (openTime: number, closed: boolean): MarketEvent =>
      ({ type: 'bar', exchange: 'fakex', symbol: 'BTCUSDT', interval: '1m', openTime, open: 1, high: 2, low: 1, close: 2, volume: 3, closed, timestamp: openTime + 60e6, localTimestamp: openTime + 61e6 }) as MarketEvent
    const t0 = Date.UTC(2026, 0, 1) * 1000
    for (const event of [...trades('BTCUSDT', 1, 10), bar(t0, true), bar(t0 + 60e6, false)]) sink.write(event)
    await sink.close()
    const expected = { fakex: { BTCUSDT: { trades: { lastId: '10', lastTimestamp: (trades('BTCUSDT', 10, 10)[0] as { timestamp: number }).timestamp }, bars: { '1m': { lastOpenTime: t0 } } } } }
    expect(await checkpoints.load(`nats/${options.stream}/fakex/trades/BTCUSDT`)).toMatchObject({ lastId: '10' })

    const again = await JetStreamSink.connect(options)
    expect(await again.resumePoints(streamsOf)).toEqual(expected)
    for (const event of trades('BTCUSDT', 5, 12)) again.write(event)
    await again.close()
    expect(again.stats).toMatchObject({ skipped: 6, acked: 2 })
    expect((await streamContents(server.url, options.stream!)).filter((m) => m.event.type === 'trade').map((m) => (m.event as { id: string }).id)).toEqual(
      Array.from({ length: 12 }, (_, i) => String(i + 1)),
    )
  })

  it('refuses a stream that exists with other subjects', async () => {
    const options = sinkOptions()
    await (await JetStreamSink.connect(options)).close()
    const error = await JetStreamSink.connect({ ...options, subjectPrefix: 'other' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(StreamConflictError)
    expect(error).toMatchObject({ code: 'DCCD_STREAM_CONFLICT', stream: options.stream })
    expect((error as Error).message).toContain('other.>')
  })

  it('creates a missing stream with the retention, age limit, replicas and duplicate window asked for', async () => {
    const options = sinkOptions({ retention: 'interest', maxAgeMs: 3_600_000, replicas: 1, duplicateWindowMs: 300_000 })
    await (await JetStreamSink.connect(options)).close()
    const nc = await connect({ servers: server.url })
    try {
      const info = await (await jetstreamManager(nc)).streams.info(options.stream!)
      expect(info.config).toMatchObject({
        subjects: [`${options.subjectPrefix}.>`],
        retention: 'interest',
        max_age: 3_600_000 * 1e6,
        num_replicas: 1,
        duplicate_window: 300_000 * 1e6,
      })
    } finally {
      await nc.close()
    }
  })
})
