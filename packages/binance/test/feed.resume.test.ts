import { afterEach, describe, expect, it } from 'vitest'
import type { MarketEvent, ResumePoints } from '@dccd/core'
import {
  barFields,
  closedBarsOf,
  expectedBar,
  expectedTrade,
  gapsOf,
  tradeFields,
  tradeOrder,
  tradesOf,
} from './support/history-checks.js'
import { advanceUntilTrades, openFeed, startSimulation } from './support/sim-feed.js'
import type { SimulatedBinance } from './support/simulated-binance.js'

let sim: SimulatedBinance | undefined
afterEach(async () => {
  await sim?.close()
  sim = undefined
})

const SYMBOLS = ['BTCUSDT', 'ETHUSDT']
const MINUTE_US = 60_000_000

async function startSim(options: { seed: number; symbols?: string[] }): Promise<SimulatedBinance> {
  sim = await startSimulation({ seed: options.seed, symbols: options.symbols ?? SYMBOLS })
  return sim
}

const lastId = (s: SimulatedBinance, symbol: string): string => String(s.market.trades(symbol).at(-1)!.id)
const lastClosedOpen = (s: SimulatedBinance, symbol: string): number =>
  s.bars(symbol, '1m', 0, s.market.now).filter((bar) => bar.closed).at(-1)!.openTime

