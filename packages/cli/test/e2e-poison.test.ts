// One implausible timestamp must not poison an output folder (issue #11, item 3), against the real process.
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { listDataFiles, readDataFile } from '@dccd/recorder'
import { fakexProject, T0, writeScript } from './helpers/fakex.js'
import { runDccd } from './helpers/spawn.js'

async function rows(dir: string, type: string): Promise<Record<string, unknown>[]> {
  const all: Record<string, unknown>[] = []
  for (const file of listDataFiles(dir).filter((f) => f.includes(`/${type}/`))) all.push(...(await readDataFile(file)).rows)
  return all
}

/** Every file under `.quarantine`, relative to it. */
function quarantined(data: string): string[] {
  const dir = join(data, '.quarantine')
  return existsSync(dir) ? readdirSync(dir, { recursive: true }).map(String).filter((name) => name.endsWith('.jsonl')) : []
}

const trade = (id: number, timestamp: number) => ({ type: 'trade', exchange: 'fakex', symbol: 'BTCUSD', id: String(id), price: 100, amount: 1, side: 'buy', timestamp })
const RECORD = ['record', 'fakex', 'BTCUSD', '--channels', 'trades,book', '--out', 'data', '--duration', '20s']

describe('implausible timestamps (end to end)', { timeout: 60_000 }, () => {
  it('a trade and a book event stamped 1e300 µs are set aside; the run and the next ones seal everything else', async () => {
    const cwd = fakexProject()
    const data = join(cwd, 'data')
    const url = writeScript(cwd, {
      events: [
        { type: 'book', exchange: 'fakex', symbol: 'BTCUSD', isSnapshot: true, bids: [{ price: 100, amount: 1 }], asks: [{ price: 101, amount: 1 }], timestamp: T0 },
        trade(1, T0 + 1),
        trade(2, 1e300),
        { type: 'book', exchange: 'fakex', symbol: 'BTCUSD', isSnapshot: false, bids: [{ price: 100, amount: 2 }], asks: [], timestamp: 1e300 },
        trade(3, T0 + 3),
      ],
    })
    const first = await runDccd([...RECORD, '--ws-url', url], cwd)
    expect(first.stderr).not.toContain('dccd: error')
    expect(first.code).toBe(0)
    expect(first.stderr).toMatch(/dccd warn: set aside line 3 of .*trades.*: timestamp 1e\+300/)
    expect(first.stderr).toMatch(/dccd warn: set aside line 3 of .*book.*: timestamp 1e\+300/)
    expect((await rows(data, 'trades')).map((r) => r.id)).toEqual(['1', '3'])
    expect((await rows(data, 'book')).map((r) => r.price)).toEqual([100, 101])
    const segmentNames = listDataFiles(data).map((f) => f.slice(data.length + 1).replace(/\.parquet$/, '.rejected.jsonl'))
    expect(quarantined(data).sort()).toEqual(segmentNames.filter((name) => !name.includes('/status/')).sort())
    const kept = quarantined(data).map((name) => readFileSync(join(data, '.quarantine', name), 'utf8'))
    expect(kept.join('')).toContain('"timestamp":1e+300')

    const second = await runDccd([...RECORD, '--ws-url', writeScript(cwd, { events: [trade(4, T0 + 4)] }, 'next.json')], cwd)
    expect(second.code).toBe(0)
    expect((await rows(data, 'trades')).map((r) => r.id)).toEqual(['1', '3', '4'])
  })

  it('a journal poisoned by an earlier run no longer blocks every later start', async () => {
    const cwd = fakexProject()
    const data = join(cwd, 'data')
    // What an earlier dccd left behind after its seal threw: a complete segment holding one bad trade.
    const segment = join(data, '.journal', 'fakex', 'trades', 'BTCUSD', '2025-11-25', '190712123456-pois.jsonl')
    mkdirSync(join(segment, '..'), { recursive: true })
    const header = { dccd: 'journal', version: 1, type: 'trades', format: 'parquet' }
    const lines = [header, { ...trade(1, T0), localTimestamp: T0 }, { ...trade(2, 1e300), localTimestamp: T0 + 1 }, { ...trade(3, T0 + 2), localTimestamp: T0 + 2 }]
    writeFileSync(segment, lines.map((line) => `${JSON.stringify(line)}\n`).join(''))
    for (let run = 0; run < 2; run++) {
      const result = await runDccd([...RECORD, '--ws-url', writeScript(cwd, { events: [trade(10 + run, T0 + 10)] }, `run${run}.json`)], cwd)
      expect(result.stderr).not.toContain('dccd: error')
      expect(result.code).toBe(0)
    }
    expect(existsSync(segment)).toBe(false)
    expect((await rows(data, 'trades')).map((r) => r.id)).toEqual(['1', '3', '10', '11'])
    expect(quarantined(data)).toEqual(['fakex/trades/BTCUSD/2025-11-25/190712123456-pois.rejected.jsonl'])
  })
})
