import { afterEach, describe, expect, it } from 'vitest'
import { InvalidArgumentError, nowMicros } from '@dccd/core'
import type { ExchangeHistory, HistoryRequest, MarketEvent } from '@dccd/core'
import { SimulatedMarket } from '@dccd/testkit'
import { exchange } from '../src/index.js'
import { barFields, closedBarsOf, expectedBar, expectedTrade, gapsOf, tradeFields, tradeOrder, tradesOf } from './support/history-checks.js'
import { SimulatedBinance, WEIGHTS } from './support/simulated-binance.js'
import type { SimulatedBinanceOptions } from './support/simulated-binance.js'
import { expectInvalidArgument } from './support/invalid.js'

let sim: SimulatedBinance | undefined
afterEach(async () => {
  await sim?.close()
  sim = undefined
})

const DAY_MS = 86_400_000
const DAY_US = DAY_MS * 1000
const HOUR_US = 3_600_000_000
const MINUTE_US = 60_000_000
/** Midnight UTC two days ago: a whole day that is over. */
const dayStart = (): number => Math.floor((Date.now() - 2 * DAY_MS) / DAY_MS) * DAY_US

async function simulate(start: number, advanceMs: number, options: SimulatedBinanceOptions & { tradesPerSecond?: number } = {}): Promise<SimulatedBinance> {
  const market = new SimulatedMarket({ seed: 41, symbols: ['BTCUSDT', 'ETHUSDT'], start, tradesPerSecond: options.tradesPerSecond ?? 1 })
  market.advance(advanceMs)
  sim = await SimulatedBinance.start(market, options)
  return sim
}

async function collect(pages: AsyncIterable<readonly MarketEvent[]>, stopAfter?: (events: MarketEvent[]) => boolean): Promise<MarketEvent[]> {
  const events: MarketEvent[] = []
  for await (const page of pages) {
    expect(page.length).toBeGreaterThan(0)
    events.push(...page)
    if (stopAfter?.(events)) break
  }
  return events
}

const signal = new AbortController().signal
const weightOf = (s: SimulatedBinance): number => s.fx.restRequests.reduce((sum, r) => sum + (WEIGHTS[r.path] ?? 1), 0)

