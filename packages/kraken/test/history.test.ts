import type { ExchangeHistory, MarketEvent, StatusEvent, TradeEvent } from '@dccd/core'
import { afterEach, describe, expect, it } from 'vitest'
import { exchange } from '../src/index.js'
import { createKrakenHistory } from '../src/history.js'
import { SimulatedKraken } from './support/simulated-kraken.js'
import { marketBars, ohlcv, tradeValues } from './support/simulated-feed.js'

const HOUR_MS = 3_600_000
const MINUTE = 60_000_000
const signal = new AbortController().signal

let sim: SimulatedKraken | undefined
afterEach(async () => {
  await sim?.close()
  sim = undefined
})

async function pagesOf(pages: AsyncIterable<readonly MarketEvent[]>): Promise<MarketEvent[][]> {
  const out: MarketEvent[][] = []
  for await (const page of pages) out.push([...page])
  return out
}

const trades = (events: readonly MarketEvent[]): TradeEvent[] => events.filter((event): event is TradeEvent => event.type === 'trade')
const gaps = (events: readonly MarketEvent[]): StatusEvent[] => events.filter((event): event is StatusEvent => event.type === 'status')

/** Kraken's history against `sim`, paced at `pairCallIntervalMs` per pair (Kraken's is 1000; the server enforces the same). */
const historyOf = (sim: SimulatedKraken, pairCallIntervalMs: number): ExchangeHistory =>
  createKrakenHistory({ restUrl: sim.fx.restUrl }, { pairCallIntervalMs })

describe('Kraken history: trades', () => {
  it('downloads a day of trades complete, in id order, page by page within the per-pair limit', async () => {
    const start = (Date.now() - 25 * HOUR_MS) * 1000
    sim = await SimulatedKraken.start({ symbols: ['BTC/USD'], seed: 2, start, tradesPerSecond: 1, pairCallIntervalMs: 10 })
    sim.advance(24 * HOUR_MS, HOUR_MS)
    const from = start
    const to = start + 24 * HOUR_MS * 1000
    const pages = await pagesOf(historyOf(sim, 10).trades({ symbol: 'BTC/USD', from, to }, signal))
    const events = pages.flat()
    const market = sim.market.trades('BTC/USD').filter((trade) => trade.time >= from && trade.time < to)
    expect(market.length).toBeGreaterThan(80_000)
    expect(gaps(events)).toEqual([])
    expect(trades(events).map(tradeValues)).toEqual(market.map(tradeValues))
    trades(events).forEach((trade, i) => expect(Math.abs(trade.timestamp - market[i]!.time)).toBeLessThanOrEqual(1))
    // One page per call, 1000 rows a call less the one asked again at each page boundary (ties), plus the call that finds nothing newer.
    // (About 92 calls for 92,000 trades: at Kraken's one call per second, a minute and a half.)
    const calls = sim.rest.count('/0/public/Trades')
    expect(pages.length).toBeLessThanOrEqual(calls)
    expect(calls).toBeLessThanOrEqual(Math.ceil(market.length / 990) + 1)
    expect(sim.rest.calls.filter((call) => call.answer !== 'ok')).toEqual([])
  }, 60_000)

  it('continues a download after its last trade (`after`) without repeating or losing one', async () => {
    const start = (Date.now() - 2 * HOUR_MS) * 1000
    sim = await SimulatedKraken.start({ symbols: ['ETH/USD'], seed: 6, start, pairCallIntervalMs: 10 })
    sim.advance(HOUR_MS, 60_000)
    const history = historyOf(sim, 10)
    const from = start
    const to = sim.market.now
    const firstPart = trades((await pagesOf(history.trades({ symbol: 'ETH/USD', from, to: start + 20 * MINUTE }, signal))).flat())
    const last = firstPart.at(-1)!
    const rest = trades(
      (await pagesOf(history.trades({ symbol: 'ETH/USD', from, to, after: { lastId: last.id, lastTimestamp: last.timestamp } }, signal))).flat(),
    )
    const market = sim.market.trades('ETH/USD').filter((trade) => trade.time >= from && trade.time < to)
    expect([...firstPart, ...rest].map(tradeValues)).toEqual(market.map(tradeValues))
    expect(Number(rest[0]!.id)).toBe(Number(last.id) + 1)
  })

  it('marks ids Kraken does not return as one gap each, in their place', async () => {
    const start = (Date.now() - 2 * HOUR_MS) * 1000
    sim = await SimulatedKraken.start({ symbols: ['BTC/USD'], seed: 7, start, pairCallIntervalMs: 10 })
    sim.advance(10 * 60_000, 60_000)
    const ids = sim.market.trades('BTC/USD').map((trade) => trade.id)
    const a = ids[500]!
    const b = ids[1500]! // on another page
    for (const id of [a, a + 1, a + 2, b]) sim.rest.withheld.add(`BTC/USD|${id}`)
    const events = (await pagesOf(historyOf(sim, 10).trades({ symbol: 'BTC/USD', from: start, to: sim.market.now }, signal))).flat()
    expect(gaps(events).map((gap) => [gap.channel, gap.fromId, gap.toId])).toEqual([
      ['trades', String(a), String(a + 2)],
      ['trades', String(b), String(b)],
    ])
    expect(gaps(events)[0]!.reason).toContain('GET /0/public/Trades')
    const order = events.map((event) => (event.type === 'trade' ? Number(event.id) : `gap ${event.type === 'status' ? event.fromId : ''}`))
    expect(order.slice(order.indexOf(a - 1), order.indexOf(a + 3) + 1)).toEqual([a - 1, `gap ${a}`, a + 3])
    expect(trades(events).map((trade) => Number(trade.id))).toEqual(ids.filter((id) => ![a, a + 1, a + 2, b].includes(id)))
  })
})

