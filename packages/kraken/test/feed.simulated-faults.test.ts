import { isoToMicros } from '@dccd/core'
import { afterEach, describe, expect, it } from 'vitest'
import { SimulatedKraken } from './support/simulated-kraken.js'
import type { Frame } from './support/simulated-kraken.js'
import { closedBarsOf, gapsOf, marketBars, ohlcv, sawClosedBars, sawLastTrades, simulatedFeed, tradesOf, tradeValues } from './support/simulated-feed.js'

const HOUR_MS = 3_600_000
const MINUTE = 60_000_000
const anHourAgo = (): number => (Date.now() - HOUR_MS) * 1000

let sim: SimulatedKraken | undefined
afterEach(async () => {
  await sim?.close()
  sim = undefined
})

const isTradeFrame = (frame: Frame): boolean => frame.channel === 'trade' && frame.type === 'update'
/** An `ohlc` update after which its candle trades again (it is not its interval's last update). */
const midIntervalCandle =
  (sim: SimulatedKraken) =>
  (frame: Frame): boolean => {
    if (frame.channel !== 'ohlc' || frame.type !== 'update') return false
    const sentAt = isoToMicros(frame.timestamp as string)
    const end = isoToMicros((frame.data as { interval_begin: string }[])[0]!.interval_begin) + MINUTE
    return sim.market.trades('BTC/USD').some((trade) => trade.time > sentAt && trade.time < end)
  }

describe('KrakenFeed against the simulated Kraken with faults', () => {
  it('recovers trades of a frame lost on a healthy socket from REST, and a lost mid-interval candle update changes no bar', async () => {
    sim = await SimulatedKraken.start({ symbols: ['BTC/USD'], seed: 13, start: anHourAgo(), quietMinuteChance: 0 })
    sim.advance(5 * 60_000)
    const feed = simulatedFeed(sim)
    await sim.subscribed({ trades: true, minutes: [1] })
    sim.advance(20_000)
    sim.dropNext(isTradeFrame)
    sim.advance(20_000)
    // Each update carries the candle's absolute values: one lost inside an interval is made up by the next.
    sim.dropNext(midIntervalCandle(sim))
    sim.advance(2 * 60_000)
    await feed.until(sawLastTrades(sim))
    await feed.until(sawClosedBars(sim))
    await feed.feed.stop()
    expect(sim.dropped).toHaveLength(2)
    expect(gapsOf(feed.events)).toEqual([])
    const trades = tradesOf(feed.events, 'BTC/USD')
    const market = sim.market.trades('BTC/USD').filter((trade) => trade.id >= Number(trades[0]!.id))
    expect(trades.map(tradeValues)).toEqual(market.map(tradeValues))
    const bars = closedBarsOf(feed.events, 'BTC/USD')
    expect(bars.map(ohlcv)).toEqual(marketBars(sim, 'BTC/USD', bars[0]!.openTime, bars.at(-1)!.openTime))
    expect(feed.feed.stats.reconnects).toBe(0)
    expect(sim.rest.count('/0/public/Trades')).toBe(1)
  }, 20_000)

  it('leaves a stalled connection (no frame, no pong) and loses nothing across the reconnect', async () => {
    sim = await SimulatedKraken.start({ symbols: ['BTC/USD'], seed: 17, start: anHourAgo(), quietMinuteChance: 0 })
    sim.advance(5 * 60_000)
    const feed = simulatedFeed(sim, { pingIntervalMs: 200, staleTimeoutMs: 500 })
    await sim.subscribed({ trades: true, minutes: [1] })
    sim.advance(30_000)
    await feed.until(sawLastTrades(sim))
    sim.stall()
    // Two minutes pass on the stalled socket: more than the 50-trade snapshot holds.
    sim.advance(2 * 60_000)
    await sim.subscribed({ trades: true, minutes: [1] })
    sim.advance(60_000)
    await feed.until(sawLastTrades(sim))
    await feed.until(sawClosedBars(sim))
    await feed.feed.stop()
    // At least the stall's (the simulation shares the test's event loop: a long step may delay a pong once more).
    expect(feed.feed.stats.reconnects).toBeGreaterThanOrEqual(1)
    expect(gapsOf(feed.events)).toEqual([])
    const trades = tradesOf(feed.events, 'BTC/USD')
    const market = sim.market.trades('BTC/USD').filter((trade) => trade.id >= Number(trades[0]!.id))
    expect(trades.map(tradeValues)).toEqual(market.map(tradeValues))
    const bars = closedBarsOf(feed.events, 'BTC/USD')
    expect(bars.map(ohlcv)).toEqual(marketBars(sim, 'BTC/USD', bars[0]!.openTime, bars.at(-1)!.openTime))
  }, 20_000)
})
