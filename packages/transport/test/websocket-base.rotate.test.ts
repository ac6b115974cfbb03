import { FakeExchange } from '@dccd/testkit'
import type { FakeConnection } from '@dccd/testkit'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { eventually, FAST, memoryLogger } from './support/feeds.js'
import { collect, ScriptFeed } from './support/script-feed.js'

let fx: FakeExchange
let feed: ScriptFeed | undefined

beforeEach(async () => {
  fx = await FakeExchange.start()
})
afterEach(async () => {
  await feed?.stop()
  await fx.close()
  feed = undefined
})

const subscribed = (connection: FakeConnection): Promise<string> => connection.waitForMessage((m) => m === 'subscribe')

/** Reasons of every rotation the slot started (it logs each one as it opens the replacement). */
function rotationsStarted(logger: ReturnType<typeof memoryLogger>): unknown[] {
  return logger.entries.filter((e) => e.message === 'rotating websocket').map((e) => e.context?.reason)
}

describe('WebSocketBase rotate(connection)', () => {
  it('replaces the active socket: a replacement opens at once, takes over, and the old one closes without a disconnect', async () => {
    const logger = memoryLogger()
    const f = (feed = new ScriptFeed(fx.wsUrl, { ...FAST, rotationOverlapMs: 20, logger }))
    const seen = collect(f)
    const s1 = await fx.waitForConnection(1)
    await subscribed(s1)
    f.rotateConnection(1, 'server will restart')
    expect(rotationsStarted(logger)).toEqual(['server will restart'])
    const s2 = await fx.waitForConnection(2)
    await subscribed(s2)
    s2.send('b1') // its first frame starts the overlap
    await s1.closed
    await eventually(() => seen.includes('b1'))
    expect(s1.closeCode).toBe(1000)
    expect(seen).toEqual(['start#1', 'b1', 'complete#1->2'])
    expect(f.log).not.toContain('disconnect 1')
  })

  it('is a no-op for a socket already retiring in a rotation', async () => {
    const logger = memoryLogger()
    const f = (feed = new ScriptFeed(fx.wsUrl, { ...FAST, rotationOverlapMs: 60_000, logger }))
    const seen = collect(f)
    const s1 = await fx.waitForConnection(1)
    await subscribed(s1)
    f.rotateConnection(1, 'first')
    await subscribed(await fx.waitForConnection(2))
    await eventually(() => f.log.includes('rotated 1->2'))

    f.rotateConnection(1, 'asked of the retiring socket') // socket 1 is on its way out already
    s1.close()
    // A rotation asked for during the overlap would start right as it completes (same turn as the hook).
    await eventually(() => seen.includes('complete#1->2'))
    expect(rotationsStarted(logger)).toEqual(['first'])

    f.rotateConnection(2, 'asked of the active socket') // the control: this one is honoured
    expect(rotationsStarted(logger)).toEqual(['first', 'asked of the active socket'])
  })

  it('is a no-op for a replacement still opening, and for its active socket meanwhile', async () => {
    const logger = memoryLogger()
    const f = (feed = new ScriptFeed(fx.wsUrl, { ...FAST, rotationOverlapMs: 60_000, logger }))
    const seen = collect(f)
    const s1 = await fx.waitForConnection(1)
    await subscribed(s1)
    f.holdConnect(2)
    f.rotateConnection(1, 'first')
    await subscribed(await fx.waitForConnection(2))
    f.rotateConnection(2, 'asked of the replacement')
    f.rotateConnection(1, 'asked again of the active socket')
    f.finishConnect(2)
    await eventually(() => f.log.includes('rotated 1->2'))
    s1.close()
    await eventually(() => seen.includes('complete#1->2'))
    expect(rotationsStarted(logger)).toEqual(['first'])
    expect(fx.connections).toHaveLength(2)
  })

  it('waits for a socket still connecting to take over, then rotates it', async () => {
    const logger = memoryLogger()
    const f = (feed = new ScriptFeed(fx.wsUrl, { ...FAST, rotationOverlapMs: 20, logger }))
    f.holdConnect(1)
    const seen = collect(f)
    const s1 = await fx.waitForConnection(1)
    await subscribed(s1)
    f.rotateConnection(1, 'announced during subscribe') // onConnect of socket 1 has not finished
    expect(rotationsStarted(logger)).toEqual([])

    f.finishConnect(1)
    const s2 = await fx.waitForConnection(2)
    expect(rotationsStarted(logger)).toEqual(['announced during subscribe'])
    await subscribed(s2)
    s2.send('b1')
    await eventually(() => seen.includes('complete#1->2'))
    expect(seen).toEqual(['start#1', 'b1', 'complete#1->2'])
    expect(f.log).toContain('rotated 1->2')
    expect(f.log).not.toContain('disconnect 1')
  })
})
