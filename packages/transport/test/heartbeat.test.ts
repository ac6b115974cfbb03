import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { Heartbeat } from '../src/heartbeat.js'

describe('Heartbeat (fake timers)', () => {
  let sent: number[]
  let stale: number[]
  beforeEach(() => {
    vi.useFakeTimers()
    sent = []
    stale = []
  })
  afterEach(() => vi.useRealTimers())

  const make = (intervalMs: number, timeoutMs: number): Heartbeat =>
    new Heartbeat({ intervalMs, timeoutMs, send: () => sent.push(Date.now()), onStale: () => stale.push(Date.now()) })

  it('probes every intervalMs and stays quiet while each probe is answered', async () => {
    const heartbeat = make(1000, 500)
    const start = Date.now()
    heartbeat.start()
    for (let i = 0; i < 5; i++) {
      await vi.advanceTimersByTimeAsync(1000)
      heartbeat.touch() // the pong
    }
    expect(sent.map((t) => t - start)).toEqual([1000, 2000, 3000, 4000, 5000])
    expect(stale).toEqual([])
    heartbeat.stop()
  })

  it('declares the socket stale timeoutMs after an unanswered probe, once', async () => {
    const heartbeat = make(1000, 500)
    const start = Date.now()
    heartbeat.start()
    await vi.advanceTimersByTimeAsync(10_000)
    expect(stale.map((t) => t - start)).toEqual([1500])
    expect(sent).toHaveLength(1)
  })

  it('counts any activity since the probe, not only pongs, and detects a stall within interval + timeout', async () => {
    const heartbeat = make(1000, 1000)
    const start = Date.now()
    heartbeat.start()
    await vi.advanceTimersByTimeAsync(1001)
    heartbeat.touch() // a market frame right after the first probe
    const stalledAt = Date.now()
    await vi.advanceTimersByTimeAsync(10_000)
    expect(stale).toHaveLength(1)
    expect(stale[0]! - stalledAt).toBeLessThanOrEqual(1000 + 1000)
    expect(sent.map((t) => t - start)).toEqual([1000, 2000])
  })

  it('stop() clears its timer and intervalMs 0 never starts one', async () => {
    const heartbeat = make(1000, 500)
    heartbeat.start()
    expect(vi.getTimerCount()).toBe(1)
    heartbeat.stop()
    expect(vi.getTimerCount()).toBe(0)
    make(0, 500).start()
    expect(vi.getTimerCount()).toBe(0)
    await vi.advanceTimersByTimeAsync(5000)
    expect(sent).toEqual([])
  })
})
