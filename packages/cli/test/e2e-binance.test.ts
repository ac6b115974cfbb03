// The real @dccd/binance adapter through the real dccd process, against the
// testkit's fake exchange replaying Binance's captured 2021-10-12 session.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { FakeExchange, loadSession } from '@dccd/testkit'
import { listDataFiles, readDataFile } from '@dccd/recorder'
import { fakexProject } from './helpers/fakex.js'
import { bookFromRows, expectedBooks, SESSION, SYMBOLS } from './helpers/binance-capture.js'
import { runDccd } from './helpers/spawn.js'

let fx: FakeExchange | undefined
afterEach(async () => {
  await fx?.close()
  fx = undefined
})

describe('dccd record binance against the fake exchange (end to end)', { timeout: 60_000 }, () => {
  it('records the replayed trades exactly and book rows that rebuild every book', async () => {
    const session = loadSession(SESSION)
    fx = await FakeExchange.start()
    fx.replay(session)
    fx.restFromSession(session)
    const cwd = fakexProject()
    const result = await runDccd(
      ['record', 'binance', ...SYMBOLS, '--channels', 'trades,book,bars:1m', '--out', 'data', '--duration', '3s',
        '--ws-url', fx.wsUrl, '--rest-url', fx.restUrl, '--validate-symbols'],
      cwd,
    )
    expect(result.code).toBe(0)
    const data = join(cwd, 'data')
    const read = async (type: string) => {
      const rows: Record<string, unknown>[] = []
      for (const file of listDataFiles(data).filter((f) => f.includes(`/${type}/`))) rows.push(...(await readDataFile(file)).rows)
      return rows
    }

    const trades = (await read('trades')).map(({ localTimestamp: _l, ...row }) => row)
    expect(trades.sort((a, b) => String(a.symbol).localeCompare(String(b.symbol)))).toEqual([
      { timestamp: 1633998534486000, exchange: 'binance', symbol: 'LRCBTC', id: '12368013', side: 'buy', price: 0.00000638, amount: 177 },
      { timestamp: 1633998523963000, exchange: 'binance', symbol: 'NKNUSDT', id: '19862790', side: 'buy', price: 0.3528, amount: 58 },
    ])

    const expected = expectedBooks(session)
    const bookRows = await read('book')
    for (const symbol of SYMBOLS) {
      const book = bookFromRows(bookRows, symbol)
      expect([...book.bids()], symbol).toEqual([...expected.get(symbol)!.bids()])
      expect([...book.asks()], symbol).toEqual([...expected.get(symbol)!.asks()])
    }
    expect((await read('bars-1m')).length).toBeGreaterThanOrEqual(2)
  })

  it('a symbol Binance does not list exits 2 naming it', async () => {
    const session = loadSession(SESSION)
    fx = await FakeExchange.start()
    fx.restFromSession(session)
    const result = await runDccd(
      ['record', 'binance', 'NOSUCHCOIN', '--out', 'data', '--ws-url', fx.wsUrl, '--rest-url', fx.restUrl, '--validate-symbols'],
      fakexProject(),
    )
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('NOSUCHCOIN')
    expect(fx.openConnections).toBe(0)
  })

  it('bad channels, intervals and symbols fail before any request reaches the exchange', async () => {
    let requests = 0
    const server = createServer((_req, res) => {
      requests++
      res.end('{}')
    })
    server.on('upgrade', (_req, socket) => {
      requests++
      socket.destroy()
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    const urls = ['--ws-url', `ws://127.0.0.1:${port}`, '--rest-url', `http://127.0.0.1:${port}`, '--validate-symbols']
    try {
      const cwd = fakexProject()
      for (const [args, message] of [
        [['BTCUSDT', '--channels', 'tradez'], 'binance channel "tradez"'],
        [['BTCUSDT', '--channels', 'bars:7m'], 'bar interval "7m"'],
        [['btc-usdt'], 'symbol "btc-usdt"'],
      ] as const) {
        const result = await runDccd(['record', 'binance', ...args, ...urls], cwd)
        expect(result.code).toBe(2)
        expect(result.stderr).toContain(message)
        expect(result.stderr).toMatch(/Valid: /)
      }
      expect(requests).toBe(0)
    } finally {
      server.close()
    }
  })

  it('warns, rather than ending quietly, when --duration ends before any market data arrived', async () => {
    // A port that refuses connections: the feed keeps retrying until the duration ends.
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const { port } = closed.address() as AddressInfo
    await new Promise<void>((resolve) => closed.close(() => resolve()))
    const cwd = fakexProject()
    const result = await runDccd(
      ['record', 'binance', 'BTCUSDT', '--ws-url', `ws://127.0.0.1:${port}`, '--rest-url', `http://127.0.0.1:${port}`, '--duration', '1s'],
      cwd,
    )
    expect(result.code).toBe(0)
    expect(result.stderr).toContain('0 file(s), 0 rows sealed')
    expect(result.stderr).toContain('warning: no market data arrived before --duration ended; is the exchange reachable?')
  })
})
