import { afterEach, describe, expect, it } from 'vitest'
import { FakeExchange } from '@dccd/testkit'
import { exchange, futures } from '../src/index.js'
import { futuresExchangeInfoBody } from './support/futures-frames.js'

let fx: FakeExchange | undefined
afterEach(async () => {
  await fx?.close()
  fx = undefined
})

describe('spot instruments()', () => {
  it('lists the pairs of /api/v3/exchangeInfo with base and quote, marking those not trading', async () => {
    fx = await FakeExchange.start()
    fx.route('GET', '/api/v3/exchangeInfo', () => ({
      body: {
        timezone: 'UTC',
        rateLimits: [],
        symbols: [
          { symbol: 'BTCUSDT', status: 'TRADING', baseAsset: 'BTC', quoteAsset: 'USDT' },
          { symbol: 'ETHBTC', status: 'TRADING', baseAsset: 'ETH', quoteAsset: 'BTC' },
          { symbol: 'BCCUSDT', status: 'BREAK', baseAsset: 'BCC', quoteAsset: 'USDT' },
        ],
      },
    }))
    expect(await exchange.instruments!({ restUrl: fx.restUrl })).toEqual([
      { symbol: 'BTCUSDT', type: 'spot', base: 'BTC', quote: 'USDT', amountUnit: 'base' },
      { symbol: 'ETHBTC', type: 'spot', base: 'ETH', quote: 'BTC', amountUnit: 'base' },
      { symbol: 'BCCUSDT', type: 'spot', base: 'BCC', quote: 'USDT', amountUnit: 'base', trading: false },
    ])
    expect(fx.restRequests.map((r) => r.path)).toEqual(['/api/v3/exchangeInfo'])
  })

  it('rejects a pair listed without its assets, naming the entry', async () => {
    fx = await FakeExchange.start()
    fx.route('GET', '/api/v3/exchangeInfo', () => ({ body: { symbols: [{ symbol: 'BTCUSDT', status: 'TRADING' }] } }))
    await expect(exchange.instruments!({ restUrl: fx.restUrl })).rejects.toThrow(/BTCUSDT/)
  })

  it('marks a futures contract whose status is not TRADING as not trading', async () => {
    fx = await FakeExchange.start()
    const body = futuresExchangeInfoBody(['BTCUSDT', 'ETHUSDT'], 'usdm')
    ;(body.symbols[1] as { status?: string }).status = 'SETTLING'
    fx.route('GET', '/fapi/v1/exchangeInfo', () => ({ body }))
    expect((await futures.instruments!({ restUrl: fx.restUrl })).map((i) => [i.symbol, i.trading])).toEqual([
      ['BTCUSDT', undefined],
      ['ETHUSDT', false],
    ])
  })
})