describe('BinanceFeed resume', () => {
  it('continues after a restart from positions(): every trade id once and in order, every closed 1m bar once with its exact OHLCV', async () => {
    const s = await startSim({ seed: 21 })
    const first = await openFeed(s, { symbols: SYMBOLS, channels: ['trades', 'bars:1m'] })
    for (let i = 0; i < 3; i++) s.advance(50_000)
    // Stop once both symbols have a closed bar, while the first feed still has unread events: positions() covers only what was read.
    await first.until((e) => SYMBOLS.every((symbol) => closedBarsOf(e, symbol, '1m').length > 0), 'a closed bar of each symbol')
    // Trades the first feed will not read (whether or not they reach its socket): the restart must recover them.
    // Without this, whether any were left unread depended on which socket's frames the reader saw last.
    advanceUntilTrades(s, 20_000)
    await first.feed.stop()
    const positions: ResumePoints = first.feed.positions()
    for (const symbol of SYMBOLS) {
      expect(positions[symbol]!.trades!.lastId).toBe(tradesOf(first.events, symbol).at(-1)!.id)
      expect(positions[symbol]!.bars!['1m']!.lastOpenTime).toBe(closedBarsOf(first.events, symbol, '1m').at(-1)!.openTime)
      expect(Number(positions[symbol]!.trades!.lastId)).toBeLessThan(Number(lastId(s, symbol)))
    }

    s.advance(3 * 60_000) // nobody listening
    const second = await openFeed(s, { symbols: SYMBOLS, channels: ['trades', 'bars:1m'], resume: positions })
    advanceUntilTrades(s, 20_000)
    await second.until(
      (e) => SYMBOLS.every((symbol) => tradesOf(e, symbol).at(-1)?.id === lastId(s, symbol) && closedBarsOf(e, symbol, '1m').at(-1)?.openTime === lastClosedOpen(s, symbol)),
      'every trade and closed bar of both symbols',
    )
    await second.feed.stop()

    const events: MarketEvent[] = [...first.events, ...second.events]
    expect(gapsOf(events)).toEqual([])
    for (const symbol of SYMBOLS) {
      expect(tradesOf(events, symbol).map(tradeFields)).toEqual(s.market.trades(symbol).map(expectedTrade))
      const bars = s.bars(symbol, '1m', 0, s.market.now).filter((bar) => bar.closed)
      expect(closedBarsOf(events, symbol, '1m').map(barFields)).toEqual(bars.map(expectedBar))
      // Several closed bars and hundreds of trades fell between the two feeds.
      const resumedBar = positions[symbol]!.bars!['1m']!.lastOpenTime
      expect(bars.filter((bar) => bar.openTime > resumedBar).length).toBeGreaterThanOrEqual(3)
    }
    // Both holes were fetched: trades by id from the resume point on, klines from the bar after the resume point.
    const btc = positions.BTCUSDT!
    expect(s.requests('/api/v3/historicalTrades').some((r) => r.query.get('symbol') === 'BTCUSDT' && r.query.get('fromId') === String(Number(btc.trades!.lastId) + 1))).toBe(true)
    expect(
      s.requests('/api/v3/klines').some((r) => r.query.get('symbol') === 'BTCUSDT' && Number(r.query.get('startTime')) * 1000 === btc.bars!['1m']!.lastOpenTime + MINUTE_US),
    ).toBe(true)
  })

  it('reports a resume point older than maxResumeAgeMs as exactly one gap naming the option, then streams live', async () => {
    const s = await startSim({ seed: 22, symbols: ['BTCUSDT'] })
    const first = await openFeed(s, { symbols: ['BTCUSDT'], channels: ['trades'] })
    advanceUntilTrades(s, 30_000)
    await first.until((e) => tradesOf(e, 'BTCUSDT').at(-1)?.id === lastId(s, 'BTCUSDT'), 'every trade')
    await first.feed.stop()
    const resumeId = Number(first.feed.positions().BTCUSDT!.trades!.lastId)

    s.advance(2 * 60_000)
    // The market runs about an hour behind the wall clock, so its trades are older than a minute.
    const second = await openFeed(s, { symbols: ['BTCUSDT'], channels: ['trades'], resume: first.feed.positions(), maxResumeAgeMs: 60_000 })
    const live = advanceUntilTrades(s, 10_000).get('BTCUSDT')!
    await second.until((e) => tradesOf(e, 'BTCUSDT').at(-1)?.id === lastId(s, 'BTCUSDT'), 'the live trades')
    await second.feed.stop()

    const firstLive = live[0]!.id
    expect(tradeOrder(second.events, 'BTCUSDT')).toEqual([`gap ${resumeId + 1}-${firstLive - 1}`, ...live.map((t) => String(t.id))])
    const [gap] = gapsOf(second.events)
    expect(gap!.reason).toContain('maxResumeAgeMs')
    expect(gap!.channel).toBe('trades')
    expect(s.requests('/api/v3/historicalTrades')).toEqual([])
  })

  it('reports the trades historicalTrades no longer serves after a resume point as exactly one gap naming the endpoint, then the rest and live', async () => {
    const s = await startSim({ seed: 23, symbols: ['BTCUSDT'] })
    const first = await openFeed(s, { symbols: ['BTCUSDT'], channels: ['trades'] })
    advanceUntilTrades(s, 30_000)
    await first.until((e) => tradesOf(e, 'BTCUSDT').at(-1)?.id === lastId(s, 'BTCUSDT'), 'every trade')
    await first.feed.stop()
    const resumeId = Number(first.feed.positions().BTCUSDT!.trades!.lastId)

    s.advance(2 * 60_000)
    const purgedBelow = resumeId + 40
    s.market.purgeBelow('BTCUSDT', purgedBelow)
    const second = await openFeed(s, { symbols: ['BTCUSDT'], channels: ['trades'], resume: first.feed.positions() })
    advanceUntilTrades(s, 10_000)
    await second.until((e) => tradesOf(e, 'BTCUSDT').at(-1)?.id === lastId(s, 'BTCUSDT'), 'the recovered and live trades')
    await second.feed.stop()

    const rest = s.market.trades('BTCUSDT').filter((t) => t.id >= purgedBelow)
    expect(tradeOrder(second.events, 'BTCUSDT')).toEqual([`gap ${resumeId + 1}-${purgedBelow - 1}`, ...rest.map((t) => String(t.id))])
    expect(gapsOf(second.events)[0]!.reason).toContain('GET /api/v3/historicalTrades')
    expect(tradesOf(second.events, 'BTCUSDT').map(tradeFields)).toEqual(rest.map(expectedTrade))
  })
})
