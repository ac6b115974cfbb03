import { describe, expect, it } from 'vitest'
import { benchBackfill } from '../src/backfill/bench.js'

describe('backfill bench (small run, no timing assertions)', () => {
  it('every path counts exactly the trades of the range, over the same pages', async () => {
    // A tenth of an hour at 10 trades/s: a few pages; benchBackfill throws if any path's count differs.
    const { result, section } = await benchBackfill({ hours: 0.1, plan: { warmup: 0, runs: 1 } })
    expect(result.trades).toBeGreaterThan(3000)
    expect(result.pages).toBe(Math.ceil(result.trades / 1000))
    expect(Object.values(result.rates).every((rate) => rate > 0 && Number.isFinite(rate))).toBe(true)
    expect(section.blocks.join('\n')).toContain('backfill written (Parquet, sealed)')
  }, 60_000)
})
