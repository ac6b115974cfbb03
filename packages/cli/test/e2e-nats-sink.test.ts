// `dccd record --sink`: the real dccd process, the scripted fake exchange (which replays its trades from id 1 on
// every start, as Kraken does) and the real nats-server with JetStream: each trade is in the stream once, whatever
// happens to the recorder or to NATS.
import { describe, expect, it } from 'vitest'
import { streamContents } from '../../nats/test/support/stream-contents.js'
import { fakexProject } from './helpers/fakex.js'
import { expectEachOnce, recordArgs, sharedNatsServer, storedTradeIds, untilStored } from './helpers/nats-record.js'
import { runDccd, startDccd } from './helpers/spawn.js'

const { server } = sharedNatsServer()

describe('dccd record --sink (end to end)', { timeout: 60_000 }, () => {
  it('publishes each trade of the session once, on its subject', async () => {
    const cwd = fakexProject()
    const { args, stream } = recordArgs(server().url, cwd)
    const run = await runDccd([...args, '--duration', '1500ms'], cwd)
    expect(run.stderr).toContain(`into JetStream stream ${stream}`)
    expect(run.code).toBe(0)
    const stored = await streamContents(server().url, stream)
    expect(stored[0]!.subject).toBe(`${stream.toLowerCase()}.fakex.trade.BTC~002fUSD`)
    const ids = await storedTradeIds(server().url, stream)
    expect(ids).toEqual(ids.map((_, i) => i + 1)) // in order, too
    expect(run.stderr).toMatch(new RegExp(`${stored.length} event\\(s\\) acknowledged`))
  })

  it('leaves each trade once after kill -9 and a restart', async () => {
    const cwd = fakexProject()
    const { args, stream } = recordArgs(server().url, cwd)
    const first = startDccd(args, cwd)
    await untilStored(server().url, stream, 400, 'trades in the stream')
    first.child.kill('SIGKILL')
    expect((await first.finished).signal).toBe('SIGKILL')
    const second = await runDccd([...args, '--duration', '1s'], cwd)
    expect(second.code).toBe(0)
    expectEachOnce(await storedTradeIds(server().url, stream))
  })

  it('leaves each trade once when two recorders record the same symbols', async () => {
    const cwd = fakexProject()
    const { args, stream } = recordArgs(server().url, cwd)
    const [a, b] = await Promise.all([runDccd([...args, '--out', 'a', '--duration', '1500ms'], cwd), runDccd([...args, '--out', 'b', '--duration', '1500ms'], cwd)])
    expect([a.code, b.code]).toEqual([0, 0])
    expect(`${a.stderr}${b.stderr}`).toContain('already there (duplicate message ids)')
    expectEachOnce(await storedTradeIds(server().url, stream))
  })
})
