// The real @dccd/binance USDⓈ-M adapter (binance-futures, found inside @dccd/binance) through the real dccd
// process, against the fake exchange replaying the captured 2021-07-22 session over Binance's routed paths.
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { FakeExchange, loadSession } from '@dccd/testkit'
import { replayRouted } from '../../binance/test/support/routed-replay.js'
import { fakexProject } from './helpers/fakex.js'
import { recordedRows } from './helpers/journal.js'
import { runDccd } from './helpers/spawn.js'

const SESSION = loadSession(new URL('../../binance/test/fixtures/usdm-2021-07-22.replay.jsonl', import.meta.url))
const SYMBOLS = ['SUSHIUSDT', 'AKROUSDT', 'KEEPUSDT', 'CTKUSDT']

/** The payloads of one stream type in the session, in order. */
function payloads(event: string): Array<Record<string, unknown>> {
  return SESSION.flatMap((frame) => {
    const data = (frame.data as { data?: { e?: string } } | null)?.data
    return frame.dir === 'in' && data?.e === event ? [data as Record<string, unknown>] : []
  })
}

let fx: FakeExchange | undefined
afterEach(async () => {
  await fx?.close()
  fx = undefined
})

describe('dccd record binance-futures against the fake exchange (end to end)', { timeout: 60_000 }, () => {
  it('records every aggregate trade and every best bid/offer of the capture into trades and quotes tables (every stream of the session subscribed)', async () => {
    fx = await FakeExchange.start()
    replayRouted(fx, SESSION)
    fx.restFromSession(SESSION)
    const cwd = fakexProject()
    const result = await runDccd(
      ['record', 'binance-futures', ...SYMBOLS, '--channels', 'trades,book,quotes,bars:1m', '--out', 'data', '--duration', '3s',
        '--ws-url', fx.wsUrl, '--rest-url', fx.restUrl, '--validate-symbols'],
      cwd,
    )
    expect(result.stderr).not.toMatch(/error/i)
    expect(result.code).toBe(0)
    const data = join(cwd, 'data')

    const trades = await recordedRows(data, 'trades')
    const aggTrades = payloads('aggTrade')
    expect(trades.map((row) => `${row.symbol} ${row.id}`).sort()).toEqual(aggTrades.map((t) => `${t.s} ${t.a}`).sort())
    for (const row of trades) expect(row.exchange).toBe('binance-futures')

    const quotes = await recordedRows(data, 'quotes')
    const tickers = payloads('bookTicker')
    expect(quotes.length).toBe(tickers.length)
    const key = (symbol: unknown, bid: unknown, ask: unknown, timestamp: unknown): string => `${symbol} ${bid} ${ask} ${timestamp}`
    expect(quotes.map((q) => key(q.symbol, q.bidPrice, q.askPrice, q.timestamp)).sort()).toEqual(
      tickers.map((t) => key(t.s, Number(t.b), Number(t.a), Number(t.T) * 1000)).sort(),
    )
    // The routed replay never breaks the pu chain: no resync, no gap.
    expect((await recordedRows(data, 'status')).filter((row) => row.status === 'resync' || row.status === 'gap')).toEqual([])
  })
})
