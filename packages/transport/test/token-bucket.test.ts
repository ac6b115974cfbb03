import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { TokenBucket } from '../src/index.js'

describe('TokenBucket (fake timers)', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('serves requests within the budget at once and delays one whose weight exceeds what is left', async () => {
    const bucket = new TokenBucket({ capacity: 100, intervalMs: 1000 }) // 0.1 token per ms
    await bucket.take(60)
    await bucket.take(30)
    let served = false
    const heavy = bucket.take(50).then(() => (served = true))
    // 10 left, 40 missing: 400 ms of refill.
    await vi.advanceTimersByTimeAsync(399)
    expect(served).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    await heavy
    expect(served).toBe(true)
    expect(bucket.available()).toBeCloseTo(0, 5)
  })

  it('serves waiters first come, first served (a heavy request is not starved)', async () => {
    const bucket = new TokenBucket({ capacity: 10, intervalMs: 1000 })
    await bucket.take(10)
    const order: string[] = []
    const heavy = bucket.take(8).then(() => order.push('heavy'))
    const light = bucket.take(1).then(() => order.push('light'))
    await vi.advanceTimersByTimeAsync(2000)
    await Promise.all([heavy, light])
    expect(order).toEqual(['heavy', 'light'])
  })

  it('sync(used) lowers the local budget to what the server reports', async () => {
    const bucket = new TokenBucket({ capacity: 1200, intervalMs: 60_000 })
    bucket.sync(1190) // the server counted other clients on our IP
    expect(bucket.available()).toBe(10)
    let served = false
    const request = bucket.take(20).then(() => (served = true))
    await vi.advanceTimersByTimeAsync(499) // 10 missing at 0.02 per ms = 500 ms
    expect(served).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    await request
    expect(served).toBe(true)
    bucket.sync(0) // never raises the local estimate
    expect(bucket.available()).toBeCloseTo(0, 5)
  })

  it('rejects a weight larger than the capacity, and rejects a waiter whose signal aborts', async () => {
    const bucket = new TokenBucket({ capacity: 10, intervalMs: 1000 })
    await expect(bucket.take(11)).rejects.toMatchObject({ code: 'DCCD_INVALID_ARGUMENT' })
    await bucket.take(10)
    const controller = new AbortController()
    const waiting = bucket.take(5, controller.signal)
    controller.abort(new Error('cancelled'))
    await expect(waiting).rejects.toThrow('cancelled')
    expect(bucket.waiting).toBe(0)
  })
})
