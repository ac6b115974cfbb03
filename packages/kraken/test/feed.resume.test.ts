import type { ResumePoints } from '@dccd/core'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterEach, describe, expect, it } from 'vitest'
import { PAIR_CALL_INTERVAL_MS } from '../src/rest.js'
import { SimulatedKraken } from './support/simulated-kraken.js'
import { closedBarsOf, gapsOf, marketBars, ohlcv, sawClosedBars, sawLastTrades, simulatedFeed, tradesOf, tradeValues } from './support/simulated-feed.js'

const SYMBOLS = ['BTC/USD', 'ETH/USD']
const HOUR_MS = 3_600_000
const MINUTE = 60_000_000
const anHourAgo = (): number => (Date.now() - HOUR_MS) * 1000

let sim: SimulatedKraken | undefined
afterEach(async () => {
  await sim?.close()
  sim = undefined
})

/**
 * A restart's downtime, at least Kraken's per-pair REST interval after the last call: the limit is
 * Kraken's, per IP, and a new process cannot know when the old one last called. Without it the second
 * run's first call of a pair could land within a second of the first run's last one and be throttled
 * (the feed retries it, but the test counts every non-ok answer).
 */
async function restartDowntime(sim: SimulatedKraken): Promise<void> {
  const last = Math.max(0, ...sim.rest.calls.map((call) => call.at))
  const wait = last + PAIR_CALL_INTERVAL_MS - Date.now()
  if (wait > 0) await sleep(wait)
}

/** The trade subscription a connection sent. */
const tradeSubscription = (sim: SimulatedKraken, connection: number) =>
  sim.fx.connections[connection - 1]!.messages.map((text) => JSON.parse(text)).find((message) => message.params?.channel === 'trade')?.params

