import { FakeExchange } from '@dccd/testkit'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { BoundedQueue } from '../src/bounded-queue.js'
import { eventually, FAST } from './support/feeds.js'
import { ScriptFeed } from './support/script-feed.js'

describe('BoundedQueue.nextBatch', () => {
  it('hands over everything queued as one array, in order, counting each item and resuming a paused producer', async () => {
    const taken: number[] = []
    const events: string[] = []
    const queue = new BoundedQueue<number>({
      highWaterMark: 4,
      onTake: (item) => taken.push(item as number),
      onPause: () => events.push('pause'),
      onResume: () => events.push('resume'),
    })
    for (let i = 0; i < 5; i++) queue.push(i)
    expect(queue.paused).toBe(true)
    expect(await queue.nextBatch()).toEqual({ done: false, value: [0, 1, 2, 3, 4] })
    expect(events).toEqual(['pause', 'resume'])
    expect(taken).toEqual([0, 1, 2, 3, 4])
    expect(queue.delivered).toBe(5)
    expect(queue.length).toBe(0)
    // Queued again after a partial take: the batch starts where next() left off.
    for (let i = 5; i < 8; i++) queue.push(i)
    expect(await queue.next()).toEqual({ done: false, value: 5 })
    expect(await queue.nextBatch()).toEqual({ done: false, value: [6, 7] })
  })

  it('waits while empty, then hands over everything pushed in the producer’s turn; then done, or the error once', async () => {
    const queue = new BoundedQueue<string>({ highWaterMark: 10 })
    const waiting = queue.nextBatch()
    queue.push('a')
    queue.push('b')
    queue.push('c')
    expect(await waiting).toEqual({ done: false, value: ['a', 'b', 'c'] })
    const next = queue.nextBatch()
    queue.push('d')
    queue.end() // in the same turn: what was pushed still reaches the consumer, then done
    expect(await next).toEqual({ done: false, value: ['d'] })
    expect(await queue.nextBatch()).toEqual({ done: true, value: undefined })

    const failing = new BoundedQueue<string>({ highWaterMark: 10 })
    const pending = failing.nextBatch()
    const error = new Error('boom')
    failing.fail(error)
    await expect(pending).rejects.toBe(error)
    expect(await failing.nextBatch()).toEqual({ done: true, value: undefined })

    const lastWords = new BoundedQueue<string>({ highWaterMark: 10 })
    const before = lastWords.nextBatch()
    lastWords.push('x')
    lastWords.fail(error) // the item first, the error on the next call
    expect(await before).toEqual({ done: false, value: ['x'] })
    await expect(lastWords.nextBatch()).rejects.toBe(error)
  })

  it('a paused producer is still asked to pause and resumed by a waiting batch consumer', async () => {
    const events: string[] = []
    const queue = new BoundedQueue<number>({ highWaterMark: 3, onPause: () => events.push('pause'), onResume: () => events.push('resume') })
    const waiting = queue.nextBatch()
    for (let i = 0; i < 4; i++) queue.push(i)
    expect(queue.paused).toBe(true)
    expect(await waiting).toEqual({ done: false, value: [0, 1, 2, 3] })
    expect(events).toEqual(['pause', 'resume'])
  })
})

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

describe('WebSocketBase.batches', () => {
  it('yields the records stream() would, in order, in non-empty arrays; break closes the socket', async () => {
    const frames = Array.from({ length: 200 }, (_, i) => `f${i}`)
    fx.onConnection((connection) => {
      for (const frame of frames) connection.send(frame)
    })
    const f = (feed = new ScriptFeed(fx.wsUrl, FAST))
    const seen: string[] = []
    for await (const batch of f.batches()) {
      expect(batch.length).toBeGreaterThan(0)
      seen.push(...batch)
      if (seen.length >= frames.length + 1) break // start#1 comes first
    }
    expect(seen).toEqual(['start#1', ...frames])
    expect(f.stats.records).toBe(seen.length)
    await eventually(() => fx.openConnections === 0)
  })

  it('is one consumer mode: stream() after batches() throws, naming both', () => {
    const f = (feed = new ScriptFeed(fx.wsUrl, FAST))
    f.batches()
    expect(() => f.stream()).toThrow(/stream\(\), batches\(\) or streamRaw\(\) was already called/)
  })
})
