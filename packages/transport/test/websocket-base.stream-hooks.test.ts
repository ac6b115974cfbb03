import { FakeExchange } from '@dccd/testkit'
import type { FakeConnection } from '@dccd/testkit'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Connection } from '../src/index.js'
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

describe('WebSocketBase stream hooks', () => {
  it('runs onStreamStart once onConnect succeeded and before any frame, on the first connect and every reconnect but not for a rotation', async () => {
    // Every socket greets the client before it subscribed: that frame is held and still follows the start records.
    fx.onConnection((connection) => connection.send(`hello${connection.id}`))
    const f = (feed = new ScriptFeed(fx.wsUrl, { ...FAST, rotationOverlapMs: 60_000 }))
    const seen = collect(f)
    const s1 = await fx.waitForConnection(1)
    await eventually(() => seen.includes('hello1'))
    s1.terminate()
    const s2 = await fx.waitForConnection(2)
    await subscribed(s2)
    await eventually(() => seen.includes('hello2'))
    f.rotateConnection(2, 'test')
    await subscribed(await fx.waitForConnection(3))
    await eventually(() => f.log.includes('rotated 2->3'))
    s2.close()
    await eventually(() => seen.includes('complete#2->3'))

    expect(seen).toEqual(['start#1', 'hello1', 'lost#1', 'start#2', 'hello2', 'hello3', 'complete#2->3'])
    const order = f.log.filter((l) => !l.startsWith('subscribed'))
    expect(order).toEqual([
      'connect 1',
      'streamStart 1',
      'parse hello1',
      'disconnect 1',
      'connect 2',
      'streamStart 2',
      'parse hello2',
      'connect 3', // the replacement continues the stream: no streamStart 3
      'rotated 2->3',
      'parse hello3',
      'complete 2->3',
    ])
  })

  it('logs a throwing onStreamStart, onDisconnect or onRotationComplete and carries on', async () => {
    class ThrowingFeed extends ScriptFeed {
      protected override onStreamStart(connection: Connection): Iterable<string> | void {
        super.onStreamStart(connection)
        throw new Error(`start ${connection.id} broke`)
      }
      protected override onDisconnect(connection: Connection, reason: string): Iterable<string> | void {
        super.onDisconnect(connection, reason)
        throw new Error(`disconnect ${connection.id} broke`)
      }
      protected override onRotationComplete(previous: Connection, next: Connection): Iterable<string> | void {
        super.onRotationComplete(previous, next)
        throw new Error('complete broke')
      }
    }
    const logger = memoryLogger()
    const f = (feed = new ThrowingFeed(fx.wsUrl, { ...FAST, rotationOverlapMs: 60_000, logger }))
    const seen = collect(f)
    const s1 = await fx.waitForConnection(1)
    await subscribed(s1)
    s1.send('a1')
    await eventually(() => seen.includes('a1'))
    s1.terminate()
    const s2 = await fx.waitForConnection(2)
    await subscribed(s2)
    s2.send('b1')
    await eventually(() => seen.includes('b1'))
    f.rotateConnection(2, 'test')
    const s3 = await fx.waitForConnection(3)
    await subscribed(s3)
    s3.send('c1')
    await eventually(() => f.log.includes('rotated 2->3'))
    s2.close()
    await eventually(() => seen.includes('c1'))
    s3.send('c2')
    await eventually(() => seen.includes('c2'))

    expect(seen).toEqual(['a1', 'b1', 'c1', 'c2'])
    const errors = logger.entries.filter((e) => e.level === 'error')
    expect(errors.map((e) => [e.message, e.context?.error])).toEqual([
      ['onStreamStart threw', 'start 1 broke'],
      ['onDisconnect threw', 'disconnect 1 broke'],
      ['onStreamStart threw', 'start 2 broke'],
      ['onRotationComplete threw', 'complete broke'],
    ])
  })
})
