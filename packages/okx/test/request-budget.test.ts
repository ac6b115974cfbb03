import { describe, expect, it } from 'vitest'
import { RequestBudget } from '../src/request-budget.js'

describe('RequestBudget (480 requests per connection per hour)', () => {
  it('spends while the last hour leaves room, refuses whole requests beyond, and frees what is an hour old', () => {
    let now = 0
    const budget = new RequestBudget(480, () => now)
    expect(budget.trySpend(478)).toBe(true)
    now = 1000
    expect(budget.trySpend(2)).toBe(true)
    expect(budget.trySpend(1)).toBe(false)
    now = 3_599_999
    expect(budget.trySpend(1)).toBe(false)
    now = 3_600_000
    expect(budget.trySpend(478)).toBe(true)
    expect(budget.trySpend(1)).toBe(false)
  })
})
