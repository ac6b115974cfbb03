import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { MAX_TIMEOUT_MS, setLongTimeout } from '../src/long-timeout.js'

const DAY = 86_400_000

beforeEach(() => {
  vi.useFakeTimers()
})

afterEach(() => {
  vi.useRealTimers()
})

describe('setLongTimeout', () => {
  it('does not fire early for 30 days, and fires at 30 days', async () => {
    const fired = vi.fn()
    setLongTimeout(fired, 30 * DAY)
    await vi.advanceTimersByTimeAsync(1)
    await vi.advanceTimersByTimeAsync(MAX_TIMEOUT_MS)
    await vi.advanceTimersByTimeAsync(30 * DAY - MAX_TIMEOUT_MS - 2)
    expect(fired).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(1)
    expect(fired).toHaveBeenCalledOnce()
  })

  it('fires a delay within the setTimeout range once, on time', async () => {
    const fired = vi.fn()
    setLongTimeout(fired, 1500)
    await vi.advanceTimersByTimeAsync(1499)
    expect(fired).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(1)
    expect(fired).toHaveBeenCalledOnce()
  })

  it('cancels before and after the first link of the chain', async () => {
    const early = vi.fn()
    const late = vi.fn()
    setLongTimeout(early, 100 * DAY)()
    const cancelLate = setLongTimeout(late, 100 * DAY)
    await vi.advanceTimersByTimeAsync(50 * DAY)
    cancelLate()
    await vi.advanceTimersByTimeAsync(100 * DAY)
    expect(early).not.toHaveBeenCalled()
    expect(late).not.toHaveBeenCalled()
    expect(vi.getTimerCount()).toBe(0)
  })
})
