// Symbols chosen from the exchange's instrument list: `symbols: { quote: USDT }` and --symbols-from.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { exchange as binance } from '@dccd/binance'
import { exchange as kraken } from '@dccd/kraken'
import { FakeExchange } from '@dccd/testkit'
import { buildRecordPlan } from '../src/config.js'
import { main } from '../src/index.js'
import { parseSelector, resolveSelector } from '../src/shard/selector.js'
import { fakexProject } from './helpers/fakex.js'

/** A Binance spot `exchangeInfo` body. */
function exchangeInfo(rows: readonly (readonly [symbol: string, base: string, quote: string, status?: string])[]): unknown {
  return {
    timezone: 'UTC',
    rateLimits: [{ rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000 }],
    symbols: rows.map(([symbol, baseAsset, quoteAsset, status = 'TRADING']) => ({ symbol, status, baseAsset, quoteAsset })),
  }
}

const ROWS = [
  ['ETHUSDT', 'ETH', 'USDT'],
  ['BTCUSDT', 'BTC', 'USDT'],
  ['ETHBTC', 'ETH', 'BTC'],
  ['BCCUSDT', 'BCC', 'USDT', 'BREAK'],
  ['BTCFDUSD', 'BTC', 'FDUSD'],
  ['1INCHUSDT', '1INCH', 'USDT'],
] as const

function captureIo(): { io: { out: (t: string) => void; err: (t: string) => void; errIsTTY: false; outIsTTY: false }; stderr: () => string } {
  let stderr = ''
  return { io: { out: () => {}, err: (text) => void (stderr += text), errIsTTY: false, outIsTTY: false }, stderr: () => stderr }
}

function expectUsageError(run: () => unknown, ...fragments: string[]): void {
  let error: unknown
  try {
    run()
  } catch (caught) {
    error = caught
  }
  expect(error).toMatchObject({ code: 'DCCD_USAGE' })
  for (const fragment of fragments) expect((error as Error).message).toContain(fragment)
}

let fx: FakeExchange | undefined
afterEach(async () => {
  await fx?.close()
  fx = undefined
})

describe('parseSelector', () => {
  it('reads key=value pairs and config mappings; a key given twice accepts either value', () => {
    expect(parseSelector('quote=USDT,type=spot', '--symbols-from')).toEqual({ quote: ['USDT'], type: ['spot'] })
    expect(parseSelector('quote=USDT, quote=USDC', '--symbols-from')).toEqual({ quote: ['USDT', 'USDC'] })
    expect(parseSelector({ quote: 'USDT', type: ['perpetual', 'future'] }, 'config')).toEqual({ quote: ['USDT'], type: ['perpetual', 'future'] })
    expect(parseSelector('all', '--symbols-from')).toEqual({})
  })

  it('rejects an unknown key, an unknown type and a part without =, naming them', () => {
    expectUsageError(() => parseSelector('quot=USDT', '--symbols-from'), '"quot"', 'type, base, quote, settle')
    expectUsageError(() => parseSelector('type=swap', '--symbols-from'), '"swap"', 'spot, perpetual, future')
    expectUsageError(() => parseSelector('USDT', '--symbols-from'), '"USDT" is not key=value')
  })

  it('is rejected beside named symbols, and a config filter with an unknown key is bad input', () => {
    expectUsageError(() => buildRecordPlan('binance', ['BTCUSDT'], { symbolsFrom: 'quote=USDT' }), 'not both')
    expect(buildRecordPlan('binance', [], { symbolsFrom: 'quote=USDT' }).feeds[0]).toMatchObject({ exchange: 'binance', symbols: [], symbolsFrom: { quote: ['USDT'] } })
    const cwd = fakexProject()
    const config = join(cwd, 'fleet.yaml')
    writeFileSync(config, 'feeds:\n  - exchange: binance\n    symbols: { qoute: USDT }\n')
    expectUsageError(() => buildRecordPlan(undefined, [], { config }), 'feeds[0].symbols must be', 'an instrument filter such as {quote: USDT, type: spot}', '"qoute"')
  })
})

describe('resolveSelector', () => {
  it('lists the matching symbols of the exchange, sorted, without those not trading, in one request', async () => {
    fx = await FakeExchange.start()
    fx.route('GET', '/api/v3/exchangeInfo', () => ({ body: exchangeInfo(ROWS) }))
    expect(await resolveSelector(binance, { quote: ['usdt'], type: ['spot'] }, { restUrl: fx.restUrl })).toEqual(['1INCHUSDT', 'BTCUSDT', 'ETHUSDT'])
    expect(await resolveSelector(binance, { base: ['BTC'] }, { restUrl: fx.restUrl })).toEqual(['BTCFDUSD', 'BTCUSDT'])
    expect(fx.restRequests.map((request) => request.path)).toEqual(['/api/v3/exchangeInfo', '/api/v3/exchangeInfo'])
  })

  it('rejects a filter nothing matches, naming it and how many are listed', async () => {
    fx = await FakeExchange.start()
    fx.route('GET', '/api/v3/exchangeInfo', () => ({ body: exchangeInfo(ROWS) }))
    await expect(resolveSelector(binance, { quote: ['EUR'] }, { restUrl: fx.restUrl })).rejects.toMatchObject({
      code: 'DCCD_USAGE',
      message: expect.stringContaining('no binance instrument matches quote=EUR (of 6 listed)'),
    })
  })

  it('rejects an adapter without instruments(), naming it', async () => {
    expect(kraken.instruments).toBeUndefined()
    await expect(resolveSelector(kraken, { quote: ['USD'] })).rejects.toMatchObject({ code: 'DCCD_USAGE', message: expect.stringContaining('kraken cannot list its instruments') })
  })

  it('makes dccd record exit 1 naming the exchange when the listing fails', async () => {
    fx = await FakeExchange.start()
    fx.route('GET', '/api/v3/exchangeInfo', () => ({ status: 400, body: { code: -1000, msg: 'An unknown error occurred.' } }))
    const cwd = fakexProject()
    const { io, stderr } = captureIo()
    const args = ['record', 'binance', '--symbols-from', 'quote=USDT', '--rest-url', fx.restUrl, '--ws-url', fx.wsUrl, '--out', join(cwd, 'data')]
    expect(await main(args, { io })).toBe(1)
    expect(stderr()).toContain("could not list binance's instruments")
  })
})
