import { afterEach, describe, expect, it } from 'vitest'
import type { MarketEvent } from '@dccd/core'
import type { SimulatedMarket } from '@dccd/testkit'
import { barFields, closedBarsOf, expectedBar, expectedTrade, gapsOf, tradeFields, tradesOf } from './support/history-checks.js'
import { advanceUntilTrades, openFeed, startSimulation } from './support/sim-feed.js'
import type { SimulatedBinance, SimulatedFrame } from './support/simulated-binance.js'

let sim: SimulatedBinance | undefined
afterEach(async () => {
  await sim?.close()
  sim = undefined
})

const MINUTE_MS = 60_000
const MINUTE_US = 60_000_000
const BARS = { symbols: ['BTCUSDT'], channels: ['bars:1m' as const] }

/** Binance's closed 1m bars from the first one a feed saw up to the market's clock. */
function closedSince(s: SimulatedBinance, events: readonly MarketEvent[]) {
  const first = events.find((e) => e.type === 'bar')!.openTime
  return s.bars('BTCUSDT', '1m', first, s.market.now).filter((bar) => bar.closed)
}

const lastClosed = (s: SimulatedBinance): number => s.bars('BTCUSDT', '1m', 0, s.market.now).filter((bar) => bar.closed).at(-1)!.openTime
const quietMinutes = (m: SimulatedMarket, from: number, to: number): number[] => {
  const busy = new Set(m.trades(m.symbols[0]!).map((t) => Math.floor(t.time / MINUTE_US)))
  const quiet: number[] = []
  for (let minute = from / MINUTE_US; minute < to / MINUTE_US; minute++) if (!busy.has(minute)) quiet.push(minute * MINUTE_US)
  return quiet
}

