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

  it('keeps counting spent weight, each entry until its own window ends, after setLimit', () => {
    let now = 0
    const budget = new WeightBudget({ limit: 100, windowMs: 1000, now: () => now })
    budget.settle(budget.spend(80)) // expires at 1000
    const inFlight = budget.spend(10)

    budget.setLimit(200, 5000)
    expect(budget.limit).toBe(200)
    expect(budget.used).toBe(90)
    expect(budget.delayFor(110)).toBe(0)
    expect(budget.delayFor(111)).toBe(1000) // the settled 80 still ages out on its old window

    budget.setLimit(50, 5000)
    expect(budget.delayFor(1)).toBe(1000) // 90 spent is over the new limit: wait for the 80 to expire
    now = 100
    budget.settle(inFlight) // settled under the new window: counts until 5100
    now = 1000
    expect(budget.used).toBe(10)
    expect(budget.delayFor(41)).toBe(4100)
    now = 5100
    expect(budget.used).toBe(0)
  })
})
