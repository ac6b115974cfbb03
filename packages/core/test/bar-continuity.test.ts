import { describe, expect, it } from 'vitest'
import { BarContinuity } from '../src/index.js'
import type { BarEvent, BarHole, MarketEvent, StatusEvent } from '../src/index.js'

const MIN = 60_000_000
const T0 = Date.UTC(2026, 11, 5, 10) * 1000
const NOW = T0 + 3 * 3_600_000_000
/** Bar number n of the series opens at T0 + n minutes. */
const at = (n: number): number => T0 + n * MIN

const bar = (n: number, closed: boolean, tick = 0): BarEvent => ({
  type: 'bar',
  exchange: 'test',
  symbol: 'BTCUSDT',
  interval: '1m',
  openTime: at(n),
  open: 100 + n,
  high: 101 + n,
  low: 99 + n,
  close: 100.5 + n,
  volume: 1 + tick,
  closed,
  timestamp: at(n) + tick * 1000,
  localTimestamp: NOW,
})

interface Harness {
  readonly bars: BarContinuity
  readonly events: MarketEvent[]
  readonly asked: BarHole[]
  feed(...updates: BarEvent[]): void
  /** Resolves once `done` holds, re-checked on every emit. */
  until(done: () => boolean): Promise<void>
}

/** History serving bar numbers `served` (closed), plus an open bar `openAfter` when given (the coverage proof). */
function harness(served: (n: number) => boolean, options: { fail?: string; openAfter?: number; history?: boolean; maxAgeMicros?: number } = {}): Harness {
  const events: MarketEvent[] = []
  const asked: BarHole[] = []
  let wake = (): void => {}
  const bars = new BarContinuity({
    exchange: 'test',
    ...(options.history === false
      ? {}
      : {
          history: {
            name: 'GET /klines',
            async *fetch(hole) {
              asked.push(hole)
              if (options.fail !== undefined) throw new Error(options.fail)
              const page: BarEvent[] = []
              for (let n = (hole.fromOpenTime - T0) / MIN; n <= (hole.toOpenTime - T0) / MIN; n++) if (served(n)) page.push(bar(n, true))
              if (options.openAfter !== undefined) page.push(bar(options.openAfter, false))
              yield page
            },
          },
        }),
    maxRecoveredBars: 100,
    ...(options.maxAgeMicros === undefined ? {} : { maxResumeAgeMicros: options.maxAgeMicros }),
    unrecoveredReason: 'bars missed (no history)',
    emit: (event) => {
      events.push(event)
      wake()
    },
    now: () => NOW,
  })
  return {
    bars,
    events,
    asked,
    feed(...updates) {
      for (const update of updates) {
        const out: MarketEvent[] = []
        bars.accept(update, out)
        events.push(...out)
      }
    },
    async until(done) {
      while (!done()) await new Promise<void>((resolve) => (wake = resolve))
    },
  }
}

/** `n` for a closed bar, `n~` for an open update, `gap a-b` (bar numbers) for a gap marker. */
function shape(events: readonly MarketEvent[]): string[] {
  return events.flatMap((e) => {
    if (e.type === 'bar') return [`${(e.openTime - T0) / MIN}${e.closed ? '' : '~'}`]
    if (e.type === 'status' && e.status === 'gap') return [`gap ${(Number(e.fromId) - T0) / MIN}-${(Number(e.toId) - T0) / MIN}`]
    return []
  })
}
const gaps = (events: readonly MarketEvent[]): StatusEvent[] => events.filter((e): e is StatusEvent => e.type === 'status' && e.status === 'gap')

