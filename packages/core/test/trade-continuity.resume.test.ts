import { describe, expect, it } from 'vitest'
import { TradeContinuity } from '../src/index.js'
import type { MarketEvent, StatusEvent, TradeEvent, TradeHole } from '../src/index.js'

const NOW = Date.UTC(2026, 11, 5) * 1000
const trade = (id: number): TradeEvent => ({
  type: 'trade',
  exchange: 'test',
  symbol: 'BTCUSDT',
  id: String(id),
  price: 100,
  amount: 1,
  side: 'buy',
  timestamp: NOW - 60_000_000 + id,
  localTimestamp: NOW,
})

/** A continuity resumed at `lastId`, whose history serves any id (and records what it was asked). */
function resumed(lastId: number, lastTimestamp: number, maxResumeAgeMicros = 86_400_000_000) {
  const asked: TradeHole[] = []
  const events: MarketEvent[] = []
  let settle: () => void = () => {}
  const idle = (): Promise<void> => new Promise((resolve) => (settle = resolve))
  const continuity = new TradeContinuity({
    exchange: 'test',
    history: {
      name: 'GET /trades',
      async *fetch(hole) {
        asked.push(hole)
        const ids = Array.from({ length: hole.toId - hole.fromId + 1 }, (_, i) => hole.fromId + i)
        yield ids.map(trade)
      },
    },
    maxRecoveredTrades: 1000,
    maxResumeAgeMicros,
    unrecoveredReason: 'off',
    emit: (event) => {
      events.push(event)
      settle()
    },
    now: () => NOW,
  })
  continuity.resume('BTCUSDT', { lastId: String(lastId), lastTimestamp })
  const feed = (...ids: number[]): void => {
    for (const id of ids) {
      const out: MarketEvent[] = []
      continuity.accept(trade(id), out)
      events.push(...out)
    }
  }
  return { continuity, asked, events, feed, idle }
}

const ids = (events: readonly MarketEvent[]): number[] => events.flatMap((e) => (e.type === 'trade' ? [Number(e.id)] : []))
const gaps = (events: readonly MarketEvent[]): StatusEvent[] => events.filter((e): e is StatusEvent => e.type === 'status' && e.status === 'gap')

describe('TradeContinuity resumed from a consumer checkpoint', () => {
  it('recovers the ids missed since the resume point, from its time, before the live ones', async () => {
    const h = resumed(100, NOW - 600_000_000)
    h.feed(106, 107)
    expect(h.asked).toEqual([{ symbol: 'BTCUSDT', fromId: 101, toId: 105, afterTimestamp: NOW - 600_000_000 }])
    expect(h.events).toEqual([]) // held behind the recovery
    while (ids(h.events).length < 7) await h.idle()
    expect(ids(h.events)).toEqual([101, 102, 103, 104, 105, 106, 107])
    expect(gaps(h.events)).toEqual([])
  })

  it('never emits an id at or before the resume point, and needs no request when nothing was missed', () => {
    const h = resumed(100, NOW - 1_000_000)
    h.feed(98, 99, 100, 101, 102)
    expect(ids(h.events)).toEqual([101, 102])
    expect(h.asked).toEqual([])
    expect(h.continuity.duplicates).toBe(3)
    expect(h.continuity.has('BTCUSDT')).toBe(true)
  })

  it('reports a resume point older than the bound as exactly one gap naming the option, then continues live', () => {
    const h = resumed(100, NOW - 25 * 3_600_000_000)
    h.feed(5000, 5001)
    expect(h.asked).toEqual([])
    expect(gaps(h.events).map(({ fromId, toId }) => [fromId, toId])).toEqual([['101', '4999']])
    expect(gaps(h.events)[0]!.reason).toMatch(/older than maxResumeAgeMs \(86400000 ms\)/)
    expect(ids(h.events)).toEqual([5000, 5001])
  })

  it('applies the age bound to the resume point only: a later hole is recovered as usual', () => {
    const h = resumed(100, NOW - 25 * 3_600_000_000)
    h.feed(101, 105)
    expect(h.asked.map((hole) => [hole.fromId, hole.toId])).toEqual([[102, 104]])
  })

  it('ignores a resume point for a symbol that has already traded', () => {
    const h = resumed(100, NOW - 1_000_000)
    h.feed(101)
    h.continuity.resume('BTCUSDT', { lastId: '50', lastTimestamp: NOW })
    h.feed(102)
    expect(ids(h.events)).toEqual([101, 102])
  })
})
