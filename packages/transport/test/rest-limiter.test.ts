import { InvalidArgumentError } from '@dccd/core'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { RestLimiter } from '../src/rest-limiter.js'
import type { Permit } from '../src/rest-limiter.js'

/** Acquires `weight` and records, in `order`, `label` once the permit is granted. */
function acquire(limiter: RestLimiter, weight: number, label: string, order: string[], signal?: AbortSignal): Promise<Permit> {
  return limiter.acquire(weight, signal).then((permit) => {
    order.push(label)
    return permit
  })
}

describe('RestLimiter (fake timers)', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 })
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('serves waiting requests first come, first served: a heavy request is not overtaken by light ones', async () => {
    const limiter = new RestLimiter({ rateLimit: { weight: 100, intervalMs: 1000 } })
    const order: string[] = []
    const first = await acquire(limiter, 60, 'first 60', order)
    const heavy = acquire(limiter, 50, 'heavy 50', order)
    const light = acquire(limiter, 10, 'light 10', order) // would fit (70 ≤ 100), but waits its turn
    await vi.advanceTimersByTimeAsync(0)
    expect(order).toEqual(['first 60'])
    expect(limiter.waiting).toBe(2)

    first.release() // counts until 1000
    await vi.advanceTimersByTimeAsync(999)
    expect(order).toEqual(['first 60'])
    await vi.advanceTimersByTimeAsync(1)
    expect(order).toEqual(['first 60', 'heavy 50', 'light 10'])
    ;(await heavy).release()
    ;(await light).release()
  })

  it('holds at most maxConcurrent requests in flight and grants the next on a release', async () => {
    const limiter = new RestLimiter({ maxConcurrent: 2 })
    const order: string[] = []
    const a = await acquire(limiter, 1, 'a', order)
    await acquire(limiter, 1, 'b', order)
    const c = acquire(limiter, 1, 'c', order)
    await vi.advanceTimersByTimeAsync(60_000)
    expect(order).toEqual(['a', 'b'])
    expect(limiter.inFlight).toBe(2)
    expect(limiter.waiting).toBe(1)

    a.release()
    a.release() // a second release of the same permit frees nothing more
    await c
    expect(order).toEqual(['a', 'b', 'c'])
    expect(limiter.inFlight).toBe(2)
    expect(limiter.waiting).toBe(0)
  })

  it('counts a request for a full window from its release, not from its grant', async () => {
    const limiter = new RestLimiter({ rateLimit: { weight: 100, intervalMs: 1000 } })
    const order: string[] = []
    const a = await acquire(limiter, 80, 'a', order)
    await vi.advanceTimersByTimeAsync(400) // a's answer takes 400 ms
    a.release()
    expect(limiter.used).toBe(80)
    const b = acquire(limiter, 30, 'b', order)
    await vi.advanceTimersByTimeAsync(999) // 1399: a granted 1399 ms ago, released 999 ms ago
    expect(order).toEqual(['a'])
    await vi.advanceTimersByTimeAsync(1)
    expect(order).toEqual(['a', 'b'])
    expect(Date.now()).toBe(1400)
    expect(limiter.used).toBe(30)
    ;(await b).release()
  })

  it('waits for a release, not a timer, while only in-flight requests hold the budget', async () => {
    const limiter = new RestLimiter({ rateLimit: { weight: 100, intervalMs: 1000 } })
    const order: string[] = []
    const a = await acquire(limiter, 70, 'a', order)
    void acquire(limiter, 40, 'b', order)
    expect(vi.getTimerCount()).toBe(0) // nothing to wait for on the clock
    await vi.advanceTimersByTimeAsync(3_600_000)
    expect(order).toEqual(['a'])
    a.release()
    expect(vi.getTimerCount()).toBe(1) // now it is a matter of time: one window
    await vi.advanceTimersByTimeAsync(1000)
    expect(order).toEqual(['a', 'b'])
  })

  it('rejects an aborted waiting request with the signal’s reason and lets the one behind it go', async () => {
    const limiter = new RestLimiter({ rateLimit: { weight: 100, intervalMs: 1000 } })
    const order: string[] = []
    await acquire(limiter, 60, 'a', order)
    const controller = new AbortController()
    const heavy = acquire(limiter, 50, 'heavy', order, controller.signal)
    const light = acquire(limiter, 10, 'light', order)
    await vi.advanceTimersByTimeAsync(0)
    expect(order).toEqual(['a'])

    const reason = new Error('snapshot no longer needed')
    controller.abort(reason)
    await expect(heavy).rejects.toBe(reason)
    await light // 60 + 10 fits: it no longer waits behind the heavy one
    expect(order).toEqual(['a', 'light'])
    expect(limiter.waiting).toBe(0)
    expect(limiter.used).toBe(70)
  })

  it('rejects at once, without waiting or spending, when the signal is already aborted', async () => {
    const limiter = new RestLimiter({ rateLimit: { weight: 100, intervalMs: 1000 } })
    const reason = new Error('stopped')
    await expect(limiter.acquire(1, AbortSignal.abort(reason))).rejects.toBe(reason)
    expect(limiter.waiting).toBe(0)
    expect(limiter.used).toBe(0)
  })

  it('adopts a new limit (its share) with setRateLimit, keeping the weight already spent', async () => {
    const limiter = new RestLimiter({ rateLimit: { weight: 100, intervalMs: 1000 } })
    const order: string[] = []
    ;(await acquire(limiter, 60, 'a', order)).release()
    const b = acquire(limiter, 50, 'b', order)
    await vi.advanceTimersByTimeAsync(0)
    expect(order).toEqual(['a'])

    // The exchange's real limit is 1000, of which this client may use 10 %: still 100, b still waits.
    limiter.setRateLimit({ weight: 1000, intervalMs: 1000, share: 0.1 })
    await vi.advanceTimersByTimeAsync(0)
    expect(order).toEqual(['a'])
    expect(limiter.used).toBe(60)
    expect(limiter.rateLimit).toEqual({ weight: 1000, intervalMs: 1000, share: 0.1 })

    // Half of 1000: b fits at once, and the 60 spent earlier still counts.
    limiter.setRateLimit({ weight: 1000, intervalMs: 1000, share: 0.5 })
    await b
    expect(order).toEqual(['a', 'b'])
    expect(limiter.used).toBe(110)
  })

  it('folds the server’s count of used weight into the budget with observe()', async () => {
    const limiter = new RestLimiter({ rateLimit: { weight: 100, intervalMs: 1000 } })
    const order: string[] = []
    ;(await acquire(limiter, 10, 'a', order)).release()
    limiter.observe(90) // other clients on the IP used 80
    limiter.observe(Number.NaN) // an unreadable header changes nothing
    expect(limiter.used).toBe(90)
    void acquire(limiter, 20, 'b', order)
    await vi.advanceTimersByTimeAsync(999)
    expect(order).toEqual(['a'])
    await vi.advanceTimersByTimeAsync(1)
    expect(order).toEqual(['a', 'b'])
  })

  it('rejects an invalid share, weight, interval, request weight or maxConcurrent with InvalidArgumentError', async () => {
    const invalid: [() => unknown, string][] = [
      [() => new RestLimiter({ rateLimit: { weight: 100, intervalMs: 1000, share: 0 } }), 'share'],
      [() => new RestLimiter({ rateLimit: { weight: 100, intervalMs: 1000, share: 1.5 } }), 'share'],
      [() => new RestLimiter({ rateLimit: { weight: 0, intervalMs: 1000 } }), 'weight'],
      [() => new RestLimiter({ rateLimit: { weight: Number.POSITIVE_INFINITY, intervalMs: 1000 } }), 'weight'],
      [() => new RestLimiter({ rateLimit: { weight: 100, intervalMs: Number.NaN } }), 'intervalMs'],
      [() => new RestLimiter({ maxConcurrent: 0 }), 'maxConcurrent'],
    ]
    for (const [attempt, name] of invalid) {
      expect(attempt).toThrow(InvalidArgumentError)
      expect(attempt).toThrow(name)
    }
    const limiter = new RestLimiter({ rateLimit: { weight: 100, intervalMs: 1000 } })
    await expect(limiter.acquire(-1)).rejects.toBeInstanceOf(InvalidArgumentError)
    await expect(limiter.acquire(Number.NaN)).rejects.toMatchObject({ code: 'DCCD_INVALID_ARGUMENT' })
    expect(() => new RestLimiter().setRateLimit({ weight: 100, intervalMs: 1000 })).toThrow(InvalidArgumentError)
  })

  it('keeps the rate limit in force when setRateLimit rejects an invalid one', async () => {
    const limiter = new RestLimiter({ rateLimit: { weight: 100, intervalMs: 1000, usedWeightHeader: 'x-used' } })
    const attempt = () => limiter.setRateLimit({ weight: 100, intervalMs: 1000, share: 2, usedWeightHeader: 'x-other' })
    expect(attempt).toThrow(InvalidArgumentError)
    expect(attempt).toThrow('2')
    expect(limiter.rateLimit).toEqual({ weight: 100, intervalMs: 1000, usedWeightHeader: 'x-used' })
    const order: string[] = []
    ;(await acquire(limiter, 100, 'a', order)).release()
    void acquire(limiter, 1, 'b', order)
    await vi.advanceTimersByTimeAsync(999)
    expect(order).toEqual(['a']) // the old limit of 100 still governs
  })
})
