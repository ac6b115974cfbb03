import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { Backoff } from '../src/backoff.js'
import { resolveWebSocketOptions } from '../src/options.js'
import { Slot } from '../src/slot.js'
import type { SlotHost } from '../src/slot.js'
import { memoryLogger } from './support/feeds.js'
import { FakeSocket } from './support/fake-socket.js'

describe('Backoff', () => {
  it('grows by the factor up to the cap, jitter only shortening each delay', () => {
    const top = new Backoff({ initialMs: 1000, factor: 2, maxMs: 60_000, jitter: 0.5, random: () => 0 })
    expect(Array.from({ length: 9 }, () => top.next())).toEqual([
      1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000, 60_000,
    ])
    const bottom = new Backoff({ initialMs: 1000, factor: 2, maxMs: 60_000, jitter: 0.5, random: () => 0.999999 })
    const floor = Array.from({ length: 8 }, () => bottom.next())
    expect(floor[0]).toBeCloseTo(500, 0)
    expect(floor[7]).toBeCloseTo(30_000, 0)
  })

  it('stays within [base × (1 − jitter), base] for random draws', () => {
    const backoff = new Backoff({ initialMs: 100, factor: 3, maxMs: 5000, jitter: 0.3 })
    let base = 100
    const delays: number[] = []
    for (let i = 0; i < 50; i++) {
      const delay = backoff.next()
      delays.push(delay)
      expect(delay).toBeGreaterThanOrEqual(base * 0.7)
      expect(delay).toBeLessThanOrEqual(base)
      base = Math.min(base * 3, 5000)
    }
    // Jittered: fifty capped draws are not all the same value.
    expect(new Set(delays.slice(10)).size).toBeGreaterThan(1)
  })

  it('reset() starts again from the initial delay', () => {
    const backoff = new Backoff({ initialMs: 10, factor: 2, maxMs: 1000, jitter: 0, random: () => 0 })
    backoff.next()
    backoff.next()
    expect(backoff.next()).toBe(40)
    backoff.reset()
    expect(backoff.next()).toBe(10)
    expect(backoff.attempt).toBe(1)
  })
})

describe('Slot reconnect schedule (fake timers)', () => {
  let attempts: { at: number; socket: FakeSocket }[]
  let slot: Slot<FakeSocket>
  let disconnects: string[]

  beforeEach(() => {
    vi.useFakeTimers()
    attempts = []
    disconnects = []
    const host: SlotHost<FakeSocket> = {
      options: resolveWebSocketOptions({ initialBackoffMs: 1000, backoffFactor: 2, maxBackoffMs: 8000, jitter: 0.5, stableAfterMs: 30_000 }),
      logger: memoryLogger(),
      random: () => 0.5, // every delay is base × 0.75
      createConnection: () => {
        const socket = new FakeSocket(attempts.length + 1, () => slot)
        attempts.push({ at: Date.now(), socket })
        return socket
      },
      connectionReady: () => Promise.resolve(),
      disconnected: (_c, reason) => disconnects.push(reason),
      replacementFailed: () => {},
      rotated: () => {},
      rotationComplete: () => {},
      reconnected: () => {},
      tookOver: () => {},
    }
    slot = new Slot(0, 'ws://example.test', host)
  })
  afterEach(async () => {
    await slot.stop()
    vi.useRealTimers()
  })

  /** Fail every attempt until `count` were made; returns the gaps between attempts. */
  async function failAttempts(count: number): Promise<number[]> {
    while (attempts.length < count) {
      attempts[attempts.length - 1]!.socket.drop('refused')
      await vi.advanceTimersToNextTimerAsync()
    }
    return attempts.slice(1).map((a, i) => a.at - attempts[i]!.at)
  }

  it('waits base × jitter delays that double up to the cap, and never gives up', async () => {
    slot.start()
    expect(attempts).toHaveLength(1) // the first connect is immediate
    const gaps = await failAttempts(8)
    expect(gaps).toEqual([750, 1500, 3000, 6000, 6000, 6000, 6000])
  })

  it('resets the delay after a connection stayed up for stableAfterMs', async () => {
    slot.start()
    await failAttempts(4) // delays now at 3000
    const socket = attempts[3]!.socket
    socket.open()
    await vi.advanceTimersByTimeAsync(30_000)
    socket.drop('server restart')
    expect(disconnects).toEqual(['server restart'])
    await vi.advanceTimersToNextTimerAsync()
    expect(attempts[4]!.at - (attempts[3]!.at + 30_000)).toBe(750)
  })

  it('does not reset the delay after a connection that dropped early', async () => {
    slot.start()
    await failAttempts(3) // next delay: 3000
    const socket = attempts[2]!.socket
    socket.open()
    await vi.advanceTimersByTimeAsync(100)
    socket.drop('flapping')
    const droppedAt = Date.now()
    await vi.advanceTimersToNextTimerAsync()
    expect(attempts[3]!.at - droppedAt).toBe(3000)
  })

  it('stop() cancels a pending reconnect', async () => {
    slot.start()
    attempts[0]!.socket.drop('refused')
    expect(vi.getTimerCount()).toBe(1)
    await slot.stop()
    expect(vi.getTimerCount()).toBe(0)
    await vi.advanceTimersByTimeAsync(60_000)
    expect(attempts).toHaveLength(1)
  })
})
