import { describe, expect, it } from 'vitest'
import { BoundedQueue } from '../src/bounded-queue.js'

describe('BoundedQueue', () => {
  it('pauses at the high-water mark and resumes at the low-water mark', async () => {
    const events: string[] = []
    const queue = new BoundedQueue<number>({
      highWaterMark: 4,
      onPause: () => events.push(`pause@${queue.length}`),
      onResume: () => events.push(`resume@${queue.length}`),
    })
    for (let i = 0; i < 5; i++) queue.push(i)
    expect(events).toEqual(['pause@4'])
    expect(queue.paused).toBe(true)
    await queue.next()
    await queue.next()
    expect(events).toEqual(['pause@4'])
    await queue.next() // 2 left = floor(4 / 2)
    expect(events).toEqual(['pause@4', 'resume@2'])
    expect(queue.paused).toBe(false)
    expect(queue.peak).toBe(5)
  })

  it('delivers in order, hands items straight to a waiting consumer, and counts deliveries', async () => {
    const queue = new BoundedQueue<string>({ highWaterMark: 10 })
    const waiting = queue.next()
    queue.push('a')
    queue.push('b')
    expect(await waiting).toEqual({ done: false, value: 'a' })
    expect(await queue.next()).toEqual({ done: false, value: 'b' })
    expect(queue.delivered).toBe(2)
  })

  it('end() lets the consumer drain, then reports done', async () => {
    const queue = new BoundedQueue<number>({ highWaterMark: 10 })
    queue.push(1)
    queue.end()
    queue.push(2) // ignored after end
    expect(await queue.next()).toEqual({ done: false, value: 1 })
    expect(await queue.next()).toEqual({ done: true, value: undefined })
  })

  it('fail() rejects once after the queued items, then reports done', async () => {
    const queue = new BoundedQueue<number>({ highWaterMark: 10 })
    const pendingA = queue.next()
    const error = new Error('boom')
    queue.fail(error)
    await expect(pendingA).rejects.toBe(error)
    expect(await queue.next()).toEqual({ done: true, value: undefined })

    const other = new BoundedQueue<number>({ highWaterMark: 10 })
    other.push(7)
    other.fail(error)
    expect(await other.next()).toEqual({ done: false, value: 7 })
    await expect(other.next()).rejects.toBe(error)
  })

  it('keeps FIFO order across internal compaction', async () => {
    const queue = new BoundedQueue<number>({ highWaterMark: 1_000_000 })
    for (let i = 0; i < 5000; i++) queue.push(i)
    for (let i = 0; i < 3000; i++) expect((await queue.next()).value).toBe(i)
    for (let i = 5000; i < 6000; i++) queue.push(i)
    for (let i = 3000; i < 6000; i++) expect((await queue.next()).value).toBe(i)
    expect(queue.length).toBe(0)
  })
})
