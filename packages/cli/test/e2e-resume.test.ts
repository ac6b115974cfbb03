// `dccd record` killed with -9 and started again minutes later must leave every trade in the files
// exactly once and no gap, when the exchange still serves what it missed: the recorder's durable
// checkpoints become the feed's resume points. The real process and the real @dccd/binance adapter
// against a simulated Binance whose market runs on the wall clock; the files are read by DuckDB.
import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { afterEach, describe, expect, it } from 'vitest'
import { fakexProject } from './helpers/fakex.js'
import { journaledIds } from './helpers/journal.js'
import { simulateBinance, simulationUrls } from './helpers/simulated-binance.js'
import type { SimulatedBinance } from './helpers/simulated-binance.js'
import { runDccd, startDccd } from './helpers/spawn.js'
import { until } from './helpers/until.js'

let sim: SimulatedBinance | undefined
let clock: ReturnType<typeof setInterval> | undefined
afterEach(async () => {
  clearInterval(clock)
  await sim?.close()
  sim = undefined
})

/** Rows of a DuckDB query, bigints as numbers (ids and µs times are safe integers). */
async function query(sqlText: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(':memory:')
  const connection = await instance.connect()
  try {
    const rows = (await connection.runAndReadAll(sqlText)).getRowObjectsJS()
    return rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])))
  } finally {
    connection.closeSync()
    instance.closeSync()
  }
}

describe('dccd record resumes after kill -9 (end to end)', { timeout: 60_000 }, () => {
  it('fetches what it missed while down: every trade once, every closed bar once, no gap', async () => {
    const start = Date.now() * 1000 - 120_000_000
    sim = await simulateBinance({ seed: 53, symbols: ['BTCUSDT'], start, tradesPerSecond: 20, quietMinuteChance: 0 })
    // The market runs on the wall clock, whether dccd is up or not.
    const s = sim
    s.advance(Date.now() - s.market.now / 1000)
    clock = setInterval(() => s.advance(Math.max(0, Date.now() - s.market.now / 1000)), 20)

    const cwd = fakexProject()
    const data = join(cwd, 'data')
    const args = ['record', 'binance', 'BTCUSDT', '--channels', 'trades,bars:1s', '--out', 'data', ...simulationUrls(sim)]
    const first = startDccd(args, cwd)
    await until(() => journaledIds(data).length >= 60, 'trades in the journal')
    first.child.kill('SIGKILL')
    expect((await first.finished).signal).toBe('SIGKILL')
    // Down while the market trades on: more than a few seconds' worth of trades and closed 1s bars are missed.
    const downAt = s.market.trades('BTCUSDT').length
    await until(() => s.market.trades('BTCUSDT').length >= downAt + 60, 'the market trading on while dccd is down')

    const second = await runDccd([...args, '--duration', '3s'], cwd)
    expect(second.stderr).toMatch(/resuming after trade \d+/)
    expect(second.code).toBe(0)
    clearInterval(clock)

    const trades = `read_parquet('${join(data, 'binance/trades/BTCUSDT')}/*/*.parquet')`
    const [counts] = await query(`SELECT count(*) AS n, count(DISTINCT id) AS distinctIds, min(id::BIGINT) AS first, max(id::BIGINT) AS last FROM ${trades}`)
    const { n, distinctIds, first: firstId, last } = counts as { n: number; distinctIds: number; first: number; last: number }
    expect(distinctIds).toBe(n) // nothing twice
    expect(last - firstId + 1).toBe(n) // nothing missing between the first and the last
    expect(last).toBeGreaterThan(downAt + 1000 + 60) // the second run went past the downtime
    const served = s.market.trades('BTCUSDT').filter((trade) => trade.id >= firstId && trade.id <= last)
    const prices = await query(`SELECT id::BIGINT AS id, price, amount FROM ${trades} ORDER BY id::BIGINT`)
    expect(prices).toEqual(served.map((trade) => ({ id: trade.id, price: trade.price, amount: trade.amount })))

    const bars = `read_parquet('${join(data, 'binance/bars-1s/BTCUSDT')}/*/*.parquet')`
    const closed = await query(`SELECT epoch_us(openTime) AS openTime, count(*) AS n FROM ${bars} WHERE closed GROUP BY 1 ORDER BY 1`)
    expect(closed.every((row) => row.n === 1)).toBe(true)
    const openTimes = closed.map((row) => row.openTime as number)
    expect(openTimes).toEqual(openTimes.map((_, i) => openTimes[0]! + i * 1_000_000)) // one every second, none skipped
    expect(openTimes.length).toBeGreaterThan(5)

    const status = `read_parquet('${join(data, 'binance/status')}/*/*/*.parquet', union_by_name = true)`
    expect(await query(`SELECT status, channel, fromId, toId FROM ${status} WHERE status = 'gap'`)).toEqual([])
  })
})
