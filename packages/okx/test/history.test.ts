/**
 * `exchange.createHistory()` (what `dccd backfill okx` downloads) against the simulated OKX's REST
 * history: trades read backwards an hour at a time and handed out oldest first, resumable; closed
 * candles oldest first; the offline checks.
 */
import { InvalidArgumentError } from '@dccd/core'
import type { BarEvent, MarketEvent, TradeEvent } from '@dccd/core'
import { afterEach, describe, expect, it } from 'vitest'
import { createOkxHistory } from '../src/index.js'
import { SimulatedOkx } from './support/simulated-okx.js'

const HOUR = 3_600_000
let sim: SimulatedOkx | undefined
afterEach(async () => {
  await sim?.close()
  sim = undefined
})

async function drain(pages: AsyncIterable<readonly MarketEvent[]>): Promise<MarketEvent[]> {
  const out: MarketEvent[] = []
  for await (const page of pages) out.push(...page)
  return out
}

describe('OKX history', () => {
  it('serves every fill of a 2.5-hour range once, ascending, and resumes after a given trade', async () => {
    sim = await SimulatedOkx.start({ instruments: ['BTC-USDT'], stepMs: 10_000, tradesPerSecond: 0.3, rateLimit: { requests: 1000, windowMs: 2000 } })
    const start = sim.now
    sim.advance(3 * HOUR)
    const history = createOkxHistory({ restUrl: sim.restUrl }, { requestsPer2s: 1000 })
    const from = (start + 10 * 60_000) * 1000
    const to = (start + 160 * 60_000) * 1000
    const trades = (await drain(history.trades({ symbol: 'BTC-USDT', from, to }, new AbortController().signal))) as TradeEvent[]
    const truth = sim.trades('BTC-USDT').filter((fill) => fill.ts * 1000 >= from && fill.ts * 1000 < to)
    expect(truth.length).toBeGreaterThan(1000)
    expect(trades.map((t) => [Number(t.id), t.amount])).toEqual(truth.map((fill) => [fill.tradeId, Number(fill.sz)]))
    const middle = trades[Math.floor(trades.length / 2)]!
    const rest = (await drain(
      history.trades({ symbol: 'BTC-USDT', from, to, after: { lastId: middle.id, lastTimestamp: middle.timestamp } }, new AbortController().signal),
    )) as TradeEvent[]
    expect(rest.map((t) => t.id)).toEqual(trades.slice(trades.indexOf(middle) + 1).map((t) => t.id))
  })

  it('serves the closed candles of a range oldest first', async () => {
    sim = await SimulatedOkx.start({ instruments: ['BTC-USDT'], stepMs: 10_000, tradesPerSecond: 0.5, rateLimit: { requests: 1000, windowMs: 2000 } })
    const start = sim.now
    sim.advance(5 * HOUR)
    const history = createOkxHistory({ restUrl: sim.restUrl }, { requestsPer2s: 1000 })
    const from = (start + HOUR) * 1000
    const to = (start + 4 * HOUR) * 1000
    const bars = (await drain(history.bars({ symbol: 'BTC-USDT', interval: '1m', from, to }, new AbortController().signal))) as BarEvent[]
    expect(bars).toHaveLength(180)
    expect(bars.every((bar, i) => bar.closed && bar.openTime === from + i * 60_000_000)).toBe(true)
  })

  it('rejects offline what OKX cannot serve, naming it', () => {
    const history = createOkxHistory()
    const now = Date.UTC(2026, 5, 1) * 1000
    const day = 86_400_000_000
    expect(() => history.check({ symbols: ['BTC-USDT'], channels: ['book'], from: now - day, to: now }, now)).toThrow(/OKX serves no book history/)
    expect(() => history.check({ symbols: ['BTC-USDT'], channels: ['trades'], from: now - 100 * day, to: now }, now)).toThrow(/history-trades serves the last 3 months/)
    expect(() => history.check({ symbols: ['BTC-USDT'], channels: ['bars:7m'], from: now - day, to: now }, now)).toThrow(InvalidArgumentError)
    expect(history.check({ symbols: ['BTC-USDT'], channels: ['trades', 'bars:1h'], from: now - day, to: now }, now).map((c) => c.name)).toEqual(['trades', 'bars:1h'])
  })
})
