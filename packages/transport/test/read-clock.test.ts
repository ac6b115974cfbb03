import { setImmediate as nextTurn } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import { ReadClock } from '../src/read-clock.js'

/** A clock that counts its reads and gives 1000, 2000, … */
function countingClock(): { read: () => number; reads: () => number } {
  let reads = 0
  return { read: () => ++reads * 1000, reads: () => reads }
}

describe('ReadClock: one receive time per socket read', () => {
  it('gives every call of one turn the time of its first, reading the clock once', () => {
    const clock = countingClock()
    const readClock = new ReadClock(clock.read)
    const times = [readClock.now(), readClock.now(), readClock.now()]
    expect(times).toEqual([1000, 1000, 1000])
    expect(clock.reads()).toBe(1)
  })

  it('reads the clock again once the microtasks ran (the next socket read is a later turn)', async () => {
    const clock = countingClock()
    const readClock = new ReadClock(clock.read)
    expect(readClock.now()).toBe(1000)
    await nextTurn()
    expect([readClock.now(), readClock.now()]).toEqual([2000, 2000])
    await Promise.resolve() // the expiry queued by the read above runs before this continuation
    expect(readClock.now()).toBe(3000)
    expect(clock.reads()).toBe(3)
  })

  it('reads the real clock by default: µs since the epoch', () => {
    const before = Date.now() * 1000
    const time = new ReadClock().now()
    expect(time).toBeGreaterThanOrEqual(before - 1000)
    expect(time).toBeLessThanOrEqual(Date.now() * 1000 + 1000)
  })
})
