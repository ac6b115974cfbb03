import { InvalidArgumentError } from '@dccd/core'
import { describe, expect, it } from 'vitest'
import { worstCaseConnectAttempts } from '../src/index.js'

const FIVE_MINUTES = 5 * 60_000

describe('worstCaseConnectAttempts', () => {
  it('counts the first attempt plus one per shortest backoff delay with the defaults', () => {
    // Shortest delays (half of 1, 2, 4 … s, capped at half of 60 s): 0.5, 1, 2, 4, 8, 16, then 30 s each.
    // Attempts at 0, 0.5, 1.5, 3.5, 7.5, 15.5, 31.5, 61.5, 91.5 … 271.5 s: 15 within 5 minutes.
    expect(worstCaseConnectAttempts({}, FIVE_MINUTES)).toBe(15)
    expect(worstCaseConnectAttempts({}, 500)).toBe(1) // the second attempt comes at 500 ms: outside a 500 ms window
    expect(worstCaseConnectAttempts({}, 501)).toBe(2)
  })

  it('is Infinity when jitter 1 lets a delay shrink to nothing', () => {
    expect(worstCaseConnectAttempts({ jitter: 1 }, FIVE_MINUTES)).toBe(Infinity)
    expect(worstCaseConnectAttempts({ jitter: 1 }, 1)).toBe(Infinity)
  })

  it('rises when a small maxBackoffMs caps the delays', () => {
    // 0.5 s, then 1 s each (half of the 2 s cap): attempts at 0, 0.5, 1.5, 2.5 … 299.5 s.
    expect(worstCaseConnectAttempts({ maxBackoffMs: 2000 }, FIVE_MINUTES)).toBe(301)
    expect(worstCaseConnectAttempts({ maxBackoffMs: 2000 }, FIVE_MINUTES)).toBeGreaterThan(
      worstCaseConnectAttempts({}, FIVE_MINUTES),
    )
    // No jitter: every delay is the full 1 s.
    expect(worstCaseConnectAttempts({ initialBackoffMs: 1000, maxBackoffMs: 1000, jitter: 0 }, FIVE_MINUTES)).toBe(300)
  })

  it('rejects invalid backoff options like the feed does', () => {
    expect(() => worstCaseConnectAttempts({ jitter: 2 }, FIVE_MINUTES)).toThrow(InvalidArgumentError)
    expect(() => worstCaseConnectAttempts({ initialBackoffMs: 5000, maxBackoffMs: 1000 }, FIVE_MINUTES)).toThrow('maxBackoffMs')
  })
})
