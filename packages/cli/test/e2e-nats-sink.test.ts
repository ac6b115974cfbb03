// `dccd record --sink`: the real dccd process, the scripted fake exchange (which replays its trades from id 1 on
// every start, as Kraken does) and the real nats-server with JetStream: each trade is in the stream once, whatever
// happens to the recorder or to NATS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { NatsServer } from '../../nats/test/support/nats-server.js'
import { messageCount, streamContents } from '../../nats/test/support/stream-contents.js'
import { fakexProject, writeScript } from './helpers/fakex.js'
import { runDccd, startDccd } from './helpers/spawn.js'
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

describe('dccd record --sink (end to end)', { timeout: 60_000 }, () => {
  it('publishes each trade of the session once, on its subject', async () => {
    const cwd = fakexProject()
    const { args, stream } = recordArgs(cwd)
    const run = await runDccd([...args, '--duration', '1500ms'], cwd)
    expect(run.stderr).toContain(`into JetStream stream ${stream}`)
    expect(run.code).toBe(0)
    const stored = await streamContents(server.url, stream)
    expect(stored[0]!.subject).toBe(`${stream.toLowerCase()}.fakex.trade.BTC~002fUSD`)
    const ids = await storedTradeIds(stream)
    expect(ids).toEqual(ids.map((_, i) => i + 1)) // in order, too
    expect(run.stderr).toMatch(new RegExp(`${stored.length} event\\(s\\) acknowledged`))
  })

  it('leaves each trade once after kill -9 and a restart', async () => {
    const cwd = fakexProject()
    const { args, stream } = recordArgs(cwd)
    const first = startDccd(args, cwd)
    await untilStored(stream, 400, 'trades in the stream')
    first.child.kill('SIGKILL')
    expect((await first.finished).signal).toBe('SIGKILL')
    const second = await runDccd([...args, '--duration', '1s'], cwd)
    expect(second.code).toBe(0)
    expectEachOnce(await storedTradeIds(stream))
  })

  it('leaves each trade once when two recorders record the same symbols', async () => {
    const cwd = fakexProject()
    const { args, stream } = recordArgs(cwd)
    const [a, b] = await Promise.all([runDccd([...args, '--out', 'a', '--duration', '1500ms'], cwd), runDccd([...args, '--out', 'b', '--duration', '1500ms'], cwd)])
    expect([a.code, b.code]).toEqual([0, 0])
    expect(`${a.stderr}${b.stderr}`).toContain('already there (duplicate message ids)')
    expectEachOnce(await storedTradeIds(stream))
  })
})
