import { FakeExchange } from '@dccd/testkit'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Connection } from '../src/index.js'
import { eventually, FAST } from './support/feeds.js'
import { collect, ScriptFeed } from './support/script-feed.js'

let fx: FakeExchange
let feeds: ScriptFeed[] = []

beforeEach(async () => {
  fx = await FakeExchange.start()
})
afterEach(async () => {
  await Promise.all(feeds.map((f) => f.stop()))
  feeds = []
  await fx.close()
})

/** A heartbeat every 50 ms; a pong over loopback comes back well within the 200 ms allowed, even on a loaded machine. */
const QUIET = { ...FAST, pingIntervalMs: 50, staleTimeoutMs: 200 }

describe('WebSocketBase heartbeat', () => {
  it('hands an overridden sendHeartbeat only the Connection, whose ping() keeps a quiet socket alive', async () => {
    class PingingFeed extends ScriptFeed {
      readonly calls: unknown[][] = []
      protected override sendHeartbeat(...args: [Connection]): void {
        this.calls.push(args)
        args[0].ping() // a WebSocket ping frame: the fake exchange answers it with a pong
      }
    }
    const f = new PingingFeed(fx.wsUrl, QUIET)
    feeds.push(f)
    collect(f)
    const s1 = await fx.waitForConnection(1)
    await s1.waitForMessage()
    await eventually(() => f.calls.length >= 16) // four stale windows with no frame at all
    expect(f.calls.every((args) => args.length === 1 && args[0] === f.connections.get(1))).toBe(true)
    expect(f.stats.staleTimeouts).toBe(0)
    expect(s1.isOpen).toBe(true)
    expect(fx.connections).toHaveLength(1)
  })

  it('pings by default: a quiet socket stays up, while one whose heartbeat sends nothing goes stale', async () => {
    const pinging = new ScriptFeed(fx.wsUrl, QUIET)
    class SilentFeed extends ScriptFeed {
      protected override sendHeartbeat(): void {}
    }
    const silent = new SilentFeed(`${fx.wsUrl}/silent`, QUIET)
    feeds.push(pinging, silent)
    collect(pinging)
    collect(silent)
    await eventually(() => silent.stats.staleTimeouts === 1) // one interval and one timeout: about 250 ms
    await eventually(() => fx.connections.filter((c) => c.path === '/').length === 1)
    const quiet = fx.connections.find((c) => c.path === '/')!
    // The default heartbeat kept the other socket up over the same time and longer.
    await eventually(() => silent.stats.staleTimeouts === 3)
    expect(pinging.stats.staleTimeouts).toBe(0)
    expect(quiet.isOpen).toBe(true)
    expect(fx.connections.filter((c) => c.path === '/')).toHaveLength(1)
  })
})