describe('exchange.createHistory: trades', () => {
  it('downloads a day of trades (1/s: about 90,000 trades, 90-odd historicalTrades pages) complete and in order, inside a weight limit that answers 429 past it, without one 429', async () => {
    const from = dayStart()
    const to = from + DAY_US
    // 1000 per second, 800 of it spent: a third of the day's 2200 weight per window.
    const s = await simulate(from, DAY_MS + 10 * 60_000, { weightLimit: { limit: 1000, interval: 'SECOND' } })
    const history = exchange.createHistory!({ restUrl: s.fx.restUrl })
    const events = await collect(history.trades({ symbol: 'BTCUSDT', from, to }, signal))

    const expected = s.market.trades('BTCUSDT').filter((t) => t.time >= from && t.time < to)
    expect(expected.length).toBeGreaterThan(80_000)
    expect(tradesOf(events, 'BTCUSDT').map(tradeFields)).toEqual(expected.map(expectedTrade))
    expect(gapsOf(events)).toEqual([])
    expect(events.every((e) => e.symbol === 'BTCUSDT')).toBe(true)
    // One aggTrades row names the first id; then pages of 1000 by id until one reaches past `to`.
    expect(s.requests('/api/v3/aggTrades').map((r) => [r.query.get('startTime'), r.query.get('limit')])).toEqual([[String(from / 1000), '1']])
    const pages = s.requests('/api/v3/historicalTrades')
    expect(pages).toHaveLength(Math.floor(expected.length / 1000) + 1)
    expect(pages.map((r) => Number(r.query.get('fromId')))).toEqual(pages.map((_, i) => expected[0]!.id + 1000 * i))
    expect(pages.every((r) => r.query.get('limit') === '1000')).toBe(true)
    expect(weightOf(s)).toBeGreaterThan(2 * 1000)
    expect(s.rejected).toBe(0)
  }, 30_000)

  it('continues after a trade (after) without a duplicate, from the next id and without aggTrades', async () => {
    const from = dayStart()
    const to = from + HOUR_US
    const s = await simulate(from, 2 * 3_600_000, { tradesPerSecond: 2 })
    const history = exchange.createHistory!({ restUrl: s.fx.restUrl })
    // A download interrupted after its second page.
    const part = await collect(history.trades({ symbol: 'ETHUSDT', from, to }, signal), (e) => e.length >= 2000)
    const last = tradesOf(part, 'ETHUSDT').at(-1)!
    const rest = await collect(history.trades({ symbol: 'ETHUSDT', from, to, after: { lastId: last.id, lastTimestamp: last.timestamp } }, signal))

    const expected = s.market.trades('ETHUSDT').filter((t) => t.time >= from && t.time < to)
    expect([...part, ...rest].map((e) => tradeFields(e as never))).toEqual(expected.map(expectedTrade))
    expect(s.requests('/api/v3/aggTrades')).toHaveLength(1)
    expect(s.requests('/api/v3/historicalTrades').map((r) => r.query.get('fromId'))[2]).toBe(String(Number(last.id) + 1))
  })

  it('reports ids historicalTrades does not return as one gap each, in order, naming the endpoint', async () => {
    const from = dayStart()
    const to = from + HOUR_US
    const s = await simulate(from, 2 * 3_600_000)
    const first = s.market.trades('BTCUSDT')[0]!.id
    // Ids before the resume point's successor are purged; inside the range, three rows and one are missing.
    s.market.purgeBelow('BTCUSDT', first + 20)
    s.withholdTrades('BTCUSDT', [first + 1500, first + 1501, first + 1502, first + 2999])
    const history = exchange.createHistory!({ restUrl: s.fx.restUrl })
    const start = s.market.trades('BTCUSDT')[5]!
    const events = await collect(history.trades({ symbol: 'BTCUSDT', from, to, after: { lastId: String(start.id), lastTimestamp: start.time } }, signal))

    const gaps = gapsOf(events)
    expect(gaps.map((g) => `${g.fromId}-${g.toId}`)).toEqual([`${first + 6}-${first + 19}`, `${first + 1500}-${first + 1502}`, `${first + 2999}-${first + 2999}`])
    expect(gaps.every((g) => g.channel === 'trades' && g.reason === 'not returned by GET /api/v3/historicalTrades')).toBe(true)
    const order = tradeOrder(events, 'BTCUSDT')
    expect(order.slice(0, 2)).toEqual([`gap ${first + 6}-${first + 19}`, String(first + 20)])
    expect(order.slice(order.indexOf(String(first + 1499)), order.indexOf(String(first + 1499)) + 3)).toEqual([String(first + 1499), `gap ${first + 1500}-${first + 1502}`, String(first + 1503)])
    const served = s.market.trades('BTCUSDT').filter((t) => t.id >= first + 20 && t.time < to && ![1500, 1501, 1502, 2999].includes(t.id - first))
    expect(tradesOf(events, 'BTCUSDT').map(tradeFields)).toEqual(served.map(expectedTrade))
  })

  it('yields nothing for a range without trades after it (aggTrades answers no row)', async () => {
    const from = dayStart()
    const s = await simulate(from, 60_000)
    const history = exchange.createHistory!({ restUrl: s.fx.restUrl })
    expect(await collect(history.trades({ symbol: 'BTCUSDT', from: from + HOUR_US, to: from + 2 * HOUR_US }, signal))).toEqual([])
    expect(s.requests('/api/v3/historicalTrades')).toEqual([])
  })
})

describe('exchange.createHistory: bars', () => {
  it("downloads a day of 1m bars in two klines pages, every interval with Binance's exact OHLCV (zero-volume ones included)", async () => {
    const from = dayStart()
    const to = from + DAY_US
    const s = await simulate(from, DAY_MS + 10 * 60_000)
    const history = exchange.createHistory!({ restUrl: s.fx.restUrl })
    const events = await collect(history.bars({ symbol: 'BTCUSDT', interval: '1m', from, to }, signal))

    const expected = s.bars('BTCUSDT', '1m', from, to - 1).filter((bar) => bar.closed)
    expect(expected.length).toBeGreaterThanOrEqual(1439)
    expect(expected.some((bar) => bar.volume === 0)).toBe(true)
    expect(closedBarsOf(events, 'BTCUSDT', '1m').map(barFields)).toEqual(expected.map(expectedBar))
    expect(events).toHaveLength(expected.length)
    expect(s.requests('/api/v3/klines').map((r) => [Number(r.query.get('startTime')) * 1000, Number(r.query.get('endTime')) * 1000, r.query.get('limit')])).toEqual([
      [expected[0]!.openTime, to - 1000, '1000'],
      [expected[1000]!.openTime, to - 1000, '1000'],
    ])
  })

  it('emits closed bars only: the kline open now is not emitted', async () => {
    const from = Math.floor((Date.now() - 3 * 3_600_000) / 3_600_000) * HOUR_US
    const market = new SimulatedMarket({ seed: 42, symbols: ['BTCUSDT'], start: from, tradesPerSecond: 1 })
    market.advanceTo(nowMicros())
    sim = await SimulatedBinance.start(market)
    const history = exchange.createHistory!({ restUrl: sim.fx.restUrl })
    const events = await collect(history.bars({ symbol: 'BTCUSDT', interval: '1h', from, to: nowMicros() + 2 * HOUR_US }, signal))

    const served = sim.bars('BTCUSDT', '1h', from, market.now)
    expect(served.at(-1)!.closed).toBe(false)
    expect(closedBarsOf(events, 'BTCUSDT', '1h').map(barFields)).toEqual(served.filter((bar) => bar.closed).map(expectedBar))
    expect(events.every((e) => e.type === 'bar' && e.closed)).toBe(true)
  })

  it('continues after a bar (after) and keeps from <= openTime < to for unaligned bounds', async () => {
    const from = dayStart()
    const s = await simulate(from, 4 * 3_600_000)
    const history = exchange.createHistory!({ restUrl: s.fx.restUrl })
    const start = from + 30 * MINUTE_US + 17_000_000 // mid-bar
    const end = from + 3 * HOUR_US + 5_000_000
    const all = await collect(history.bars({ symbol: 'ETHUSDT', interval: '5m', from: start, to: end }, signal))
    const expected = s.bars('ETHUSDT', '5m', from, end).filter((bar) => bar.closed && bar.openTime >= start && bar.openTime < end)
    expect(closedBarsOf(all, 'ETHUSDT', '5m').map(barFields)).toEqual(expected.map(expectedBar))
    expect(expected[0]!.openTime).toBe(from + 35 * MINUTE_US)
    expect(expected.at(-1)!.openTime).toBe(from + 3 * HOUR_US)

    const after = expected[10]!.openTime
    const rest = await collect(history.bars({ symbol: 'ETHUSDT', interval: '5m', from: start, to: end, after: { lastOpenTime: after } }, signal))
    expect(closedBarsOf(rest, 'ETHUSDT', '5m').map(barFields)).toEqual(expected.slice(11).map(expectedBar))
  })
})

