// `dccd backfill` as users run it: the real process and the real @dccd/binance adapter against a
// simulated Binance serving a day of history with Binance's paging rules and weight limit.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { listDataFiles } from '@dccd/recorder'
import { main } from '../src/index.js'
import { fakexProject } from './helpers/fakex.js'
import { journaledIds, recordedRows } from './helpers/journal.js'
import { simulateBinance, simulationRestUrl } from './helpers/simulated-binance.js'
import type { SimulatedBinance } from './helpers/simulated-binance.js'
import { runDccd, startDccd } from './helpers/spawn.js'
import { until } from './helpers/until.js'

const DAY_US = 86_400_000_000
/** Midnight UTC two days ago: a whole day of history that is over. */
const DAY = Math.floor(Date.now() / 86_400_000 - 2) * DAY_US
const iso = (micros: number): string => new Date(micros / 1000).toISOString()

let sim: SimulatedBinance | undefined
afterEach(async () => {
  await sim?.close()
  sim = undefined
})

describe('dccd backfill (end to end)', { timeout: 120_000 }, () => {
  it('downloads a whole day of trades and 1m bars, complete, in order, dated by exchange time', async () => {
    sim = await simulateBinance({ seed: 41, symbols: ['BTCUSDT'], start: DAY - 3_600_000_000, tradesPerSecond: 1, quietMinuteChance: 0.02 })
    sim.market.advanceTo(DAY + DAY_US + 3_600_000_000)
    const cwd = fakexProject()
    const result = await runDccd(
      ['backfill', 'binance', 'BTCUSDT', '--channels', 'trades,bars:1m', '--from', iso(DAY), '--to', iso(DAY + DAY_US), '--out', 'data', ...simulationRestUrl(sim)],
      cwd,
    )
    expect(result.stderr).toMatch(/rows in \d+ file\(s\)/)
    expect(result.code).toBe(0)

    const expected = sim.market.tradesBetween('BTCUSDT', DAY, DAY + DAY_US - 1)
    expect(expected.length).toBeGreaterThan(80_000)
    const trades = await recordedRows(join(cwd, 'data'), 'trades')
    expect(trades.map((row) => Number(row.id))).toEqual(expected.map((trade) => trade.id))
    expect(trades.map((row) => Number(row.timestamp))).toEqual(expected.map((trade) => trade.time - (trade.time % 1000))) // Binance serves ms
    const bars = await recordedRows(join(cwd, 'data'), 'bars-1m')
    const served = sim.bars('BTCUSDT', '1m', DAY, DAY + DAY_US - 1)
    expect(bars.map((row) => [Number(row.openTime), row.close, row.volume, row.closed])).toEqual(served.map((bar) => [bar.openTime, bar.close, bar.volume, true]))
    expect(bars).toHaveLength(1440)
    // Partitioned by the history's own date, not the day it was downloaded.
    const dates = new Set(listDataFiles(join(cwd, 'data')).filter((f) => f.includes('/trades/')).map((f) => f.split('/').at(-2)))
    expect([...dates]).toEqual([iso(DAY).slice(0, 10)])
    expect(sim.rejected).toBe(0) // no 429: the download stayed inside the weight limit
  })

  it('killed part-way, the same command continues where its checkpoints say: complete, nothing twice', async () => {
    // A tight limit (100 weight/s, 80 spent) stretches six hours of trades over several seconds.
    sim = await simulateBinance(
      { seed: 43, symbols: ['BTCUSDT'], start: DAY - 60_000_000, tradesPerSecond: 1, quietMinuteChance: 0 },
      { weightLimit: { limit: 100, interval: 'SECOND' } },
    )
    sim.market.advanceTo(DAY + 7 * 3_600_000_000)
    const cwd = fakexProject()
    const data = join(cwd, 'data')
    const args = ['backfill', 'binance', 'BTCUSDT', '--from', iso(DAY), '--to', iso(DAY + 6 * 3_600_000_000), '--out', 'data', ...simulationRestUrl(sim)]
    const first = startDccd(args, cwd)
    await until(() => sim!.requests('/api/v3/historicalTrades').length >= 6 && journaledIds(data).length > 0, 'a few pages downloaded')
    first.child.kill('SIGKILL')
    expect((await first.finished).signal).toBe('SIGKILL')
    const pagesBefore = sim.requests('/api/v3/historicalTrades').length

    const second = await runDccd(args, cwd)
    expect(second.code).toBe(0)
    expect(second.stderr).toContain('sealed 1 file(s) left in the journal by an interrupted run')
    const expected = sim.market.tradesBetween('BTCUSDT', DAY, DAY + 6 * 3_600_000_000 - 1).map((trade) => trade.id)
    const ids = (await recordedRows(data, 'trades')).map((row) => Number(row.id)).sort((a, b) => a - b)
    expect(ids).toEqual(expected)
    // The second run started after the first one's data, not from --from again.
    const pagesAfter = sim.requests('/api/v3/historicalTrades').length - pagesBefore
    expect(pagesAfter).toBeLessThan(Math.ceil(expected.length / 1000))
    expect((await recordedRows(data, 'status')).filter((row) => row.status === 'gap')).toEqual([])
  })

  it.each([
    [['backfill', 'nosuch', 'BTCUSDT', '--from', '2026-01-01'], /unknown exchange "nosuch"|exchange "nosuch"/],
    [['backfill', 'binance', 'btc-usdt', '--from', '2026-01-01'], /btc-usdt/],
    [['backfill', 'binance', 'BTCUSDT', '--channels', 'book', '--from', '2026-01-01'], /book/],
    [['backfill', 'binance', 'BTCUSDT', '--channels', 'bars:7m', '--from', '2026-01-01'], /7m/],
    [['backfill', 'binance', 'BTCUSDT', '--from', '2026-01-02', '--to', '2026-01-01'], /--from 2026-01-02 is not before --to 2026-01-01/],
    [['backfill', 'binance', 'BTCUSDT', '--from', '2999-01-01'], /--from 2999-01-01 is in the future/],
    [['backfill', 'binance', 'BTCUSDT', '--from', 'last tuesday'], /invalid --from "last tuesday"/],
    [['backfill', 'binance', 'NOSUCHPAIR', '--from', '2026-01-01'], /NOSUCHPAIR/],
  ])('rejects %j with exit 2 and a message naming the bad value, before any history request, writing nothing', async (args, message) => {
    // In-process (`main`, as the binary runs it): a spawned process per case cost most of this file's time;
    // the test below runs one case through the real process.
    sim = await simulateBinance({ seed: 47, symbols: ['BTCUSDT'], start: DAY, tradesPerSecond: 1 })
    sim.market.advanceTo(DAY + 60_000_000)
    const cwd = fakexProject()
    let err = ''
    const io = { out: () => {}, err: (text: string) => void (err += text), errIsTTY: false, outIsTTY: false }
    const code = await main([...args, '--out', join(cwd, 'data'), ...simulationRestUrl(sim)], { io, discovery: { cwd } })
    expect(err).toMatch(message)
    expect(code).toBe(2)
    expect(existsSync(join(cwd, 'data'))).toBe(false)
    for (const path of ['/api/v3/historicalTrades', '/api/v3/aggTrades', '/api/v3/klines']) expect(sim.requests(path)).toEqual([])
  })

  it('the real process exits 2 on an unlisted symbol, after exchangeInfo and before any history request', async () => {
    sim = await simulateBinance({ seed: 47, symbols: ['BTCUSDT'], start: DAY, tradesPerSecond: 1 })
    sim.market.advanceTo(DAY + 60_000_000)
    const cwd = fakexProject()
    const result = await runDccd(['backfill', 'binance', 'NOSUCHPAIR', '--from', '2026-01-01', '--out', 'data', ...simulationRestUrl(sim)], cwd)
    expect(result.stderr).toMatch(/NOSUCHPAIR/)
    expect(result.code).toBe(2)
    expect(existsSync(join(cwd, 'data'))).toBe(false)
    expect(sim.requests('/api/v3/exchangeInfo').length).toBe(1)
    for (const path of ['/api/v3/historicalTrades', '/api/v3/aggTrades', '/api/v3/klines']) expect(sim.requests(path)).toEqual([])
  })
})
