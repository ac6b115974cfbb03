import { describe, expect, it } from 'vitest'
import { WeightBudget } from '../src/weight-budget.js'

// The first three are ported from packages/binance/test/weight.test.ts (the ledger moved here).
describe('WeightBudget', () => {
  it('lets weight through up to the limit and counts each request for a window after its answer', () => {
    let now = 0
    const budget = new WeightBudget({ limit: 100, windowMs: 1000, now: () => now })
    const a = budget.spend(60)
    expect(budget.delayFor(40)).toBe(0)
    const b = budget.spend(40)
    expect(budget.delayFor(1)).toBe(Infinity) // both in flight: only an answer frees weight
    now = 10
    budget.settle(a)
    expect(budget.delayFor(1)).toBe(1000)
    now = 500
    budget.settle(b)
    expect(budget.delayFor(50)).toBe(510) // a expires at 1010
    expect(budget.delayFor(80)).toBe(1000) // needs b gone too (1500)
    now = 1010
    expect(budget.used).toBe(40)
    expect(budget.delayFor(60)).toBe(0)
  })

  it('counts weight the server reports beyond its own', () => {
    let now = 0
    const budget = new WeightBudget({ limit: 100, windowMs: 1000, now: () => now })
    budget.settle(budget.spend(10))
    budget.observe(70) // someone else used 60
    expect(budget.used).toBe(70)
    expect(budget.delayFor(40)).toBe(1000)
    budget.observe(20) // a lower count adds nothing
    expect(budget.used).toBe(70)
    now = 1000
    expect(budget.used).toBe(0)
  })

  it('lets a request heavier than the limit go alone', () => {
    const budget = new WeightBudget({ limit: 10, windowMs: 1000, now: () => 0 })
    expect(budget.delayFor(250)).toBe(0)
  })

  it('keeps counting the weight spent before setLimit, in flight or answered', () => {
    let now = 0
    const budget = new WeightBudget({ limit: 100, windowMs: 1000, now: () => now })
    budget.settle(budget.spend(80)) // answered at 0
    const inFlight = budget.spend(10)

    budget.setLimit(200, 500) // a shorter window: the 80 still counts until its old end (1000), to be safe
    expect(budget.limit).toBe(200)
    expect(budget.used).toBe(90)
    expect(budget.delayFor(110)).toBe(0)
    expect(budget.delayFor(111)).toBe(1000)

    budget.setLimit(50, 500)
    expect(budget.delayFor(1)).toBe(1000) // 90 spent is over the new limit: wait for the 80 to age out
    now = 100
    budget.settle(inFlight) // answered under the new window: counts until 600
    now = 600
    expect(budget.used).toBe(80)
    now = 1000
    expect(budget.used).toBe(0)
  })

  it('counts weight answered before setLimit for the whole of a longer new window', () => {
    let now = 0
    const budget = new WeightBudget({ limit: 100, windowMs: 1000, now: () => now })
    budget.settle(budget.spend(100)) // answered at 0
    now = 500
    budget.observe(130) // another client on the IP: 30 more, reported at 500
    // The real limit is per minute: the server counts both until a minute after it saw them.
    budget.setLimit(100, 60_000)
    now = 1500
    expect(budget.used).toBe(130)
    expect(budget.delayFor(1)).toBe(58_500)
    now = 60_000
    expect(budget.used).toBe(30)
    now = 60_500
    expect(budget.used).toBe(0)
  })
})
