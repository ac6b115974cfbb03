import { describe, expect, it } from 'vitest'
import { rateLimitFrom, snapshotWeight } from '../src/rest.js'

describe('REST weight rules', () => {
  it('charges snapshots by limit: 5 / 25 / 50 / 250', () => {
    expect([1, 100, 101, 500, 501, 1000, 1001, 5000].map(snapshotWeight)).toEqual([5, 5, 25, 25, 50, 50, 250, 250])
  })

  it('reads the tightest REQUEST_WEIGHT limit and its header from exchangeInfo', () => {
    expect(
      rateLimitFrom(
        [
          { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 50 },
          { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000 },
          { rateLimitType: 'REQUEST_WEIGHT', interval: 'SECOND', intervalNum: 10, limit: 500 },
        ],
        0.8,
      ),
    ).toEqual({ weight: 500, intervalMs: 10_000, usedWeightHeader: 'x-mbx-used-weight-10s', share: 0.8 })
    expect(rateLimitFrom([{ rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 1200 }], 1)).toEqual({
      weight: 1200,
      intervalMs: 60_000,
      usedWeightHeader: 'x-mbx-used-weight-1m',
      share: 1,
    })
    expect(rateLimitFrom(undefined, 1)).toBe(undefined)
    expect(rateLimitFrom([{ rateLimitType: 'REQUEST_WEIGHT', interval: 'FORTNIGHT', intervalNum: 1, limit: 1 }], 1)).toBe(undefined)
  })
})
