import { afterEach, describe, expect, it, vi } from 'vitest'
import { snapshotWeight, weightLimitFrom } from '../src/weight.js'
import { WeightBudget } from '../src/weight-budget.js'
import { SnapshotScheduler } from '../src/snapshot-scheduler.js'

describe('REST weight rules', () => {
  it('charges snapshots by limit: 5 / 25 / 50 / 250', () => {
    expect([1, 100, 101, 500, 501, 1000, 1001, 5000].map(snapshotWeight)).toEqual([5, 5, 25, 25, 50, 50, 250, 250])
  })

  it('reads the tightest REQUEST_WEIGHT limit and its header from exchangeInfo', () => {
    expect(
      weightLimitFrom([
        { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 50 },
        { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000 },
        { rateLimitType: 'REQUEST_WEIGHT', interval: 'SECOND', intervalNum: 10, limit: 500 },
      ]),
    ).toEqual({ limit: 500, intervalMs: 10_000, header: 'x-mbx-used-weight-10s' })
    expect(weightLimitFrom([{ rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 1200 }])).toEqual({
      limit: 1200,
      intervalMs: 60_000,
      header: 'x-mbx-used-weight-1m',
    })
    expect(weightLimitFrom(undefined)).toBe(undefined)
    expect(weightLimitFrom([{ rateLimitType: 'REQUEST_WEIGHT', interval: 'FORTNIGHT', intervalNum: 1, limit: 1 }])).toBe(undefined)
  })
})

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
})

describe('SnapshotScheduler', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('fetches within the budget and concurrency, one request per symbol at a time', async () => {
    vi.useFakeTimers({ now: 0 })
    const budget = new WeightBudget({ limit: 10, windowMs: 1000 })
    const answers = new Map<string, (value: number) => void>()
    const started: Array<[string, number]> = []
    const got: string[] = []
    const scheduler = new SnapshotScheduler<number>(budget, {
      weight: 5,
      concurrency: 3,
      fetch: (symbol) => {
        started.push([symbol, Date.now()])
        return new Promise<number>((resolve) => answers.set(symbol, resolve))
      },
      onSnapshot: (symbol) => got.push(symbol),
      onError: () => {},
    })
    for (const symbol of ['A', 'B', 'C', 'A']) scheduler.request(symbol)
    expect(started).toEqual([
      ['A', 0],
      ['B', 0],
    ]) // 2 × 5 fills the budget
    expect(scheduler.progress).toEqual({ queued: 1, inFlight: 2, fetched: 0, failed: 0 })
    answers.get('A')!(1)
    await vi.advanceTimersByTimeAsync(999)
    expect(started).toHaveLength(2)
    await vi.advanceTimersByTimeAsync(1)
    expect(started.at(-1)).toEqual(['C', 1000])
    expect(got).toEqual(['A'])
    scheduler.stop()
  })

  it('runs other requests (trade recovery) inside the same budget, in queue order, and rejects them on stop()', async () => {
    vi.useFakeTimers({ now: 0 })
    const budget = new WeightBudget({ limit: 30, windowMs: 1000 })
    const started: Array<[string, number]> = []
    const scheduler = new SnapshotScheduler<number>(budget, {
      weight: 5,
      concurrency: 10,
      fetch: (symbol) => {
        started.push([symbol, Date.now()])
        return Promise.resolve(1)
      },
      onSnapshot: () => {},
      onError: () => {},
    })
    scheduler.request('A') // 5
    const first = scheduler.submit(25, () => {
      started.push(['trades 1', Date.now()])
      return Promise.resolve('rows')
    }) // 30: the budget is full
    const second = scheduler.submit(25, () => {
      started.push(['trades 2', Date.now()])
      return Promise.resolve('more rows')
    })
    await expect(first).resolves.toBe('rows')
    expect(started).toEqual([
      ['A', 0],
      ['trades 1', 0],
    ])
    await vi.advanceTimersByTimeAsync(1000)
    await expect(second).resolves.toBe('more rows')
    expect(started.at(-1)).toEqual(['trades 2', 1000])
    const queued = scheduler.submit(30, () => Promise.resolve(0)) // waits for the window: still queued at stop()
    scheduler.stop()
    await expect(queued).rejects.toThrow('stopped')
    await expect(scheduler.submit(1, () => Promise.resolve(0))).rejects.toThrow('stopped')
  })

  it('turns a snapshot handler that throws into a failed request and goes on with the queue', async () => {
    const errors: string[] = []
    let bDone!: () => void
    const b = new Promise<void>((resolve) => (bDone = resolve))
    const scheduler = new SnapshotScheduler<number>(new WeightBudget({ limit: 100, windowMs: 1000 }), {
      weight: 1,
      concurrency: 1,
      fetch: () => Promise.resolve(1),
      onSnapshot: (symbol) => {
        if (symbol === 'A') throw new TypeError('unreadable snapshot')
        bDone()
      },
      onError: (symbol, error) => errors.push(`${symbol}: ${(error as Error).message}`),
    })
    scheduler.request('A')
    scheduler.request('B')
    await b // B still ran: the queue went on after A's handler threw
    expect(errors).toEqual(['A: unreadable snapshot'])
    expect(scheduler.progress).toMatchObject({ fetched: 1, failed: 1, queued: 0, inFlight: 0 })
    scheduler.stop()
  })

  it('reports failures and stops fetching after stop()', async () => {
    const errors: string[] = []
    let calls = 0
    const scheduler = new SnapshotScheduler<number>(new WeightBudget({ limit: 100, windowMs: 1000 }), {
      weight: 1,
      concurrency: 1,
      fetch: async () => {
        calls++
        throw new Error('boom')
      },
      onSnapshot: () => {},
      onError: (symbol, error) => errors.push(`${symbol}: ${(error as Error).message}`),
    })
    scheduler.request('A')
    scheduler.request('B')
    await vi.waitFor(() => expect(errors).toEqual(['A: boom', 'B: boom']))
    scheduler.stop()
    scheduler.request('C')
    expect(calls).toBe(2)
    expect(scheduler.progress.failed).toBe(2)
  })
})