describe('KrakenFeed resumed after a restart', () => {
  it('continues exactly where the first run stopped: every trade once in id order, every closed 1m bar once with its exact values', async () => {
    // A few quiet minutes may fall in (their zero-volume bars then come from REST); rarely enough that a live window is never all quiet.
    sim = await SimulatedKraken.start({ symbols: SYMBOLS, seed: 11, start: anHourAgo(), quietMinuteChance: 0.02 })
    sim.advance(10 * 60_000)
    const first = simulatedFeed(sim)
    await sim.subscribed({ trades: true, minutes: [1] })
    sim.advance(3 * 60_000)
    await first.until(sawLastTrades(sim), "the first run's last trades")
    await first.until(sawClosedBars(sim), "the first run's closed bars")
    await first.feed.stop()
    const positions = first.feed.positions()
    // More than the 50-trade snapshot holds, over several 1m intervals.
    const away = sim.advance(4 * 60_000)
    for (const symbol of SYMBOLS) expect(away.get(symbol)!.length).toBeGreaterThan(50)
    await restartDowntime(sim)
    const second = simulatedFeed(sim, { resume: positions })
    await sim.subscribed({ trades: true, minutes: [1] })
    sim.advance(3 * 60_000)
    await second.until(sawLastTrades(sim), "the second run's last trades")
    await second.until(sawClosedBars(sim), "the second run's closed bars")
    await second.feed.stop()

    const events = [...first.events, ...second.events]
    expect(gapsOf(events)).toEqual([])
    for (const symbol of SYMBOLS) {
      const point = positions[symbol]!
      // Nothing at or before the resume point again.
      expect(Number(tradesOf(second.events, symbol)[0]!.id)).toBe(Number(point.trades!.lastId) + 1)
      expect(closedBarsOf(second.events, symbol)[0]!.openTime).toBe(point.bars!['1m']!.lastOpenTime + MINUTE)
      const trades = tradesOf(events, symbol)
      const market = sim.market.trades(symbol).filter((trade) => trade.id >= Number(trades[0]!.id))
      expect(trades.map(tradeValues)).toEqual(market.map(tradeValues))
      // REST times have 7 decimals read as a float: at most 1 µs off.
      trades.forEach((trade, i) => expect(Math.abs(trade.timestamp - market[i]!.time)).toBeLessThanOrEqual(1))
      const bars = closedBarsOf(events, symbol)
      expect(bars.length).toBeGreaterThanOrEqual(8)
      expect(bars.map(ohlcv)).toEqual(marketBars(sim, symbol, bars[0]!.openTime, bars.at(-1)!.openTime))
    }
    // The snapshot could not fill the outage: REST did, within Kraken's per-pair limit.
    expect(sim.rest.count('/0/public/Trades')).toBeGreaterThanOrEqual(2)
    expect(sim.rest.count('/0/public/OHLC')).toBeGreaterThanOrEqual(2)
    expect(sim.rest.calls.filter((call) => call.answer !== 'ok')).toEqual([])
    expect(tradeSubscription(sim, 2)).toMatchObject({ snapshot: true })
  }, 30_000)

  it('fills a short outage from the 50-trade snapshot alone, with no REST call, and emits nothing at or before the resume point', async () => {
    sim = await SimulatedKraken.start({ symbols: ['BTC/USD'], seed: 3, start: anHourAgo(), quietMinuteChance: 0 })
    sim.advance(60_000)
    const first = simulatedFeed(sim, { channels: ['trades'] })
    await sim.subscribed({ trades: true })
    sim.advance(20_000)
    await first.until(sawLastTrades(sim))
    await first.feed.stop()
    const lastId = Number(first.feed.positions()['BTC/USD']!.trades!.lastId)
    const away = sim.advance(6_000).get('BTC/USD')!
    expect(away.length).toBeGreaterThan(0)
    expect(away.length).toBeLessThan(50)
    const second = simulatedFeed(sim, { channels: ['trades'], resume: first.feed.positions() })
    await sim.subscribed({ trades: true })
    sim.advance(5_000)
    await second.until(sawLastTrades(sim))
    await second.feed.stop()
    const ids = tradesOf(second.events, 'BTC/USD').map((trade) => Number(trade.id))
    const lastMarketId = sim.market.trades('BTC/USD').at(-1)!.id
    expect(ids).toEqual(Array.from({ length: lastMarketId - lastId }, (_, i) => lastId + 1 + i))
    expect(tradeSubscription(sim, 2)).toMatchObject({ snapshot: true })
    expect(sim.rest.calls).toEqual([])
  })

  it('reports a resume point older than maxResumeAgeMs as one gap per channel with the exact range, naming the option, then streams on', async () => {
    sim = await SimulatedKraken.start({ symbols: ['BTC/USD'], seed: 5, start: anHourAgo(), quietMinuteChance: 0 })
    sim.advance(10 * 60_000)
    // A point about 58 minutes old.
    const point = sim.market.trades('BTC/USD').find((trade) => trade.time >= sim!.market.now - 8 * MINUTE)!
    const barOpen = Math.floor(point.time / MINUTE) * MINUTE - MINUTE
    const resume: ResumePoints = { 'BTC/USD': { trades: { lastId: String(point.id), lastTimestamp: point.time }, bars: { '1m': { lastOpenTime: barOpen } } } }
    const feed = simulatedFeed(sim, { resume, maxResumeAgeMs: 60_000 })
    await sim.subscribed({ trades: true, minutes: [1] })
    // What the subscription's snapshots start with: the 50 most recent trades, the last candle that traded (open).
    const snapshotFirstId = sim.market.trades('BTC/USD').at(-50)!.id
    const lastCandle = Math.floor(sim.market.trades('BTC/USD').at(-1)!.time / MINUTE) * MINUTE
    sim.advance(2 * 60_000)
    await feed.until(sawLastTrades(sim))
    await feed.until(sawClosedBars(sim))
    await feed.feed.stop()
    const gaps = gapsOf(feed.events)
    expect(gaps).toHaveLength(2)
    expect(gaps.find((gap) => gap.channel === 'trades')).toMatchObject({ symbol: 'BTC/USD', fromId: String(point.id + 1), toId: String(snapshotFirstId - 1) })
    expect(gaps.find((gap) => gap.channel === 'bars:1m')).toMatchObject({ symbol: 'BTC/USD', fromId: String(barOpen + MINUTE), toId: String(lastCandle - MINUTE) })
    for (const gap of gaps) expect(gap.reason).toContain('maxResumeAgeMs')
    const ids = tradesOf(feed.events, 'BTC/USD').map((trade) => Number(trade.id))
    expect(ids[0]).toBe(snapshotFirstId)
    expect(ids.every((id, i) => i === 0 || id === ids[i - 1]! + 1)).toBe(true)
    const bars = closedBarsOf(feed.events, 'BTC/USD')
    expect(bars.map(ohlcv)).toEqual(marketBars(sim, 'BTC/USD', lastCandle, bars.at(-1)!.openTime))
    // Too old to recover: nothing was asked of REST.
    expect(sim.rest.calls).toEqual([])
  })

  it('reports trades REST no longer returns as one gap with the exact ids and the endpoint, then recovers the rest and streams on', async () => {
    sim = await SimulatedKraken.start({ symbols: ['BTC/USD'], seed: 8, start: anHourAgo(), quietMinuteChance: 0 })
    sim.advance(60_000)
    const first = simulatedFeed(sim, { channels: ['trades'] })
    await sim.subscribed({ trades: true })
    sim.advance(10_000)
    await first.until(sawLastTrades(sim))
    await first.feed.stop()
    const lastId = Number(first.feed.positions()['BTC/USD']!.trades!.lastId)
    sim.advance(2 * 60_000)
    sim.market.purgeBelow('BTC/USD', lastId + 200)
    const second = simulatedFeed(sim, { channels: ['trades'], resume: first.feed.positions() })
    await sim.subscribed({ trades: true })
    sim.advance(10_000)
    await second.until(sawLastTrades(sim))
    await second.feed.stop()
    const gaps = gapsOf(second.events)
    expect(gaps).toEqual([expect.objectContaining({ symbol: 'BTC/USD', channel: 'trades', fromId: String(lastId + 1), toId: String(lastId + 199) })])
    expect(gaps[0]!.reason).toContain('GET /0/public/Trades')
    const ids = tradesOf(second.events, 'BTC/USD').map((trade) => Number(trade.id))
    const lastMarketId = sim.market.trades('BTC/USD').at(-1)!.id
    expect(ids).toEqual(Array.from({ length: lastMarketId - lastId - 199 }, (_, i) => lastId + 200 + i))
    // The gap comes before the first trade after it.
    expect(second.events.indexOf(gaps[0]!)).toBeLessThan(second.events.findIndex((event) => event.type === 'trade'))
  })

  it('asks for the trade snapshot for a resumed symbol but emits none of it for a symbol without a resume point', async () => {
    sim = await SimulatedKraken.start({ symbols: SYMBOLS, seed: 19, start: anHourAgo(), quietMinuteChance: 0 })
    sim.advance(60_000)
    const btc = sim.market.trades('BTC/USD').at(-30)!
    const resume: ResumePoints = { 'BTC/USD': { trades: { lastId: String(btc.id), lastTimestamp: btc.time } } }
    const feed = simulatedFeed(sim, { channels: ['trades'], resume })
    await sim.subscribed({ trades: true })
    const ethBefore = sim.market.trades('ETH/USD').at(-1)!.id
    sim.advance(10_000)
    await feed.until(sawLastTrades(sim))
    await feed.feed.stop()
    expect(tradeSubscription(sim, 1)).toMatchObject({ snapshot: true })
    expect(Number(tradesOf(feed.events, 'BTC/USD')[0]!.id)).toBe(btc.id + 1)
    expect(Number(tradesOf(feed.events, 'ETH/USD')[0]!.id)).toBe(ethBefore + 1)
    expect(gapsOf(feed.events)).toEqual([])
    expect(sim.rest.calls).toEqual([])
  })
})
