import type { Channel, ResumePoints } from '@dccd/core'
import { afterEach, describe, expect, it } from 'vitest'
import { SimulatedKraken } from './support/simulated-kraken.js'
import { closedBarsOf, gapsOf, marketBars, ohlcv, sawClosedBars, simulatedFeed } from './support/simulated-feed.js'

const HOUR_MS = 3_600_000
const MINUTE = 60_000_000
const anHourAgo = (): number => (Date.now() - HOUR_MS) * 1000

let sim: SimulatedKraken | undefined
afterEach(async () => {
  await sim?.close()
  sim = undefined
})

/** Open times of the market's closed 1m intervals without a trade, from `from` on. */
function quietMinutes(sim: SimulatedKraken, symbol: string, from: number): number[] {
  return sim.market.bars(symbol, '1m', { from, emptyBars: 'flat' }).filter((bar) => bar.closed && bar.trades === 0).map((bar) => bar.openTime)
}

describe('KrakenFeed bars with continuity (REST OHLC)', () => {
  it('loses and repeats no bar across a disconnect spanning several intervals, and closes the bar open at the disconnect with its final values', async () => {
    sim = await SimulatedKraken.start({ symbols: ['BTC/USD'], seed: 21, start: anHourAgo(), quietMinuteChance: 0 })
    sim.advance(10 * 60_000)
    const feed = simulatedFeed(sim, { channels: ['bars:1m', 'bars:5m'] })
    await sim.subscribed({ minutes: [1, 5] })
    sim.advance(2 * 60_000)
    await feed.until(sawClosedBars(sim))
    const openAtDisconnect = (length: number): number => Math.floor(disconnectedAt / length) * length
    const disconnectedAt = sim.market.now
    sim.disconnect()
    // Trades go on in the open minute and six more while no one listens.
    sim.advance(6 * 60_000)
    await sim.subscribed({ minutes: [1, 5] })
    sim.advance(2 * 60_000)
    await feed.until(sawClosedBars(sim))
    await feed.until(sawClosedBars(sim, '5m', 5 * MINUTE))
    await feed.feed.stop()
    expect(feed.feed.stats.reconnects).toBe(1)
    expect(gapsOf(feed.events)).toEqual([])
    for (const [interval, length] of [['1m', MINUTE], ['5m', 5 * MINUTE]] as const) {
      const bars = closedBarsOf(feed.events, 'BTC/USD', interval)
      expect(bars.map(ohlcv)).toEqual(marketBars(sim, 'BTC/USD', bars[0]!.openTime, bars.at(-1)!.openTime, interval))
      // The bar open at the disconnect is among them (with the values of its trades after the disconnect, above).
      expect(bars.some((bar) => bar.openTime === openAtDisconnect(length))).toBe(true)
    }
    // The outage's intervals are all there.
    expect(closedBarsOf(feed.events, 'BTC/USD').at(-1)!.openTime).toBeGreaterThanOrEqual(openAtDisconnect(MINUTE) + 6 * MINUTE)
    expect(sim.rest.count('/0/public/OHLC')).toBeGreaterThan(0)
  }, 20_000)

  it("fills quiet intervals (no WebSocket message) with Kraken's own zero-volume bar: nothing else invented, no gap", async () => {
    sim = await SimulatedKraken.start({ symbols: ['BTC/USD'], seed: 9, start: anHourAgo(), quietMinuteChance: 0.4 })
    sim.advance(5 * 60_000)
    const feed = simulatedFeed(sim, { channels: ['bars:1m'] })
    await sim.subscribed({ minutes: [1] })
    const live = sim.market.now
    // Until two quiet minutes have passed (which ones depends on the clock), and a trade closed them.
    do sim.advance(60_000)
    while (quietMinutes(sim, 'BTC/USD', live).length < 2 || sim.market.trades('BTC/USD').at(-1)!.time < quietMinutes(sim, 'BTC/USD', live).at(-1)! + MINUTE)
    await feed.until(sawClosedBars(sim))
    await feed.feed.stop()
    const bars = closedBarsOf(feed.events, 'BTC/USD')
    expect(bars.map(ohlcv)).toEqual(marketBars(sim, 'BTC/USD', bars[0]!.openTime, bars.at(-1)!.openTime))
    const quiet = quietMinutes(sim, 'BTC/USD', bars[0]!.openTime).filter((openTime) => openTime <= bars.at(-1)!.openTime)
    expect(quiet.length).toBeGreaterThanOrEqual(2)
    for (const openTime of quiet) {
      const index = bars.findIndex((bar) => bar.openTime === openTime)
      const before = bars[index - 1]!
      expect(bars[index]).toMatchObject({ open: before.close, high: before.close, low: before.close, close: before.close, volume: 0 })
    }
    expect(gapsOf(feed.events)).toEqual([])
    // One call per run of quiet minutes at most, each answered.
    expect(sim.rest.count('/0/public/OHLC')).toBeGreaterThan(0)
    expect(sim.rest.count('/0/public/OHLC')).toBeLessThanOrEqual(quiet.length)
    expect(sim.rest.calls.filter((call) => call.answer !== 'ok')).toEqual([])
  }, 20_000)

  it('resumes bars after a restart from resume.bars: every closed bar once, at 1m and 5m', async () => {
    sim = await SimulatedKraken.start({ symbols: ['BTC/USD', 'ETH/USD'], seed: 31, start: anHourAgo(), quietMinuteChance: 0 })
    sim.advance(12 * 60_000)
    const channels: Channel[] = ['bars:1m', 'bars:5m']
    const first = simulatedFeed(sim, { channels })
    await sim.subscribed({ minutes: [1, 5] })
    sim.advance(3 * 60_000)
    await first.until(sawClosedBars(sim))
    await first.feed.stop()
    const resume = first.feed.positions()
    sim.advance(7 * 60_000)
    const second = simulatedFeed(sim, { channels, resume })
    await sim.subscribed({ minutes: [1, 5] })
    sim.advance(6 * 60_000)
    await second.until(sawClosedBars(sim))
    await second.until(sawClosedBars(sim, '5m', 5 * MINUTE))
    await second.feed.stop()
    const events = [...first.events, ...second.events]
    expect(gapsOf(events)).toEqual([])
    for (const symbol of sim.market.symbols) {
      for (const interval of ['1m', '5m']) {
        const bars = closedBarsOf(events, symbol, interval)
        expect(bars.map(ohlcv)).toEqual(marketBars(sim, symbol, bars[0]!.openTime, bars.at(-1)!.openTime, interval))
      }
      expect(closedBarsOf(second.events, symbol)[0]!.openTime).toBe(resume[symbol]!.bars!['1m']!.lastOpenTime + MINUTE)
    }
  }, 20_000)

  it("reports the part of a hole older than OHLC's 720 intervals as one gap saying so, then recovers the rest", async () => {
    const start = (Date.now() - 14 * HOUR_MS) * 1000
    sim = await SimulatedKraken.start({ symbols: ['BTC/USD'], seed: 4, start, tradesPerSecond: 0.2, quietMinuteChance: 0 })
    sim.advance(14 * HOUR_MS - 2 * 60_000, 60_000)
    const currentOpen = Math.floor(sim.market.now / MINUTE) * MINUTE
    const resumeOpen = currentOpen - 800 * MINUTE
    const resume: ResumePoints = { 'BTC/USD': { bars: { '1m': { lastOpenTime: resumeOpen } } } }
    const feed = simulatedFeed(sim, { channels: ['bars:1m'], resume })
    await sim.subscribed({ minutes: [1] })
    await feed.until((events) => gapsOf(events).length > 0, 'the gap')
    sim.advance(2 * 60_000)
    await feed.until(sawClosedBars(sim))
    await feed.feed.stop()
    const windowStart = currentOpen - 719 * MINUTE
    const gaps = gapsOf(feed.events)
    expect(gaps).toEqual([
      expect.objectContaining({ symbol: 'BTC/USD', channel: 'bars:1m', fromId: String(resumeOpen + MINUTE), toId: String(windowStart - MINUTE) }),
    ])
    expect(gaps[0]!.reason).toMatch(/GET \/0\/public\/OHLC.*720/)
    const bars = closedBarsOf(feed.events, 'BTC/USD')
    expect(bars[0]!.openTime).toBe(windowStart)
    expect(bars.map(ohlcv)).toEqual(marketBars(sim, 'BTC/USD', windowStart, bars.at(-1)!.openTime))
    expect(feed.events.indexOf(gaps[0]!)).toBeLessThan(feed.events.indexOf(bars[0]!))
  }, 20_000)

  it.each([
    ['recoverBars: false', { recoverBars: false }],
    ['recoverTrades: false (recoverBars follows it)', { recoverTrades: false }],
  ])('with %s, asks REST nothing, leaves quiet intervals empty and emits nothing at or before the resume point', async (_, options) => {
    sim = await SimulatedKraken.start({ symbols: ['BTC/USD'], seed: 9, start: anHourAgo(), quietMinuteChance: 0.4, ohlcSnapshotCandles: 6 })
    sim.advance(20 * 60_000)
    const snapshot = sim.market.bars('BTC/USD', '1m', { from: sim.market.now - 60 * MINUTE }).slice(-6)
    const resume: ResumePoints = { 'BTC/USD': { bars: { '1m': { lastOpenTime: snapshot[2]!.openTime } } } }
    const feed = simulatedFeed(sim, { channels: ['bars:1m'], resume, ...options })
    await sim.subscribed({ minutes: [1] })
    const live = sim.market.now
    do sim.advance(60_000)
    while (quietMinutes(sim, 'BTC/USD', live).length < 1 || sim.market.trades('BTC/USD').at(-1)!.time < quietMinutes(sim, 'BTC/USD', live).at(-1)! + MINUTE)
    // Without recovery the last bar to close is the last that traded before the last trade's minute.
    const lastMinute = Math.floor(sim.market.trades('BTC/USD').at(-1)!.time / MINUTE) * MINUTE
    const due = sim.market.bars('BTC/USD', '1m', { from: live - 60 * MINUTE, to: lastMinute - MINUTE }).at(-1)!.openTime
    await feed.until((events) => closedBarsOf(events, 'BTC/USD').some((bar) => bar.openTime === due), `the bar of ${due} closed`)
    await feed.feed.stop()
    const bars = closedBarsOf(feed.events, 'BTC/USD')
    expect(bars[0]!.openTime).toBe(snapshot[3]!.openTime)
    // Only intervals that traded, each with its values.
    const traded = sim.market.bars('BTC/USD', '1m', { from: bars[0]!.openTime, to: bars.at(-1)!.openTime }).map(ohlcv)
    expect(bars.map(ohlcv)).toEqual(traded)
    expect(gapsOf(feed.events)).toEqual([])
    expect(sim.rest.calls).toEqual([])
  }, 20_000)
})
