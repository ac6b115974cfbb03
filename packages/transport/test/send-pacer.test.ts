import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { SendPacer } from '../src/send-pacer.js'

describe('SendPacer (fake timers)', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('releases one message per 1000 / rate ms, the first at once', async () => {
    const pacer = new SendPacer(5)
    const start = Date.now()
    const sent: number[] = []
    const done = Promise.all([1, 2, 3, 4].map(() => pacer.submit(() => sent.push(Date.now() - start))))
    expect(sent).toEqual([0])
    await vi.advanceTimersByTimeAsync(1000)
    await done
    expect(sent).toEqual([0, 200, 400, 600])
  })

  it('keeps the spacing for a message sent right after the last one', async () => {
    const pacer = new SendPacer(10)
    const start = Date.now()
    const sent: number[] = []
    await pacer.submit(() => sent.push(Date.now() - start))
    void pacer.submit(() => sent.push(Date.now() - start))
    await vi.advanceTimersByTimeAsync(100)
    expect(sent).toEqual([0, 100])
  })

  it('holds a send whose timer fired early against the real clock (a timer armed at the end of a long callback)', async () => {
    const pacer = new SendPacer(10)
    let realNow = 1000
    const clock = vi.spyOn(performance, 'now').mockImplementation(() => realNow)
    const sent: number[] = []
    await pacer.submit(() => sent.push(realNow))
    void pacer.submit(() => sent.push(realNow))
    // The timer comes due, but the real clock says only 60 ms passed since the send: not yet.
    realNow = 1060
    await vi.advanceTimersByTimeAsync(100)
    expect(sent).toEqual([1000])
    realNow = 1100
    await vi.advanceTimersByTimeAsync(40)
    expect(sent).toEqual([1000, 1100])
    clock.mockRestore()
  })

  it('sends immediately when unlimited', () => {
    const pacer = new SendPacer(Number.POSITIVE_INFINITY)
    const sent: number[] = []
    for (let i = 0; i < 3; i++) void pacer.submit(() => sent.push(i))
    expect(sent).toEqual([0, 1, 2])
    expect(vi.getTimerCount()).toBe(0)
  })

  it('close() drops waiting messages and resolves their promises', async () => {
    const pacer = new SendPacer(1)
    const sent: number[] = []
    void pacer.submit(() => sent.push(1))
    const second = pacer.submit(() => sent.push(2))
    pacer.close()
    await expect(second).resolves.toBeUndefined()
    await vi.advanceTimersByTimeAsync(5000)
    expect(sent).toEqual([1])
    expect(vi.getTimerCount()).toBe(0)
  })
})