describe('Kraken history: bars', () => {
  it("downloads closed bars of OHLC's window with their exact values (quiet intervals as Kraken's zero-volume bars), never the current one", async () => {
    sim = await SimulatedKraken.start({ symbols: ['BTC/USD'], seed: 3, start: (Date.now() - 13 * HOUR_MS) * 1000, tradesPerSecond: 0.5, quietMinuteChance: 0.1 })
    sim.advance(13 * HOUR_MS - 30_000, 60_000)
    const history = historyOf(sim, 10)
    const currentOpen = Math.floor(sim.market.now / MINUTE) * MINUTE
    const from = currentOpen - 700 * MINUTE
    const bars = (await pagesOf(history.bars({ symbol: 'BTC/USD', interval: '1m', from, to: sim.market.now + MINUTE }, signal))).flat()
    expect(bars.every((bar) => bar.type === 'bar' && bar.closed)).toBe(true)
    expect(bars.map((bar) => ohlcv(bar as never))).toEqual(marketBars(sim, 'BTC/USD', from, currentOpen - MINUTE))
    expect(bars.some((bar) => bar.type === 'bar' && bar.volume === 0)).toBe(true)
    const after = (await pagesOf(history.bars({ symbol: 'BTC/USD', interval: '1m', from, to: currentOpen, after: { lastOpenTime: currentOpen - 10 * MINUTE } }, signal))).flat()
    expect(after.map((bar) => (bar.type === 'bar' ? bar.openTime : 0))).toEqual(Array.from({ length: 9 }, (_, i) => currentOpen - (9 - i) * MINUTE))
  })

  it('starts with one gap for the part of the range OHLC no longer serves', async () => {
    sim = await SimulatedKraken.start({ symbols: ['BTC/USD'], seed: 3, start: (Date.now() - 13 * HOUR_MS) * 1000, tradesPerSecond: 0.2 })
    sim.advance(13 * HOUR_MS - 30_000, 60_000)
    const currentOpen = Math.floor(sim.market.now / MINUTE) * MINUTE
    const windowStart = currentOpen - 719 * MINUTE
    const from = currentOpen - 750 * MINUTE
    const [page] = await pagesOf(historyOf(sim, 10).bars({ symbol: 'BTC/USD', interval: '1m', from, to: currentOpen }, signal))
    expect(page![0]).toMatchObject({ type: 'status', status: 'gap', channel: 'bars:1m', fromId: String(from), toId: String(windowStart - MINUTE) })
    expect((page![0] as StatusEvent).reason).toContain('720')
    expect(page![1]).toMatchObject({ type: 'bar', openTime: windowStart, closed: true })
  })
})

describe('Kraken history: pacing', () => {
  it('spaces the calls of one pair, Trades and OHLC together, as the per-pair limit requires', async () => {
    const start = (Date.now() - 2 * HOUR_MS) * 1000
    sim = await SimulatedKraken.start({ symbols: ['BTC/USD'], seed: 12, start, tradesPerSecond: 1, pairCallIntervalMs: 150 })
    sim.advance(HOUR_MS, 60_000)
    const history = historyOf(sim, 150)
    const now = sim.market.now
    await Promise.all([
      pagesOf(history.trades({ symbol: 'BTC/USD', from: start, to: now }, signal)),
      pagesOf(history.bars({ symbol: 'BTC/USD', interval: '1m', from: start, to: now }, signal)),
      pagesOf(history.bars({ symbol: 'BTC/USD', interval: '5m', from: start, to: now }, signal)),
    ])
    const calls = sim.rest.calls
    expect(calls.length).toBeGreaterThanOrEqual(6)
    expect(calls.filter((call) => call.answer !== 'ok')).toEqual([])
    for (let i = 1; i < calls.length; i++) expect(calls[i]!.at - calls[i - 1]!.at).toBeGreaterThanOrEqual(150)
  })
})

