import { describe, expect, it } from 'vitest'
import { BackfillProgress, formatBackfillStatus, formatSpan } from '../src/backfill/progress.js'

const H = 3_600_000_000

describe('BackfillProgress', () => {
  it('is the mean share of each stream’s range behind its latest record', () => {
    const progress = new BackfillProgress()
    const trades = progress.add('A trades', 0, 24 * H)
    const bars = progress.add('A bars:1m', 0, 24 * H, 12 * H) // resumed half way
    expect(progress.snapshot(0).fraction).toBe(0.25)
    trades.position = 6 * H
    trades.rows = 100
    bars.gaps = 1
    expect(progress.snapshot(1000)).toEqual({ elapsedMs: 1000, fraction: 18 / 48, covered: 18 * H, total: 48 * H, rows: 100, gaps: 1 })
    trades.done = true
    bars.done = true
    expect(progress.snapshot(2000).fraction).toBe(1)
  })

  it('counts a stream resumed at or past its end as done', () => {
    const progress = new BackfillProgress()
    expect(progress.add('A trades', 0, H, 2 * H).done).toBe(true)
  })
})

describe('formatBackfillStatus', () => {
  it('shows a bar, the history covered, the rate and the ETA at the recent pace', () => {
    const previous = { elapsedMs: 10_000, fraction: 0.2, covered: 0.2 * 24 * H, total: 24 * H, rows: 1000, gaps: 0 }
    const now = { elapsedMs: 20_000, fraction: 0.4, covered: 0.4 * 24 * H, total: 24 * H, rows: 3000, gaps: 2 }
    expect(formatBackfillStatus(now, previous)).toBe('[########............] 40% 9h36m/1d00h of history | 200 rows/s | ETA 00:30 | 3000 rows | 2 gaps')
  })

  it('says done at 100 % and has no ETA before any progress', () => {
    expect(formatBackfillStatus({ elapsedMs: 5000, fraction: 1, covered: H, total: H, rows: 10, gaps: 0 })).toContain('| done |')
    expect(formatBackfillStatus({ elapsedMs: 5000, fraction: 0, covered: 0, total: H, rows: 0, gaps: 0 })).toContain('ETA --:--')
  })

  it('writes spans of history compactly', () => {
    expect([formatSpan(45_000_000), formatSpan(65 * 60_000_000), formatSpan(26 * H)]).toEqual(['45s', '1h05m', '1d02h'])
  })
})
