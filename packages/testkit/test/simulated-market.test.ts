import { describe, expect, it } from 'vitest'
import { SimulatedMarket } from '../src/index.js'

const START = Date.UTC(2026, 0, 1) * 1000
const market = (): SimulatedMarket =>
  new SimulatedMarket({ seed: 11, symbols: ['AAA', 'BBB'], start: START, tradesPerSecond: 4, quietMinuteChance: 0.2 })

describe('SimulatedMarket', () => {
  it('generates consecutive ids at non-decreasing times, only up to its clock', () => {
    const m = market()
    m.advance(10 * 60_000)
    for (const symbol of ['AAA', 'BBB']) {
      const trades = m.trades(symbol)
      expect(trades.length).toBeGreaterThan(1000)
      expect(trades[0]!.id).toBe(1000)
      for (let i = 1; i < trades.length; i++) {
        expect(trades[i]!.id).toBe(trades[i - 1]!.id + 1)
        expect(trades[i]!.time).toBeGreaterThanOrEqual(trades[i - 1]!.time)
      }
      expect(trades.at(-1)!.time).toBeLessThanOrEqual(m.now)
      expect(trades.some((t, i) => i > 0 && t.time === trades[i - 1]!.time)).toBe(true)
    }
  })

  it('is deterministic per seed, whatever steps the clock moves in', () => {
    const a = market()
    a.advance(5 * 60_000)
    const b = market()
    for (let i = 0; i < 300; i++) b.advance(1000)
    expect(b.trades('AAA')).toEqual(a.trades('AAA'))
  })

  it('serves lookups by id, by time and the latest, honouring a purge', () => {
    const m = market()
    m.advance(5 * 60_000)
    const all = m.trades('AAA')
    expect(m.tradesFromId('AAA', 1100, 3).map((t) => t.id)).toEqual([1100, 1101, 1102])
    const t = all[200]!.time
    expect(m.tradesAfter('AAA', t, 1000).every((x) => x.time > t)).toBe(true)
    expect(m.tradesAfter('AAA', t, 1000)[0]!.id).toBe(all.findLast((x) => x.time <= t)!.id + 1)
    expect(m.tradesBetween('AAA', all[10]!.time, all[20]!.time).at(-1)!.time).toBe(all[20]!.time)
    expect(m.latestTrades('AAA', 50).at(-1)).toEqual(all.at(-1))
    m.purgeBelow('AAA', 1500)
    expect(m.tradesFromId('AAA', 1000, 2).map((x) => x.id)).toEqual([1500, 1501])
    expect(m.tradesAfter('AAA', 0, 1)[0]!.id).toBe(1500)
  })

  it('aggregates bars from the trades, leaves quiet minutes out unless asked, and keeps the current one open', () => {
    const m = market()
    m.advance(30 * 60_000 + 20_000)
    const bars = m.bars('AAA', '1m')
    const trades = m.trades('AAA')
    const minuteOf = (time: number) => Math.floor(time / 60_000_000) * 60_000_000
    const expected = new Map<number, number>()
    for (const trade of trades) expected.set(minuteOf(trade.time), (expected.get(minuteOf(trade.time)) ?? 0) + 1)
    expect(bars.map((b) => [b.openTime, b.trades])).toEqual([...expected])
    expect(bars.length).toBeLessThan(31) // some quiet minutes at 20 %
    expect(bars.at(-1)!.closed).toBe(false)
    expect(bars.slice(0, -1).every((b) => b.closed)).toBe(true)
    const flat = m.bars('AAA', '1m', { emptyBars: 'flat' })
    expect(flat.length).toBe(31)
    const empty = flat.find((b) => b.trades === 0)!
    expect(empty.volume).toBe(0)
    expect(empty.open).toBe(flat[flat.indexOf(empty) - 1]!.close)
  })
})
