import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { SnapshotScheduler } from '../src/index.js'
import type { SnapshotSchedulerOptions } from '../src/index.js'

/** A fetch the test answers by hand: `answer(symbol, value)` resolves, `refuse(symbol, error)` rejects the oldest open call. */
function manualFetch() {
  const calls: { symbol: string; signal: AbortSignal; resolve(value: number): void; reject(error: unknown): void }[] = []
  const fetch = (symbol: string, signal: AbortSignal): Promise<number> =>
    new Promise<number>((resolve, reject) => calls.push({ symbol, signal, resolve, reject }))
  const open = (symbol: string) => {
    const call = calls.find((c) => c.symbol === symbol)
    if (call === undefined) throw new Error(`no fetch in flight for ${symbol}`)
    calls.splice(calls.indexOf(call), 1)
    return call
  }
  return {
    fetch,
    calls,
    /** Symbols fetched so far, in order (answered or not). */
    started: [] as string[],
    answer: (symbol: string, value: number) => open(symbol).resolve(value),
    refuse: (symbol: string, error: unknown) => open(symbol).reject(error),
  }
}

function scheduler(
  fetcher: ReturnType<typeof manualFetch>,
  options: Partial<SnapshotSchedulerOptions<number>> & { signal: AbortSignal },
): SnapshotScheduler<number> {
  return new SnapshotScheduler<number>({
    fetch: (symbol, signal) => {
      fetcher.started.push(symbol)
      return fetcher.fetch(symbol, signal)
    },
    onSnapshot: () => {},
    ...options,
  })
}

