import type { BarEvent, BarHistorySource, BarHole, MarketEvent } from '@dccd/core'
import { FakeExchange } from '@dccd/testkit'
import type { FakeConnection } from '@dccd/testkit'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { MarketFeed } from '../src/index.js'
import { brief, collect, DemoFeed, manualHistory, send, subscribed, trade } from './support/demo-feed.js'
import { eventually } from './support/feeds.js'

const MIN = 60_000_000
// An hour ago, on a whole minute: resume points are judged against the real clock (maxResumeAgeMs, 24 h by
// default), so a fixed date made the bar test fail once it was a day old.
const T0 = (Math.floor(Date.now() / 60_000) - 60) * 60_000 * 1000
const at = (n: number): number => T0 + n * MIN

type WireBar = Omit<BarEvent, 'type' | 'exchange' | 'localTimestamp'>
const wireBar = (n: number, closed: boolean): WireBar => ({
  symbol: 'A',
  interval: '1m',
  openTime: at(n),
  open: n,
  high: n,
  low: n,
  close: n,
  volume: 1,
  closed,
  timestamp: at(n) + (closed ? MIN - 1 : 1000),
})
const sendBar = (connection: FakeConnection, n: number, closed: boolean): void => connection.send({ s: 'A', id: 0, ts: 0, bar: wireBar(n, closed) })

/** Bar history answering every hole with closed bars, plus the open bar after it (the coverage proof). */
function barHistory(): BarHistorySource & { holes: BarHole[] } {
  const holes: BarHole[] = []
  return {
    name: 'GET /demo/klines',
    holes,
    async *fetch(hole) {
      holes.push(hole)
      const page: BarEvent[] = []
      for (let t = hole.fromOpenTime; t <= hole.toOpenTime + MIN; t += MIN) {
        const n = (t - T0) / MIN
        page.push({ type: 'bar', exchange: 'demo', ...wireBar(n, t <= hole.toOpenTime), localTimestamp: 0 })
      }
      yield page
    },
  }
}

let fx: FakeExchange
let feed: MarketFeed | undefined

beforeEach(async () => {
  fx = await FakeExchange.start()
})
afterEach(async () => {
  await feed?.stop()
  await fx.close()
  feed = undefined
})

describe('MarketFeed resume points', () => {
  it('starts each symbol from its resume point: the missed ids are asked for from the point’s time, older ones never emitted', async () => {
    const history = manualHistory()
    const minuteAgo = Date.now() * 1000 - 60_000_000
    const f = (feed = new DemoFeed({
      slots: [{ url: fx.wsUrl, symbols: ['A', 'B'] }],
      trades: { history: history.source, maxRecoveredTrades: 1000 },
      resume: { A: { trades: { lastId: '5', lastTimestamp: minuteAgo } } },
    }))
    expect(f.positions()).toEqual({ A: { trades: { lastId: '5', lastTimestamp: minuteAgo } } })
    const seen = collect(f)
    const s1 = await fx.waitForConnection(1)
    await subscribed(s1)
    send(s1, 'A', 4)
    send(s1, 'A', 5)
    send(s1, 'A', 9)
    await eventually(() => history.asked === 1)
    expect(history.holes).toEqual([{ symbol: 'A', fromId: 6, toId: 8, afterTimestamp: minuteAgo }])
    history.answer([trade('A', 6), trade('A', 7), trade('A', 8)])
    await eventually(() => seen.length === 5)
    expect(seen.map(brief)).toEqual(['connected', 'trade A 6', 'trade A 7', 'trade A 8', 'trade A 9'])
    expect(f.positions().A!.trades!.lastId).toBe('9')
  })

  it('reports a resume point older than maxResumeAgeMs as one gap naming the option, then streams live', async () => {
    const history = manualHistory()
    const f = (feed = new DemoFeed({
      slots: [{ url: fx.wsUrl, symbols: ['A'] }],
      trades: { history: history.source, maxRecoveredTrades: 1000 },
      resume: { A: { trades: { lastId: '5', lastTimestamp: Date.now() * 1000 - 3_600_000_000 } } },
      maxResumeAgeMs: 60_000,
    }))
    const seen = collect(f)
    const s1 = await fx.waitForConnection(1)
    await subscribed(s1)
    send(s1, 'A', 500)
    await eventually(() => seen.length === 3)
    expect(seen.map(brief)).toEqual(['connected', 'gap A 6..499', 'trade A 500'])
    expect(seen[1]).toMatchObject({ reason: expect.stringContaining('older than maxResumeAgeMs (60000 ms)') })
    expect(history.asked).toBe(0)
  })
})

describe('MarketFeed bar continuity', () => {
  it('recovers the closes missed across a disconnect and reports closed bars as positions', async () => {
    const history = barHistory()
    const f = (feed = new DemoFeed({ slots: [{ url: fx.wsUrl, symbols: ['A'] }], bars: { history } }))
    const seen = collect(f)
    const s1 = await fx.waitForConnection(1)
    await subscribed(s1)
    sendBar(s1, 0, false)
    sendBar(s1, 0, true)
    sendBar(s1, 1, false)
    await eventually(() => seen.length === 4)
    s1.terminate()
    const s2 = await fx.waitForConnection(2)
    await subscribed(s2)
    sendBar(s2, 4, false) // bars 1..3 closed while the socket was down
    await eventually(() => seen.some((e) => e.type === 'bar' && e.openTime === at(4)))
    expect(history.holes).toEqual([{ symbol: 'A', interval: '1m', fromOpenTime: at(1), toOpenTime: at(3) }])
    expect(seen.filter((e) => e.type === 'bar').map(brief)).toEqual([
      `bar A 1m ${at(0)}~`,
      `bar A 1m ${at(0)}`,
      `bar A 1m ${at(1)}~`,
      `bar A 1m ${at(1)}`,
      `bar A 1m ${at(2)}`,
      `bar A 1m ${at(3)}`,
      `bar A 1m ${at(4)}~`,
    ])
    expect(f.positions()).toEqual({ A: { bars: { '1m': { lastOpenTime: at(3) } } } })
  })

  it('resumes bars after a consumer checkpoint', async () => {
    const history = barHistory()
    const f = (feed = new DemoFeed({
      slots: [{ url: fx.wsUrl, symbols: ['A'] }],
      bars: { history },
      resume: { A: { bars: { '1m': { lastOpenTime: at(2) } } } },
    }))
    const seen: MarketEvent[] = collect(f)
    const s1 = await fx.waitForConnection(1)
    await subscribed(s1)
    sendBar(s1, 2, true) // already held by the consumer
    sendBar(s1, 5, false)
    await eventually(() => seen.some((e) => e.type === 'bar' && e.openTime === at(5)))
    expect(seen.filter((e) => e.type === 'bar').map(brief)).toEqual([`bar A 1m ${at(3)}`, `bar A 1m ${at(4)}`, `bar A 1m ${at(5)}~`])
  })
})
