import { afterEach, describe, expect, it } from 'vitest'
import { FakeExchange } from '@dccd/testkit'
import { delivery, exchange, futures } from '../src/index.js'
import { futuresExchangeInfoBody } from './support/futures-frames.js'

let fx: FakeExchange | undefined
afterEach(async () => {
  await fx?.close()
  fx = undefined
})

describe('futures market descriptions and instruments()', () => {
  it('describe what amounts count: base units on USDⓈ-M, contracts on COIN-M; spot has none', () => {
    expect(futures.market).toMatchObject({ instrumentTypes: ['perpetual', 'future'], amountUnit: 'base', openInterestUnit: 'base' })
    expect(delivery.market).toMatchObject({ instrumentTypes: ['perpetual', 'future'], amountUnit: 'contracts', openInterestUnit: 'contracts' })
    expect(delivery.market!.note).toContain('contractSize')
    expect(exchange.market).toBeUndefined()
    expect(futures.channels).toEqual(['trades', 'book', 'bars', 'quotes', 'derivatives', 'liquidations'])
    expect(delivery.barIntervals).not.toContain('1s')
  })

  it('list USDⓈ-M perpetual and quarterly contracts from /fapi/v1/exchangeInfo', async () => {
    fx = await FakeExchange.start()
    fx.route('GET', '/fapi/v1/exchangeInfo', () => ({ body: futuresExchangeInfoBody(['BTCUSDT', 'BTCUSDT_250627'], 'usdm') }))
    expect(await futures.instruments!({ restUrl: fx.restUrl })).toEqual([
      { symbol: 'BTCUSDT', type: 'perpetual', base: 'BTC', quote: 'USDT', settle: 'USDT', amountUnit: 'base' },
      { symbol: 'BTCUSDT_250627', type: 'future', base: 'BTC', quote: 'USDT', settle: 'USDT', amountUnit: 'base', expiry: Date.UTC(2025, 5, 27, 8) * 1000 },
    ])
    expect(fx.restRequests.map((r) => r.path)).toEqual(['/fapi/v1/exchangeInfo'])
  })

  it('list COIN-M contracts with their size in USD from /dapi/v1/exchangeInfo', async () => {
    fx = await FakeExchange.start()
    fx.route('GET', '/dapi/v1/exchangeInfo', () => ({ body: futuresExchangeInfoBody(['BTCUSD_PERP', 'ETHUSD_250627'], 'coinm') }))
    expect(await delivery.instruments!({ restUrl: fx.restUrl })).toEqual([
      { symbol: 'BTCUSD_PERP', type: 'perpetual', base: 'BTC', quote: 'USD', settle: 'BTC', amountUnit: 'contracts', contractSize: 100, contractUnit: 'USD' },
      {
        symbol: 'ETHUSD_250627',
        type: 'future',
        base: 'ETH',
        quote: 'USD',
        settle: 'ETH',
        amountUnit: 'contracts',
        contractSize: 10,
        contractUnit: 'USD',
        expiry: Date.UTC(2025, 5, 27, 8) * 1000,
      },
    ])
  })

  it('reject a COIN-M contract listed without a contract size: amounts could not be converted', async () => {
    fx = await FakeExchange.start()
    const body = futuresExchangeInfoBody(['BTCUSD_PERP'], 'coinm')
    delete body.symbols[0]!.contractSize
    fx.route('GET', '/dapi/v1/exchangeInfo', () => ({ body }))
    await expect(delivery.instruments!({ restUrl: fx.restUrl })).rejects.toThrow(/contractSize/)
  })
})
