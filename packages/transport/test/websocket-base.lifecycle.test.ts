import { FeedStoppedError } from '@dccd/core'
import { FakeExchange } from '@dccd/testkit'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FAST } from './support/feeds.js'
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

/** Asserts `signal` was aborted with the feed's stop reason. */
function expectStopped(signal: AbortSignal): void {
  expect(signal.aborted).toBe(true)
  expect(signal.reason).toBeInstanceOf(FeedStoppedError)
  expect((signal.reason as FeedStoppedError).code).toBe('DCCD_FEED_STOPPED')
}

describe('WebSocketBase lifecycle signal', () => {
  it('is aborted with FeedStoppedError on stop(), and not before', async () => {
    const f = (feed = new ScriptFeed(fx.wsUrl, FAST))
    collect(f)
    await (await fx.waitForConnection(1)).waitForMessage()
    expect(f.lifecycle.aborted).toBe(false)
    const stopping = f.stop()
    expectStopped(f.lifecycle) // at once, not when the sockets have closed
    await stopping
  })

  it('is aborted when the consumer breaks out of stream()', async () => {
    const f = (feed = new ScriptFeed(fx.wsUrl, FAST))
    void fx.waitForConnection(1).then(async (s1) => {
      await s1.waitForMessage()
      s1.send('a1')
    })
    for await (const record of f.stream()) {
      if (record === 'a1') break
    }
    expectStopped(f.lifecycle)
  })

  it('is aborted with FeedStoppedError, not the caller’s reason, when the signal option aborts', async () => {
    const controller = new AbortController()
    const f = (feed = new ScriptFeed(fx.wsUrl, { ...FAST, signal: controller.signal }))
    collect(f)
    await (await fx.waitForConnection(1)).waitForMessage()
    controller.abort(new Error('user pressed ctrl-c'))
    expectStopped(f.lifecycle)
  })

  it('is aborted after fail(), while the stream ends with the failure', async () => {
    const f = (feed = new ScriptFeed(fx.wsUrl, FAST))
    const records = f.stream()
    await (await fx.waitForConnection(1)).waitForMessage()
    const failure = new Error('exchange refused the symbol')
    f.failWith(failure)
    expectStopped(f.lifecycle)
    expect((await records.next()).value).toBe('start#1')
    await expect(records.next()).rejects.toBe(failure)
  })
})
