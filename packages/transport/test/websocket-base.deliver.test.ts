import { FakeExchange } from '@dccd/testkit'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { InputContext } from '../src/index.js'
import { eventually, FAST, take } from './support/feeds.js'
import { ScriptFeed } from './support/script-feed.js'

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

/** A REST-like answer turned into records, as an adapter's snapshot parser would. */
const parseSnapshot = (body: { levels: number[] }, _context: InputContext): string[] => body.levels.map((level) => `level ${level}`)

describe('WebSocketBase deliver()', () => {
  it('queues the parsed records after every record already queued, and before later frames', async () => {
    const f = (feed = new ScriptFeed(fx.wsUrl, FAST))
    const records = f.stream() // not read yet: everything stays queued
    const s1 = await fx.waitForConnection(1)
    await s1.waitForMessage()
    s1.send('a1')
    s1.send('a2')
    await eventually(() => f.stats.queued === 3)
    let context: { receivedAt: number } | undefined
    f.deliverInput({ levels: [1, 2] }, (body, ctx) => {
      context = { ...ctx }
      return parseSnapshot(body, ctx)
    })
    s1.send('a3')
    expect(await take(records, 6)).toEqual(['start#1', 'a1', 'a2', 'level 1', 'level 2', 'a3'])
    expect(Number.isInteger(context?.receivedAt)).toBe(true)
    expect(context!.receivedAt).toBeGreaterThan(1.6e15) // µs since the epoch
  })

  it('is ignored after stop(): parse is not called and nothing joins the stream', async () => {
    const f = (feed = new ScriptFeed(fx.wsUrl, FAST))
    const records = f.stream()
    await (await fx.waitForConnection(1)).waitForMessage()
    await f.stop()
    const parse = vi.fn(parseSnapshot)
    f.deliverInput({ levels: [1] }, parse)
    expect(parse).not.toHaveBeenCalled()
    expect(await take(records, 5)).toEqual(['start#1'])
  })

  it('is ignored in streamRaw() mode: only frames reach the consumer', async () => {
    const f = (feed = new ScriptFeed(fx.wsUrl, FAST))
    const frames = f.streamRaw()
    const s1 = await fx.waitForConnection(1)
    await s1.waitForMessage()
    const parse = vi.fn(parseSnapshot)
    f.deliverInput({ levels: [1] }, parse)
    s1.send('a1')
    expect(await take(frames, 1)).toEqual(['a1'])
    expect(parse).not.toHaveBeenCalled()
  })

  it('throws what parse throws to the caller, and the stream goes on', async () => {
    const f = (feed = new ScriptFeed(fx.wsUrl, FAST))
    const records = f.stream()
    const s1 = await fx.waitForConnection(1)
    await s1.waitForMessage()
    const unreadable = new SyntaxError('snapshot body is not a book')
    expect(() =>
      f.deliverInput('garbage', () => {
        throw unreadable
      }),
    ).toThrow(unreadable)
    s1.send('a1')
    await eventually(() => f.stats.frames === 1)
    f.deliverInput({ levels: [7] }, parseSnapshot)
    expect(await take(records, 3)).toEqual(['start#1', 'a1', 'level 7'])
    expect(f.stats.parseErrors).toBe(0) // not a frame: the caller decides what the failure means
  })
})