describe('BarContinuity', () => {
  it('passes a continuous series through: updates of the open bar, then its close, then the next bar', () => {
    const h = harness(() => true)
    h.feed(bar(0, false), bar(0, false, 1), bar(0, true, 2), bar(1, false), bar(1, true, 1), bar(2, false))
    expect(shape(h.events)).toEqual(['0~', '0~', '0', '1~', '1', '2~'])
    expect(h.asked).toEqual([])
  })

  it('drops closed bars seen again and updates of a bar already closed', () => {
    const h = harness(() => true)
    h.feed(bar(0, true), bar(1, false), bar(1, true), bar(0, true), bar(1, false, 3), bar(1, true, 4), bar(2, false))
    expect(shape(h.events)).toEqual(['0', '1~', '1', '2~'])
    expect(h.bars.duplicates).toBe(3)
  })

  it('recovers a missed close (the next bar began without it) and holds live updates behind it', async () => {
    const h = harness(() => true)
    h.feed(bar(0, false), bar(1, false), bar(1, false, 1))
    expect(h.asked).toEqual([{ symbol: 'BTCUSDT', interval: '1m', fromOpenTime: at(0), toOpenTime: at(0) }])
    expect(shape(h.events)).toEqual(['0~'])
    expect(h.bars.recovering('BTCUSDT', '1m')).toBe(true)
    await h.until(() => h.events.length === 4)
    expect(shape(h.events)).toEqual(['0~', '0', '1~', '1~'])
    expect(h.bars.recovering('BTCUSDT', '1m')).toBe(false)
  })

  it('recovers the closed bars of an outage in order, skipping intervals the history proves empty', async () => {
    // Bars 2 and 4 had no trades: the exchange returns nothing for them, but it did answer past the hole.
    const h = harness((n) => n !== 2 && n !== 4, { openAfter: 7 })
    h.feed(bar(0, true), bar(7, false))
    expect(h.asked.map((hole) => [hole.fromOpenTime, hole.toOpenTime])).toEqual([[at(1), at(6)]])
    await h.until(() => h.events.some((e) => e.type === 'bar' && e.openTime === at(7)))
    expect(shape(h.events)).toEqual(['0', '1', '3', '5', '6', '7~'])
    expect(gaps(h.events)).toEqual([])
  })

  it('reports bars the history did not answer for as one gap of their open times', async () => {
    // The history stops at bar 3 with nothing past the hole: 4..6 are unaccounted for.
    const h = harness((n) => n <= 3)
    h.feed(bar(0, true), bar(7, false))
    await h.until(() => h.events.some((e) => e.type === 'bar' && e.openTime === at(7)))
    expect(shape(h.events)).toEqual(['0', '1', '2', '3', 'gap 4-6', '7~'])
    const [gap] = gaps(h.events)
    expect(gap).toMatchObject({ channel: 'bars:1m', symbol: 'BTCUSDT', fromId: String(at(4)), toId: String(at(6)), reason: 'not returned by GET /klines' })
  })

  it('reports a failed fetch as a gap naming the endpoint and the error', async () => {
    const h = harness(() => true, { fail: 'HTTP 500' })
    h.feed(bar(0, true), bar(3, true))
    await h.until(() => h.events.length === 3)
    expect(shape(h.events)).toEqual(['0', 'gap 1-2', '3'])
    expect(gaps(h.events)[0]!.reason).toBe('GET /klines failed: HTTP 500')
  })

  it('without a history, reports a missed close at once', () => {
    const h = harness(() => true, { history: false })
    h.feed(bar(0, true), bar(2, false))
    expect(shape(h.events)).toEqual(['0', 'gap 1-1', '2~'])
    expect(gaps(h.events)[0]!.reason).toBe('bars missed (no history)')
  })

  it('resumes after a consumer checkpoint: recovers the closed bars since, never repeats one before', async () => {
    const h = harness(() => true, { openAfter: 10 })
    h.bars.resume('BTCUSDT', '1m', { lastOpenTime: at(5) })
    h.feed(bar(5, true), bar(10, false))
    expect(h.asked.map((hole) => [hole.fromOpenTime, hole.toOpenTime])).toEqual([[at(6), at(9)]])
    await h.until(() => h.events.length === 5)
    expect(shape(h.events)).toEqual(['6', '7', '8', '9', '10~'])
  })

  it('reports a resume point whose bar closed longer ago than the bound as one gap', () => {
    const h = harness(() => true, { maxAgeMicros: 3_600_000_000 })
    h.bars.resume('BTCUSDT', '1m', { lastOpenTime: at(5) }) // closed 2 h 54 min before NOW
    h.feed(bar(170, false))
    expect(shape(h.events)).toEqual(['gap 6-169', '170~'])
    expect(gaps(h.events)[0]!.reason).toMatch(/older than maxResumeAgeMs \(3600000 ms\)/)
  })

  it('keeps series of different intervals and symbols apart', () => {
    const h = harness(() => true)
    const hourly: BarEvent = { ...bar(0, false), interval: '1h' }
    const other: BarEvent = { ...bar(3, false), symbol: 'ETHUSDT' }
    h.feed(bar(0, false), hourly, other, bar(0, true), { ...hourly, closed: true }, bar(1, false))
    expect(h.asked).toEqual([])
    expect(h.events).toHaveLength(6)
  })

  it('counts calendar months as consecutive bars', () => {
    const h = harness(() => true)
    const month = (y: number, m: number, closed: boolean): BarEvent => ({ ...bar(0, closed), interval: '1M', openTime: Date.UTC(y, m, 1) * 1000 })
    h.feed(month(2024, 0, true), month(2024, 1, true), month(2024, 2, false))
    expect(h.asked).toEqual([])
    h.feed(month(2024, 4, false))
    expect(h.asked.map((hole) => [hole.fromOpenTime, hole.toOpenTime])).toEqual([[Date.UTC(2024, 2, 1) * 1000, Date.UTC(2024, 3, 1) * 1000]])
  })
})