describe('SnapshotScheduler', () => {
  let controller: AbortController

  beforeEach(() => {
    vi.useFakeTimers({ now: 0 })
    controller = new AbortController()
  })
  afterEach(() => {
    controller.abort()
    vi.useRealTimers()
  })

  it('sends one request per symbol while it is queued, in flight or waiting for a retry', async () => {
    const f = manualFetch()
    const retriesDue: string[] = []
    const s = scheduler(f, { signal: controller.signal, concurrency: 1, retryDelayMs: 1000, onRetryDue: (symbol) => retriesDue.push(symbol) })
    s.request('A')
    s.request('B')
    s.request('A') // in flight
    s.request('B') // queued
    expect(f.started).toEqual(['A'])
    expect(s.progress).toEqual({ queued: 1, inFlight: 1, fetched: 0, failed: 0 })

    f.refuse('A', new Error('HTTP 503'))
    await vi.advanceTimersByTimeAsync(0)
    expect(f.started).toEqual(['A', 'B'])
    s.request('A') // waiting for its retry
    expect(f.started).toEqual(['A', 'B'])
    expect(s.progress).toEqual({ queued: 1, inFlight: 1, fetched: 0, failed: 1 })

    f.answer('B', 2)
    await vi.advanceTimersByTimeAsync(0)
    s.request('B') // answered: no longer pending, so a new request goes out
    expect(f.started).toEqual(['A', 'B', 'B'])
    await vi.advanceTimersByTimeAsync(1000)
    expect(retriesDue).toEqual(['A'])
    s.request('A')
    f.answer('B', 3)
    await vi.advanceTimersByTimeAsync(0)
    expect(f.started).toEqual(['A', 'B', 'B', 'A'])
  })

  it('keeps at most concurrency requests in flight and starts queued ones in order as answers arrive', async () => {
    const f = manualFetch()
    const got: string[] = []
    const s = scheduler(f, { signal: controller.signal, concurrency: 2, onSnapshot: (symbol, value) => got.push(`${symbol}=${value}`) })
    for (const symbol of ['A', 'B', 'C', 'D']) s.request(symbol)
    expect(f.started).toEqual(['A', 'B'])
    expect(s.progress).toEqual({ queued: 2, inFlight: 2, fetched: 0, failed: 0 })

    f.answer('B', 2)
    await vi.advanceTimersByTimeAsync(0)
    expect(f.started).toEqual(['A', 'B', 'C'])
    expect(s.progress).toEqual({ queued: 1, inFlight: 2, fetched: 1, failed: 0 })
    f.answer('A', 1)
    await vi.advanceTimersByTimeAsync(0)
    expect(f.started).toEqual(['A', 'B', 'C', 'D'])
    f.answer('C', 3)
    f.answer('D', 4)
    await vi.advanceTimersByTimeAsync(0)
    expect(got).toEqual(['B=2', 'A=1', 'C=3', 'D=4'])
    expect(s.progress).toEqual({ queued: 0, inFlight: 0, fetched: 4, failed: 0 })
  })

  it('counts a throwing onSnapshot as a failed request and retries it, never rejecting unhandled', async () => {
    const unhandled: unknown[] = []
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason)
    process.on('unhandledRejection', onUnhandled)
    try {
      const f = manualFetch()
      const retriesDue: string[] = []
      const s = scheduler(f, {
        signal: controller.signal,
        retryDelayMs: 500,
        onSnapshot: () => {
          throw new TypeError('unreadable snapshot')
        },
        onRetryDue: (symbol) => retriesDue.push(symbol),
      })
      s.request('A')
      f.answer('A', 1)
      await vi.advanceTimersByTimeAsync(0)
      expect(s.progress).toEqual({ queued: 1, inFlight: 0, fetched: 0, failed: 1 })
      await vi.advanceTimersByTimeAsync(500)
      expect(retriesDue).toEqual(['A'])
      // Node reports an unhandled rejection after the microtask queue drains: give it a macrotask turn.
      vi.useRealTimers()
      await new Promise((resolve) => setImmediate(resolve))
      expect(unhandled).toEqual([])
    } finally {
      process.off('unhandledRejection', onUnhandled)
    }
  })

  it('calls onRetryDue retryDelayMs after a non-fatal failure, and asks again by itself without onRetryDue', async () => {
    const f = manualFetch()
    const retriesDue: string[] = []
    const s = scheduler(f, { signal: controller.signal, retryDelayMs: 2000, onRetryDue: (symbol) => retriesDue.push(symbol) })
    s.request('A')
    f.refuse('A', new Error('HTTP 503'))
    await vi.advanceTimersByTimeAsync(1999)
    expect(retriesDue).toEqual([])
    expect(s.progress).toEqual({ queued: 1, inFlight: 0, fetched: 0, failed: 1 })
    await vi.advanceTimersByTimeAsync(1)
    expect(retriesDue).toEqual(['A'])
    expect(f.started).toEqual(['A']) // the adapter decides whether it still needs it
    expect(s.progress.queued).toBe(0)

    const g = manualFetch()
    const self = scheduler(g, { signal: controller.signal }) // default retryDelayMs 5000, no onRetryDue
    self.request('B')
    g.refuse('B', new Error('HTTP 503'))
    await vi.advanceTimersByTimeAsync(4999)
    expect(g.started).toEqual(['B'])
    await vi.advanceTimersByTimeAsync(1)
    expect(g.started).toEqual(['B', 'B'])
  })

  it('spaces two requests for one symbol by minSpacingMs (a venue answering stale snapshots is not asked in a loop)', async () => {
    const fetcher = manualFetch()
    const seen: string[] = []
    const snapshots = scheduler(fetcher, {
      signal: controller.signal,
      minSpacingMs: 500,
      onSnapshot: (symbol) => {
        seen.push(symbol)
        snapshots.request(symbol) // the answer was stale: ask again
      },
    })
    snapshots.request('A')
    snapshots.request('B')
    expect(fetcher.started).toEqual(['A', 'B'])
    fetcher.answer('A', 1)
    await vi.advanceTimersByTimeAsync(0)
    expect(fetcher.started).toEqual(['A', 'B'])
    expect(snapshots.progress.queued).toBe(1)
    await vi.advanceTimersByTimeAsync(499)
    expect(fetcher.started).toEqual(['A', 'B'])
    await vi.advanceTimersByTimeAsync(1)
    expect(fetcher.started).toEqual(['A', 'B', 'A'])
    expect(seen).toEqual(['A'])
  })

  it('hands a fatal failure to onFatal and never retries it', async () => {
    const f = manualFetch()
    const fatal: unknown[] = []
    const retriesDue: string[] = []
    const refused = Object.assign(new Error('Invalid symbol.'), { exchangeCode: -1121 })
    const s = scheduler(f, {
      signal: controller.signal,
      retryDelayMs: 100,
      isFatal: (error) => (error as { exchangeCode?: number }).exchangeCode === -1121,
      onFatal: (error) => fatal.push(error),
      onRetryDue: (symbol) => retriesDue.push(symbol),
    })
    s.request('NOPE')
    s.request('A')
    f.refuse('NOPE', refused)
    f.refuse('A', new Error('HTTP 503')) // not fatal: retried
    await vi.advanceTimersByTimeAsync(10_000)
    expect(fatal).toEqual([refused])
    expect(retriesDue).toEqual(['A'])
    expect(f.started).toEqual(['NOPE', 'A'])
    expect(s.progress).toEqual({ queued: 0, inFlight: 0, fetched: 0, failed: 2 })
  })

  it('drops queued requests and pending retries and ignores answers in flight once the signal aborts', async () => {
    const f = manualFetch()
    const got: string[] = []
    const retriesDue: string[] = []
    const s = scheduler(f, {
      signal: controller.signal,
      concurrency: 2,
      retryDelayMs: 100,
      onSnapshot: (symbol) => got.push(symbol),
      onRetryDue: (symbol) => retriesDue.push(symbol),
    })
    for (const symbol of ['A', 'B', 'C', 'D']) s.request(symbol)
    f.refuse('A', new Error('HTTP 503')) // A waits for its retry; C starts
    await vi.advanceTimersByTimeAsync(0)
    expect(f.started).toEqual(['A', 'B', 'C'])
    expect(f.calls.every((call) => call.signal === controller.signal)).toBe(true)

    controller.abort()
    expect(s.progress).toMatchObject({ queued: 0 })
    f.answer('B', 2)
    f.refuse('C', new Error('aborted'))
    await vi.advanceTimersByTimeAsync(10_000)
    s.request('E')
    expect(f.started).toEqual(['A', 'B', 'C']) // D was dropped, E is refused
    expect(got).toEqual([])
    expect(retriesDue).toEqual([])
    expect(s.progress).toEqual({ queued: 0, inFlight: 0, fetched: 0, failed: 1 })
  })
})
