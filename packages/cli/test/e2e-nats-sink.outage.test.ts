// `dccd record --sink` through a NATS outage: the real dccd process, the scripted fake exchange (which replays its trades from id 1 on
// every start, as Kraken does) and the real nats-server with JetStream: each trade is in the stream once, whatever
// happens to the recorder or to NATS.
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { fakexProject } from './helpers/fakex.js'
import { expectEachOnce, recordArgs, sharedNatsServer, storedTradeIds, untilStored } from './helpers/nats-record.js'
import { startDccd } from './helpers/spawn.js'
import { until } from './helpers/until.js'

const { server } = sharedNatsServer()

describe('dccd record --sink while NATS is down (end to end)', { timeout: 60_000 }, () => {
  it('loses nothing while nats-server is stopped for seconds and restarted on the same store', async () => {
    const cwd = fakexProject()
    const { args, stream } = recordArgs(server().url, cwd)
    const recorder = startDccd(args, cwd)
    await untilStored(server().url, stream, 300, 'trades in the stream')
    await server().stop()
    const spool = join(cwd, 'data', '.spool')
    await until(() => readdirSync(spool).length > 0, 'the recorder spooling')
    await recorder.waitForOutput('JetStream unavailable')
    // Several seconds of trades (about 2000/s, some 150 bytes each) pile up in the spool while NATS is down.
    const spooled = (): number => readdirSync(spool).reduce((sum, name) => sum + statSync(join(spool, name)).size, 0)
    await until(() => spooled() > 1_000_000, 'several seconds of trades in the spool', 20_000)
    await server().restart()
    await until(() => readdirSync(spool).length === 0, 'the spool drained')
    recorder.child.kill('SIGINT')
    expect((await recorder.finished).code).toBe(0)
    expectEachOnce(await storedTradeIds(server().url, stream))
  })
})
