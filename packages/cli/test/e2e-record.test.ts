// Spawns the real dccd process against the scripted, network-free fakex adapter.
import { existsSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { asyncBufferFromFile, parquetMetadataAsync } from 'hyparquet'
import { describe, expect, it } from 'vitest'
import { listDataFiles, readDataFile } from '@dccd/recorder'
import { basicEvents, derivativeEvents, fakexProject, T0, writeScript } from './helpers/fakex.js'
import { runDccd } from './helpers/spawn.js'

async function rows(dir: string, type: string): Promise<Record<string, unknown>[]> {
  const all: Record<string, unknown>[] = []
  for (const file of listDataFiles(dir).filter((f) => f.includes(`/${type}/`))) all.push(...(await readDataFile(file)).rows)
  return all
}

describe('dccd record (end to end)', { timeout: 60_000 }, () => {
  it('records the replayed events into typed Parquet files whose rows equal the events', async () => {
    const cwd = fakexProject()
    const url = writeScript(cwd, { events: basicEvents() })
    const result = await runDccd(['record', 'fakex', 'BTCUSD', '--channels', 'trades,book', '--out', 'data', '--ws-url', url, '--duration', '20s'], cwd)
    expect(result.stderr).toContain('rows sealed under data')
    expect(result.code).toBe(0)
    const data = join(cwd, 'data')
    const files = listDataFiles(data).map((f) => f.slice(data.length + 1))
    expect(files).toHaveLength(3)
    expect(files.filter((f) => /^fakex\/trades\/BTCUSD\/\d{4}-\d{2}-\d{2}\/\d{12}-[a-z0-9]{4}\.parquet$/.test(f))).toHaveLength(1)
    expect(readdirSync(join(data, '.journal'), { recursive: true }).filter((f) => String(f).endsWith('.jsonl'))).toEqual([])
    expect(existsSync(join(data, '.dccd.lock'))).toBe(false)

    const trades = await rows(data, 'trades')
    expect(trades.map(({ localTimestamp: _l, ...rest }) => rest)).toEqual([
      { timestamp: T0 + 200_000, exchange: 'fakex', symbol: 'BTCUSD', id: '1', side: 'buy', price: 100.5, amount: 0.25 },
      { timestamp: T0 + 300_001, exchange: 'fakex', symbol: 'BTCUSD', id: '2', side: 'sell', price: 100.25, amount: 1.5 },
    ])
    for (const trade of trades) expect(Number.isInteger(trade.localTimestamp)).toBe(true)
    const book = await rows(data, 'book')
    expect(book.map((r) => [r.eventIndex, r.isSnapshot, r.side, r.price, r.amount, r.timestamp])).toEqual([
      [0, true, 'bid', 100, 1, T0],
      [0, true, 'bid', 99, 2, T0],
      [0, true, 'ask', 101, 1.5, T0],
      [1, false, 'bid', 100, 0, T0 + 100_000],
      [1, false, 'ask', 102, 3, T0 + 100_000],
    ])
    const tradeFile = listDataFiles(data).find((f) => f.includes('/trades/'))!
    const metadata = await parquetMetadataAsync(await asyncBufferFromFile(tradeFile))
    expect(metadata.schema.find((e) => e.name === 'localTimestamp')?.logical_type).toEqual({ type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' })
    expect(metadata.schema.find((e) => e.name === 'price')?.type).toBe('DOUBLE')
  })

  it('stops when --duration ends, exits 0 and keeps every trade once, in order', async () => {
    const cwd = fakexProject()
    const url = writeScript(cwd, { liveTrades: { symbol: 'BTCUSD', everyMs: 10 } })
    const started = Date.now()
    const result = await runDccd(['record', 'fakex', 'BTCUSD', '--channels', 'trades', '--out', 'data', '--ws-url', url, '--duration', '1s', '--format', 'csv'], cwd)
    expect(result.code).toBe(0)
    expect(Date.now() - started).toBeLessThan(15_000)
    const ids = (await rows(join(cwd, 'data'), 'trades')).map((r) => Number(r.id))
    expect(ids.length).toBeGreaterThan(5)
    expect(ids).toEqual(ids.map((_, i) => i + 1))
    expect(listDataFiles(join(cwd, 'data'))[0]).toMatch(/\.csv$/)
  })

  it('records several feeds from a --config file in one process', async () => {
    const cwd = fakexProject()
    const btc = writeScript(cwd, { events: basicEvents() }, 'btc.json')
    const eth = writeScript(cwd, { events: [{ type: 'trade', exchange: 'fakex', symbol: 'ETHUSD', id: '9', price: 3000, amount: 2, side: 'buy', timestamp: T0 }] }, 'eth.json')
    const config = join(cwd, 'dccd.yaml')
    writeFileSync(
      config,
      `out: rec\nformat: jsonl\nfeeds:\n  - exchange: fakex\n    symbols: [BTCUSD]\n    channels: [trades]\n    wsUrl: ${btc}\n  - exchange: fakex\n    symbols: ETHUSD\n    channels: trades\n    wsUrl: ${eth}\n`,
    )
    const result = await runDccd(['record', '--config', config], cwd)
    expect(result.code).toBe(0)
    const trades = await rows(join(cwd, 'rec'), 'trades')
    expect(trades.map((r) => `${r.symbol}:${r.id}`).sort()).toEqual(['BTCUSD:1', 'BTCUSD:2', 'ETHUSD:9'])
  })

  it('dccd read prints a recorded folder back; dccd exchanges lists the installed adapter', async () => {
    const cwd = fakexProject()
    const url = writeScript(cwd, { events: basicEvents() })
    await runDccd(['record', 'fakex', 'BTCUSD', '--channels', 'trades', '--out', 'data', '--ws-url', url], cwd)
    const read = await runDccd(['read', 'data/fakex/trades', '--format', 'jsonl'], cwd)
    expect(read.code).toBe(0)
    expect(read.stdout.trim().split('\n').map((l) => JSON.parse(l))).toEqual([
      expect.objectContaining({ id: '1', price: 100.5, timestamp: T0 + 200_000 }),
      expect.objectContaining({ id: '2', price: 100.25, timestamp: T0 + 300_001 }),
    ])
    const table = await runDccd(['read', 'data'], cwd)
    expect(table.stdout).toMatch(/# .*trades.*\(2 rows\)/)
    expect(table.stdout).toContain('2025-11-25T19:07:12.323456Z')
    const exchanges = await runDccd(['exchanges'], cwd)
    expect(exchanges.code).toBe(0)
    expect(exchanges.stdout).toMatch(/^fakex +Fake Exchange +trades,book,bars,quotes,derivatives,liquidations +1m +perpetual +contracts +BTCUSD +@dccd\/fakex$/m)
  })
})

describe('dccd watch (end to end)', { timeout: 60_000 }, () => {
  it('off a terminal prints frames with mark price, funding, best bid/ask, the ladder and trades, then exits 0 after --duration', async () => {
    const cwd = fakexProject()
    const url = writeScript(cwd, { events: [...basicEvents(), ...derivativeEvents()] })
    const result = await runDccd(['watch', 'fakex', 'BTCUSD', '--ws-url', url, '--duration', '1s', '--depth', '3'], cwd)
    expect(result.code).toBe(0)
    const lines = result.stdout.trim().split('\n')
    const frame = lines.slice(lines.findLastIndex((l) => l.startsWith('fakex BTCUSD')))
    expect(frame[0]).toMatch(/^fakex BTCUSD {2}connected/)
    // fakex offers quotes and derivatives, so watch subscribed to them: each field as last sent (the last funding rate is 0).
    expect(frame[1]).toMatch(/^mark 100\.45 {2}index 100\.35 {2}funding 0\.0000% {2}next 00:00:00Z (in \d|due$)/)
    expect(frame.slice(2, 4)).toEqual(['open interest 12345 contracts', 'best bid 100.25 × 0.5  ask 100.75 × 2  spread 0.5'])
    expect(frame.filter((l) => /^(ask|bid|----)/.test(l)).map((l) => l.split(/\s+/).slice(0, 3).join(' '))).toEqual([
      'ask 102 3',
      'ask 101 1.5',
      '---- spread 2',
      'bid 99 2',
    ])
    expect(frame.some((l) => /sell +100\.25 +1\.5$/.test(l))).toBe(true)
  })
})