describe('exchange.createHistory: checks', () => {
  const history: ExchangeHistory = exchange.createHistory!({ restUrl: 'http://127.0.0.1:9' })
  const now = nowMicros()
  const request = (changes: Partial<HistoryRequest>): HistoryRequest => ({ symbols: ['BTCUSDT'], channels: ['trades'], from: now - DAY_US, to: now, ...changes })
  const rejects = expectInvalidArgument

  it('accepts trades and every Binance interval, returning the parsed channels', () => {
    expect(history.check(request({ channels: ['trades', 'bars:1m', 'bars:1M'] }), now)).toEqual([
      { kind: 'trades', name: 'trades' },
      { kind: 'bars', name: 'bars:1m', interval: '1m' },
      { kind: 'bars', name: 'bars:1M', interval: '1M' },
    ])
  })

  it('rejects book, saying book history is not available and listing the valid channels', () => {
    const error = rejects(() => history.check(request({ channels: ['trades', 'book'] }), now))
    expect(error.message).toContain('"book"')
    expect(error.message).toContain('book history is not available')
    expect(error.allowed).toContain('trades')
    expect(error.allowed).toContain('bars:1m')
    expect(error.allowed).not.toContain('book')
  })

  it('rejects an unknown channel, an interval Binance does not have, a malformed symbol and times that are not µs', () => {
    expect(rejects(() => history.check(request({ channels: ['ticker'] }), now)).message).toContain('ticker')
    const interval = rejects(() => history.check(request({ channels: ['bars:2m'] }), now))
    expect(interval.message).toContain('2m')
    expect(interval.allowed).toContain('1m')
    expect(rejects(() => history.check(request({ symbols: ['btcusdt'] }), now)).message).toContain('btcusdt')
    expect(rejects(() => history.check(request({ from: Math.floor(now / 1000) - DAY_MS }), now)).message).toContain('µs')
    expect(rejects(() => history.check(request({ from: now + HOUR_US, to: now + 2 * HOUR_US }), now)).message).toContain('before now')
  })

  it('rejects symbols exchangeInfo does not list, naming them', async () => {
    const s = await simulate(dayStart(), 60_000)
    const listed = exchange.createHistory!({ restUrl: s.fx.restUrl })
    await expect(listed.checkSymbols(['BTCUSDT', 'ETHUSDT'], signal)).resolves.toBeUndefined()
    const error = await listed.checkSymbols(['BTCUSDT', 'NOPEUSDT'], signal).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(InvalidArgumentError)
    expect((error as InvalidArgumentError).message).toContain('NOPEUSDT')
    // exchangeInfo is read once per history, however often symbols are checked.
    expect(s.requests('/api/v3/exchangeInfo')).toHaveLength(1)
  })

  it('states what Binance serves per channel kind, and rejects bad options', () => {
    expect(history.exchange).toBe('binance')
    expect(history.limits).toHaveLength(3)
    expect(history.limits[0]).toMatch(/^trades: .*historicalTrades.*weight 25 per 1000/)
    expect(history.limits[1]).toMatch(/^bars:<interval>: .*klines.*weight 2 per 1000/)
    expect(rejects(() => exchange.createHistory!({ restWeightShare: 2 })).message).toContain('restWeightShare')
    expect(rejects(() => exchange.createHistory!({ restUrl: 'https://api.binance.com/api/v3' })).message).toContain('restUrl')
  })
})
