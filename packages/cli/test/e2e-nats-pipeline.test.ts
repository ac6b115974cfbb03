// The whole scale-out path, each piece real: the fake exchange replays Binance's captured session → `dccd record
// --sink` (the real process, the real adapter) → nats-server with JetStream → `dccd sink-to-files` → Parquet. The
// files must hold what a direct `dccd record` of the same session holds: the replayed trades exactly, and book
// rows that rebuild every book.
import { join } from 'node:path'
import { listDataFiles, readDataFile } from '@dccd/recorder'
import { FakeExchange, loadSession } from '@dccd/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main } from '../src/index.js'
import { NatsServer } from '../../nats/test/support/nats-server.js'
import { bookFromRows, expectedBooks, SESSION, SYMBOLS } from './helpers/binance-capture.js'
import { fakexProject } from './helpers/fakex.js'
import { runDccd } from './helpers/spawn.js'

let server: NatsServer
let fx: FakeExchange
beforeAll(async () => {
  server = await NatsServer.start()
  fx = await FakeExchange.start()
})
afterAll(async () => {
  await fx.close()
  await server.close()
})

async function rows(out: string, type: string): Promise<Record<string, unknown>[]> {
  const all: Record<string, unknown>[] = []
  for (const file of listDataFiles(out).filter((f) => f.includes(`/${type}/`))) all.push(...(await readDataFile(file)).rows)
  return all
}

describe('exchange → dccd record --sink → JetStream → dccd sink-to-files → Parquet', { timeout: 60_000 }, () => {
  it("writes the replayed trades exactly, and book rows that rebuild every symbol's book", async () => {
    const session = loadSession(SESSION)
    fx.replay(session)
    fx.restFromSession(session)
    const cwd = fakexProject()
    const recorded = await runDccd(
      ['record', 'binance', ...SYMBOLS, '--channels', 'trades,book,bars:1m', '--out', 'spool', '--duration', '3s', '--ws-url', fx.wsUrl, '--rest-url', fx.restUrl,
        '--sink', server.url, '--stream', 'PIPE', '--subject-prefix', 'pipe'],
      cwd,
    )
    expect(recorded.code, recorded.stderr).toBe(0)

    const out = join(cwd, 'files')
    let stderr = ''
    const io = { out: () => {}, err: (text: string) => void (stderr += text), errIsTTY: false, outIsTTY: false }
    const code = await main(['sink-to-files', '--from', server.url, '--stream', 'PIPE', '--subject-prefix', 'pipe', '--out', out, '--drain'], { io })
    expect(code, stderr).toBe(0)

    const trades = (await rows(out, 'trades')).map(({ localTimestamp: _l, ...row }) => row)
    expect(trades.sort((a, b) => String(a.symbol).localeCompare(String(b.symbol)))).toEqual([
      { timestamp: 1633998534486000, exchange: 'binance', symbol: 'LRCBTC', id: '12368013', side: 'buy', price: 0.00000638, amount: 177 },
      { timestamp: 1633998523963000, exchange: 'binance', symbol: 'NKNUSDT', id: '19862790', side: 'buy', price: 0.3528, amount: 58 },
    ])
    const expected = expectedBooks(session)
    const bookRows = await rows(out, 'book')
    for (const symbol of SYMBOLS) {
      const book = bookFromRows(bookRows, symbol)
      expect([...book.bids()], symbol).toEqual([...expected.get(symbol)!.bids()])
      expect([...book.asks()], symbol).toEqual([...expected.get(symbol)!.asks()])
    }
    expect((await rows(out, 'bars-1m')).length).toBeGreaterThanOrEqual(2)
  })
})
