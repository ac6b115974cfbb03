// Several exchanges in one process from a --config file: the real Binance and
// Kraken adapters, each against a fake exchange replaying its real capture.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { isoToMicros } from '@dccd/core'
import { FakeExchange, fixturePath, loadSession } from '@dccd/testkit'
import { listDataFiles, readDataFile } from '@dccd/recorder'
import { fakexProject } from './helpers/fakex.js'
import { runDccd } from './helpers/spawn.js'

const BINANCE_SESSION = new URL('../../binance/test/fixtures/spot-2021-10-12.replay.jsonl', import.meta.url)
const KRAKEN_SYMBOLS = ['XMR/USD', 'WAVES/EUR', 'KSM/BTC', 'ETH/CHF', 'GRT/ETH']

interface KrakenTrade { symbol: string; side: string; price: number; qty: number; trade_id: number; timestamp: string }

const fakes: FakeExchange[] = []
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((fx) => fx.close()))
})

describe('dccd record --config (end to end)', { timeout: 60_000 }, () => {
  it('records Binance and Kraken in one process, each trade exactly as the exchange sent it', async () => {
    const binanceSession = loadSession(BINANCE_SESSION)
    const krakenSession = loadSession(fixturePath('v2-2021-04-17.jsonl'))
    const binance = await FakeExchange.start()
    binance.replay(binanceSession)
    binance.restFromSession(binanceSession)
    const kraken = await FakeExchange.start()
    kraken.replay(krakenSession)
    fakes.push(binance, kraken)

    const cwd = fakexProject()
    const config = join(cwd, 'dccd.yaml')
    writeFileSync(
      config,
      [
        'out: rec',
        'feeds:',
        '  - exchange: binance',
        '    symbols: [NKNUSDT, BLZETH, LRCBTC, RUNEEUR]',
        '    channels: [trades, book]',
        `    wsUrl: ${binance.wsUrl}`,
        `    restUrl: ${binance.restUrl}`,
        '  - exchange: kraken',
        `    symbols: [${KRAKEN_SYMBOLS.join(', ')}]`,
        '    channels: trades,book',
        '    bookDepth: 1000',
        `    wsUrl: ${kraken.wsUrl}`,
        `    restUrl: ${kraken.restUrl}`,
        '',
      ].join('\n'),
    )
    const result = await runDccd(['record', '--config', config, '--duration', '3s'], cwd)
    expect(result.code).toBe(0)
    expect(result.stderr).toContain('recording binance NKNUSDT,BLZETH,LRCBTC,RUNEEUR')
    expect(result.stderr).toContain('recording kraken XMR/USD,WAVES/EUR,KSM/BTC,ETH/CHF,GRT/ETH')

    const out = join(cwd, 'rec')
    const rows = async (prefix: string) => {
      const all: Record<string, unknown>[] = []
      for (const file of listDataFiles(out).filter((f) => f.startsWith(join(out, prefix)))) all.push(...(await readDataFile(file)).rows)
      return all
    }
    const expectedKraken = krakenSession
      .filter((f) => f.dir === 'in' && (f.data as { channel?: string }).channel === 'trade')
      .flatMap((f) => (f.data as { data: KrakenTrade[] }).data)
      .map((t) => ({ symbol: t.symbol, id: String(t.trade_id), side: t.side, price: t.price, amount: t.qty, timestamp: isoToMicros(t.timestamp) }))
    expect(expectedKraken).toHaveLength(4)
    const krakenTrades = (await rows('kraken/trades')).map((r) => ({ symbol: r.symbol, id: r.id, side: r.side, price: r.price, amount: r.amount, timestamp: r.timestamp }))
    expect(krakenTrades).toEqual(expectedKraken)
    expect((await rows('binance/trades')).map((r) => r.id).sort()).toEqual(['12368013', '19862790'])

    const krakenBook = await rows('kraken/book')
    expect(new Set(krakenBook.map((r) => r.symbol))).toEqual(new Set(KRAKEN_SYMBOLS))
    for (const symbol of KRAKEN_SYMBOLS) expect(krakenBook.find((r) => r.symbol === symbol)).toMatchObject({ isSnapshot: true, eventIndex: 0 })
    expect((await rows('binance/book')).length).toBeGreaterThan(1000)
  })
})
