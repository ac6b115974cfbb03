// `dccd record --sink` through a NATS outage: the real dccd process, the scripted fake exchange (which replays its trades from id 1 on
// every start, as Kraken does) and the real nats-server with JetStream: each trade is in the stream once, whatever
// happens to the recorder or to NATS.
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { NatsServer } from '../../nats/test/support/nats-server.js'
import { messageCount, streamContents } from '../../nats/test/support/stream-contents.js'
import { fakexProject, writeScript } from './helpers/fakex.js'
import { startDccd } from './helpers/spawn.js'
import { until } from './helpers/until.js'

let server: NatsServer
beforeAll(async () => {
  server = await NatsServer.start()
})
afterAll(async () => {
  await server.close()
})

let streams = 0
/** `dccd record` of an endless fakex trade stream into a fresh stream of the shared server. */
function recordArgs(cwd: string, out = 'data'): { args: string[]; stream: string } {
  const stream = `E${++streams}`
  const url = writeScript(cwd, { liveTrades: { symbol: 'BTC/USD', everyMs: 2, batch: 4 } })
  const args = ['record', 'fakex', 'BTC/USD', '--channels', 'trades', '--out', out, '--ws-url', url, '--sink', server.url, '--stream', stream, '--subject-prefix', stream.toLowerCase()]
  return { args, stream }
}

/** Trade ids in the stream, in stream order. */
async function storedTradeIds(stream: string): Promise<number[]> {
  return (await streamContents(server.url, stream)).filter((m) => m.event.type === 'trade').map((m) => Number((m.event as { id: string }).id))
}

async function untilStored(stream: string, count: number, what: string): Promise<void> {
  let n = -1
  let asking = false
  const ask = (): void => {
    if (asking) return
    asking = true
    void messageCount(server.url, stream).then((count) => ((n = count), (asking = false)))
  }
  await until(() => (ask(), n >= count), what, 15_000)
}

/** Every id from 1 to the last, once each. */
function expectEachOnce(ids: number[]): void {
  expect(ids.length).toBeGreaterThan(100)
  expect([...ids].sort((a, b) => a - b)).toEqual(ids.map((_, i) => i + 1))
}

describe('dccd record --sink while NATS is down (end to end)', { timeout: 60_000 }, () => {
  it('loses nothing while nats-server is stopped for seconds and restarted on the same store', async () => {
    const cwd = fakexProject()
    const { args, stream } = recordArgs(cwd)
    const recorder = startDccd(args, cwd)
    await untilStored(stream, 300, 'trades in the stream')
    await server.stop()
    const spool = join(cwd, 'data', '.spool')
    await until(() => readdirSync(spool).length > 0, 'the recorder spooling')
    await recorder.waitForOutput('JetStream unavailable')
    // Several seconds of trades (about 2000/s, some 150 bytes each) pile up in the spool while NATS is down.
    const spooled = (): number => readdirSync(spool).reduce((sum, name) => sum + statSync(join(spool, name)).size, 0)
    await until(() => spooled() > 1_000_000, 'several seconds of trades in the spool', 20_000)
    await server.restart()
    await until(() => readdirSync(spool).length === 0, 'the spool drained')
    recorder.child.kill('SIGINT')
    expect((await recorder.finished).code).toBe(0)
    expectEachOnce(await storedTradeIds(stream))
  })
})