describe('Kraken history: checks', () => {
  const now = Date.UTC(2026, 0, 10, 12, 0) * 1000
  const history = exchange.createHistory!({})
  const check = (request: Partial<Parameters<ExchangeHistory['check']>[0]>) =>
    history.check({ symbols: ['BTC/USD'], channels: ['trades'], from: now - HOUR_MS * 1000, to: now, ...request }, now)
  const rejection = (request: Partial<Parameters<ExchangeHistory['check']>[0]>): { code: string; message: string } => {
    try {
      check(request)
    } catch (error) {
      return error as { code: string; message: string }
    }
    throw new Error('check accepted the request')
  }

  it('accepts trades over any range and bars inside the latest 720 intervals, returning the parsed channels', () => {
    expect(check({ channels: ['trades', 'bars:1m'], from: now - 700 * MINUTE })).toEqual([
      { kind: 'trades', name: 'trades' },
      { kind: 'bars', name: 'bars:1m', interval: '1m' },
    ])
    expect(() => check({ channels: ['trades', 'bars:1h'], from: now - 365 * 24 * HOUR_MS * 1000 + 0 })).toThrow()
    expect(() => check({ channels: ['trades', 'bars:1d'], from: now - 365 * 24 * HOUR_MS * 1000 })).not.toThrow()
  })

  it('rejects book history, saying it is not available and listing what is', () => {
    const error = rejection({ channels: ['trades', 'book'] })
    expect(error.code).toBe('DCCD_INVALID_ARGUMENT')
    expect(error.message).toContain('book')
    expect(error.message).toMatch(/no order book history/)
    expect(error.message).toContain('trades, bars:1m, bars:5m')
  })

  it('rejects bars older than the latest 720 intervals, naming the bad from and the earliest valid one', () => {
    const from = now - 13 * HOUR_MS * 1000
    const error = rejection({ channels: ['bars:1m'], from })
    expect(error.code).toBe('DCCD_INVALID_ARGUMENT')
    expect(error.message).toContain('2026-01-09T23:00:00.000000Z')
    // 720 intervals with the current one (12:00): from 00:01 on.
    expect(error.message).toContain('2026-01-10T00:01:00.000000Z')
    expect(error.message).toContain('720')
  })

  it.each([
    [{ symbols: ['XBT/USD'] }, 'XBT/USD'],
    [{ channels: ['bars:2h'] }, '2h'],
    [{ channels: ['candles'] }, 'candles'],
    [{ from: now, to: now }, '..'],
    [{ from: 1_700_000_000_000 }, '1700000000000'],
  ])('rejects %j with InvalidArgumentError naming the value', (request, value) => {
    const error = rejection(request)
    expect(error.code).toBe('DCCD_INVALID_ARGUMENT')
    expect(error.message).toContain(value)
  })

  it('names what Kraken serves, one sentence per kind', () => {
    expect(history.exchange).toBe('kraken')
    expect(history.limits).toHaveLength(2)
    expect(history.limits[0]).toMatch(/^trades: GET \/0\/public\/Trades .*whole history.*1000 trades per call.*one call per second per pair/)
    expect(history.limits[1]).toMatch(/^bars: GET \/0\/public\/OHLC .*latest 720 intervals/)
  })

  it('rejects a bad restUrl or restWeightShare when created', () => {
    expect(() => exchange.createHistory!({ restUrl: 'ftp://x' })).toThrow(/ftp:\/\/x/)
    expect(() => exchange.createHistory!({ restWeightShare: 0 })).toThrow(/restWeightShare/)
  })

  it('rejects symbols AssetPairs does not list, naming them', async () => {
    sim = await SimulatedKraken.start({ symbols: ['BTC/USD', 'ETH/USD'] })
    const listed = createKrakenHistory({ restUrl: sim.fx.restUrl })
    await expect(listed.checkSymbols(['BTC/USD', 'ETH/USD'], signal)).resolves.toBeUndefined()
    const error = await listed.checkSymbols(['BTC/USD', 'SOL/USD'], signal).catch((e: unknown) => e as { code: string; message: string })
    expect(error).toMatchObject({ code: 'DCCD_INVALID_ARGUMENT' })
    expect((error as { message: string }).message).toContain('SOL/USD')
  })
})
