// NATS gone mid-run: the real nats-server stopped and started again on the same store.
import { mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { MemoryCheckpointStore } from '@dccd/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { JetStreamSink, SpoolFullError } from '../src/index.js'
import type { JetStreamSinkOptions } from '../src/index.js'
import { NatsServer } from './support/nats-server.js'
import { streamContents, trades, until } from './support/stream-contents.js'

let server: NatsServer
beforeEach(async () => {
  server = await NatsServer.start()
})
afterEach(async () => {
  await server.close()
})

function sinkOptions(overrides: Partial<JetStreamSinkOptions> = {}): JetStreamSinkOptions {
  return { servers: server.url, spoolDir: mkdtempSync(join(tmpdir(), 'dccd-spool-')), checkpoints: new MemoryCheckpointStore(), ackTimeoutMs: 1000, ...overrides }
}

const ids = (events: { event: unknown }[]): string[] => events.map((m) => (m.event as { id: string }).id)

describe('JetStreamSink during a NATS outage', { timeout: 20_000 }, () => {
  it('spools while the server is down and drains in order once it is back: nothing lost, nothing twice', async () => {
    const checkpoints = new MemoryCheckpointStore()
    const options = sinkOptions({ checkpoints, maxQueued: 50, syncIntervalMs: 50 })
    const sink = await JetStreamSink.connect(options)
    const all = trades('BTCUSDT', 1, 3000)
    for (const event of all.slice(0, 1000)) sink.write(event)
    await sink.settled()
    await server.stop()
    await until(() => sink.stats.state === 'spooling', 'the sink to notice')
    for (const event of all.slice(1000, 2500)) sink.write(event)
    expect(sink.stats.spooledBytes).toBeGreaterThan(0)
    expect(sink.stats.queued).toBe(0)
    // Nothing past what JetStream acknowledged is checkpointed.
    const streamsOf = [{ exchange: 'fakex', symbol: 'BTCUSDT', trades: true, barIntervals: [] }]
    expect((await sink.resumePoints(streamsOf)).fakex?.BTCUSDT?.trades?.lastId).toBe('1000')

    await server.restart()
    for (const event of all.slice(2500)) sink.write(event)
    await sink.settled()
    expect((await sink.resumePoints(streamsOf)).fakex?.BTCUSDT?.trades?.lastId).toBe('3000')
    await sink.close()
    expect(ids(await streamContents(server.url, 'DCCD'))).toEqual(all.map((t) => (t as { id: string }).id))
    expect(readdirSync(options.spoolDir)).toEqual([])
  })

  it('throws SpoolFullError once the spool reaches its limit, and drains what it holds on the next start', async () => {
    const options = sinkOptions({ maxQueued: 10, maxSpoolBytes: 20_000 })
    const sink = await JetStreamSink.connect(options)
    await server.stop()
    await until(() => sink.stats.state === 'spooling', 'the sink to notice')
    const all = trades('ETH/USD', 1, 1000)
    let written = 0
    let error: unknown
    try {
      for (const event of all) (sink.write(event), written++)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(SpoolFullError)
    expect(error).toMatchObject({ code: 'DCCD_SPOOL_FULL', spoolDir: options.spoolDir, maxSpoolBytes: 20_000 })
    expect((error as Error).message).toContain(options.spoolDir)
    expect(written).toBeGreaterThan(50)
    expect(() => sink.write(all[999]!)).toThrow(SpoolFullError)
    expect((await sink.close({ drainTimeoutMs: 0 })).leftInSpool).toBeGreaterThanOrEqual(0)

    await server.restart()
    const next = await JetStreamSink.connect({ ...options, maxSpoolBytes: 1024 ** 2 })
    await next.settled()
    await next.close()
    expect(ids(await streamContents(server.url, 'DCCD'))).toEqual(all.slice(0, written).map((t) => (t as { id: string }).id))
    expect(readdirSync(options.spoolDir)).toEqual([])
  })
})