describe('BinanceFeed closed bars', () => {
  it('recovers the closes missed during a disconnect spanning several intervals from klines: no hole, no duplicate', async () => {
    const s = (sim = await startSimulation({ seed: 31, symbols: ['BTCUSDT'] }))
    const reader = await openFeed(s, BARS)
    s.advance(90_000)
    await reader.until((e) => closedBarsOf(e, 'BTCUSDT', '1m').length === 1, 'the first closed bar')
    s.disconnect()
    s.advance(5 * MINUTE_MS) // five closes nobody hears
    await s.fx.waitForConnection(2)
    s.advance(10_000)
    await reader.until((e) => closedBarsOf(e, 'BTCUSDT', '1m').at(-1)?.openTime === lastClosed(s), 'every closed bar')
    await reader.feed.stop()

    const expected = closedSince(s, reader.events)
    expect(expected.length).toBeGreaterThanOrEqual(6)
    expect(closedBarsOf(reader.events, 'BTCUSDT', '1m').map(barFields)).toEqual(expected.map(expectedBar))
    expect(gapsOf(reader.events)).toEqual([])
    expect(s.requests('/api/v3/klines').length).toBeGreaterThanOrEqual(1)
  })

  it('recovers the trades and closes a stalled socket missed, once the feed has noticed the stall and reconnected', async () => {
    const s = (sim = await startSimulation({ seed: 36, symbols: ['BTCUSDT'] }))
    const reader = await openFeed(s, { symbols: ['BTCUSDT'], channels: ['trades', 'bars:1m'], pingIntervalMs: 100, staleTimeoutMs: 200 })
    s.advance(70_000)
    await reader.until((e) => closedBarsOf(e, 'BTCUSDT', '1m').length === 1, 'the first closed bar')
    s.stall()
    s.advance(3 * MINUTE_MS) // sent to nobody: the only socket is stalled
    await s.fx.waitForConnection(2)
    advanceUntilTrades(s, 10_000)
    const lastTrade = String(s.market.trades('BTCUSDT').at(-1)!.id)
    await reader.until(
      (e) => closedBarsOf(e, 'BTCUSDT', '1m').at(-1)?.openTime === lastClosed(s) && tradesOf(e, 'BTCUSDT').at(-1)?.id === lastTrade,
      'every trade and closed bar',
    )
    await reader.feed.stop()

    expect(closedBarsOf(reader.events, 'BTCUSDT', '1m').map(barFields)).toEqual(closedSince(s, reader.events).map(expectedBar))
    expect(tradesOf(reader.events, 'BTCUSDT').map(tradeFields)).toEqual(s.market.trades('BTCUSDT').map(expectedTrade))
    expect(gapsOf(reader.events)).toEqual([])
    expect(reader.feed.stats.reconnects).toBe(1)
  })

  it('recovers a final update (x: true) dropped on a healthy socket', async () => {
    const s = (sim = await startSimulation({ seed: 32, symbols: ['BTCUSDT'] }))
    const reader = await openFeed(s, BARS)
    s.advance(30_000)
    await reader.until((e) => e.some((x) => x.type === 'bar'), 'the first bar update')
    const first = reader.events.find((e) => e.type === 'bar')!.openTime
    // The final update of the bar after the first one never reaches the socket.
    s.dropNext((frame: SimulatedFrame) => frame.stream === 'btcusdt@kline_1m' && (frame.data.k as { x: boolean; t: number }).x && (frame.data.k as { t: number }).t * 1000 === first + MINUTE_US)
    s.advance(3 * MINUTE_MS)
    await reader.until((e) => closedBarsOf(e, 'BTCUSDT', '1m').at(-1)?.openTime === lastClosed(s), 'every closed bar')
    await reader.feed.stop()

    expect(s.dropped).toHaveLength(1)
    expect(closedBarsOf(reader.events, 'BTCUSDT', '1m').map(barFields)).toEqual(closedSince(s, reader.events).map(expectedBar))
    expect(gapsOf(reader.events)).toEqual([])
    expect(s.requests('/api/v3/klines').map((r) => Number(r.query.get('startTime')) * 1000)).toEqual([first + MINUTE_US])
    expect(reader.feed.stats.reconnects).toBe(0)
  })

  it("emits Binance's zero-volume bar for an interval without trades, live and recovered, at the previous close", async () => {
    // Minutes from the market's start: connected over 0..3, disconnected while 4..6 close, connected again.
    const s = (sim = await startSimulation({
      seed: 33,
      symbols: ['BTCUSDT'],
      quietMinuteChance: 0.3,
      suits: (m) => {
        const start = m.now
        m.advance(9 * MINUTE_MS)
        const quiet = quietMinutes(m, start, start + 9 * MINUTE_US).map((t) => (t - start) / MINUTE_US)
        return !quiet.includes(0) && quiet.some((k) => k >= 1 && k <= 2) && quiet.some((k) => k >= 4 && k <= 6)
      },
    }))
    const start = s.market.now
    const reader = await openFeed(s, BARS)
    s.advance(4 * MINUTE_MS + 1000)
    await reader.until((e) => closedBarsOf(e, 'BTCUSDT', '1m').at(-1)?.openTime === lastClosed(s), 'the closed bars so far')
    s.disconnect()
    s.advance(3 * MINUTE_MS)
    await s.fx.waitForConnection(2)
    s.advance(2 * MINUTE_MS)
    await reader.until((e) => closedBarsOf(e, 'BTCUSDT', '1m').at(-1)?.openTime === lastClosed(s), 'every closed bar')
    await reader.feed.stop()

    const bars = closedBarsOf(reader.events, 'BTCUSDT', '1m')
    expect(bars.map(barFields)).toEqual(closedSince(s, reader.events).map(expectedBar))
    const quiet = quietMinutes(s.market, start, start + 9 * MINUTE_US)
    const live = quiet.filter((t) => t < start + 4 * MINUTE_US)
    const recovered = quiet.filter((t) => t >= start + 4 * MINUTE_US && t < start + 7 * MINUTE_US)
    expect(live.length).toBeGreaterThanOrEqual(1)
    expect(recovered.length).toBeGreaterThanOrEqual(1)
    for (const openTime of quiet) {
      const i = bars.findIndex((bar) => bar.openTime === openTime)
      expect(bars[i]).toMatchObject({ volume: 0, open: bars[i - 1]!.close, high: bars[i - 1]!.close, low: bars[i - 1]!.close, close: bars[i - 1]!.close })
    }
    // The recovered ones came from klines, asked from the first close missed.
    expect(s.requests('/api/v3/klines').map((r) => Number(r.query.get('startTime')) * 1000)).toEqual([start + 4 * MINUTE_US])
    expect(gapsOf(reader.events)).toEqual([])
  })

  it('invents no bar and reports no gap for an interval a venue returns nothing for (a kline past it proves it empty)', async () => {
    const s = (sim = await startSimulation({
      seed: 34,
      symbols: ['BTCUSDT'],
      quietMinuteChance: 0.3,
      emptyBars: 'skip',
      suits: (m) => {
        m.advance(6 * MINUTE_MS)
        const start = Math.floor(m.trades('BTCUSDT')[0]!.time / MINUTE_US) * MINUTE_US
        const quiet = quietMinutes(m, start, start + 6 * MINUTE_US).map((t) => (t - start) / MINUTE_US)
        return start < m.now - 5 * MINUTE_US && quiet.some((k) => k >= 1 && k <= 3) && !quiet.includes(4)
      },
    }))
    const reader = await openFeed(s, BARS)
    s.advance(5 * MINUTE_MS + 1000)
    await reader.until((e) => closedBarsOf(e, 'BTCUSDT', '1m').at(-1)?.openTime === lastClosed(s), 'every closed bar')
    await reader.feed.stop()

    const bars = closedBarsOf(reader.events, 'BTCUSDT', '1m')
    expect(bars.map(barFields)).toEqual(closedSince(s, reader.events).map(expectedBar))
    expect(bars.every((bar) => bar.volume > 0)).toBe(true)
    const quiet = quietMinutes(s.market, bars[0]!.openTime, bars.at(-1)!.openTime)
    expect(quiet.length).toBeGreaterThanOrEqual(1)
    expect(bars.some((bar) => quiet.includes(bar.openTime))).toBe(false)
    // Each hole was asked of klines, and answered by the bar after it.
    expect(s.requests('/api/v3/klines').map((r) => Number(r.query.get('startTime')) * 1000)).toEqual(quiet.filter((t, i) => i === 0 || quiet[i - 1] !== t - MINUTE_US))
    expect(gapsOf(reader.events)).toEqual([])
  })

  it('reports a missed close as a bar gap of its open times when recoverBars is off', async () => {
    const s = (sim = await startSimulation({ seed: 35, symbols: ['BTCUSDT'] }))
    const reader = await openFeed(s, { ...BARS, recoverBars: false })
    s.advance(30_000)
    await reader.until((e) => e.some((x) => x.type === 'bar'), 'the first bar update')
    const first = reader.events.find((e) => e.type === 'bar')!.openTime
    s.dropNext((frame: SimulatedFrame) => frame.stream === 'btcusdt@kline_1m' && (frame.data.k as { x: boolean }).x)
    s.advance(2 * MINUTE_MS)
    await reader.until((e) => gapsOf(e).length === 1 && closedBarsOf(e, 'BTCUSDT', '1m').at(-1)?.openTime === lastClosed(s), 'the gap and the next close')
    await reader.feed.stop()

    expect(gapsOf(reader.events)).toEqual([
      expect.objectContaining({
        symbol: 'BTCUSDT',
        channel: 'bars:1m',
        fromId: String(first),
        toId: String(first),
        reason: 'bars missed; not recovered (recoverBars is off)',
      }),
    ])
    expect(closedBarsOf(reader.events, 'BTCUSDT', '1m').map((bar) => bar.openTime)).toEqual([first + MINUTE_US])
    expect(s.requests('/api/v3/klines')).toEqual([])
  })
})
