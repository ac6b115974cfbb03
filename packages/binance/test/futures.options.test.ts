import { afterEach, describe, expect, it } from 'vitest'
import { InvalidArgumentError } from '@dccd/core'
import { FakeExchange } from '@dccd/testkit'
import { delivery, exchange, futures } from '../src/index.js'
import { resolveBinanceOptions } from '../src/options.js'
import { COINM_MARKET } from '../src/futures/coinm.js'
import { USDM_MARKET } from '../src/futures/usdm.js'
import { futuresExchangeInfoBody } from './support/futures-frames.js'
import { Reader } from './support/reader.js'
import { expectInvalidArgument } from './support/invalid.js'

const invalid = expectInvalidArgument

/** The error `stream()` rejects with, or undefined when it yields an event instead. */
async function streamError(feed: ReturnType<typeof futures.createFeed>): Promise<unknown> {
  return new Reader(feed).next().then(
    () => undefined,
    (error: unknown) => error,
  )
}

let fx: FakeExchange | undefined
afterEach(async () => {
  await fx?.close()
  fx = undefined
})

describe('futures options', () => {
  it('default to the production hosts, routed on USDⓈ-M and one path on COIN-M', () => {
    const usdm = resolveBinanceOptions({ symbols: ['BTCUSDT'], channels: ['book', 'trades', 'derivatives'] }, USDM_MARKET)
    expect(usdm.restUrl).toBe('https://fapi.binance.com')
    expect(usdm.connections.map((c) => c.url)).toEqual([
      'wss://fstream.binance.com/public/stream?streams=btcusdt@depth@100ms',
      'wss://fstream.binance.com/market/stream?streams=btcusdt@aggTrade/btcusdt@markPrice@1s',
    ])
    expect(usdm.connections.map((c) => c.channels)).toEqual([['book'], ['trades', 'derivatives']])
    expect(usdm).toMatchObject({ snapshotLimit: 1000, maxRecoveredTrades: 50_000, openInterestIntervalMs: 60_000, validateSymbols: true })
    const coinm = resolveBinanceOptions({ symbols: ['BTCUSD_PERP'], channels: ['book', 'liquidations'] }, COINM_MARKET)
    expect(coinm.restUrl).toBe('https://dapi.binance.com')
    expect(coinm.connections.map((c) => [c.url, c.channels])).toEqual([['wss://dstream.binance.com/stream?streams=btcusd_perp@depth@100ms/btcusd_perp@forceOrder', undefined]])
    // No derivatives channel: nothing to poll.
    expect(coinm.openInterestIntervalMs).toBe(0)
  })

  it('reject a malformed symbol offline, naming it and the valid forms', () => {
    for (const symbol of ['BTCUSD', 'BTCUSDT', 'BTCUSD_2506', 'BTCUSD_251340', 'btcusd_perp']) {
      const error = invalid(() => delivery.createFeed({ symbols: [symbol], channels: ['trades'] }))
      expect(error.message).toContain(JSON.stringify(symbol))
      expect(error.message).toContain('BTCUSD_PERP')
      expect(error.message).toContain('_YYMMDD')
    }
    for (const symbol of ['btcusdt', 'BTC-USDT', 'BTCUSD_PERP', 'BTCUSDT_2506']) {
      const error = invalid(() => futures.createFeed({ symbols: [symbol], channels: ['trades'] }))
      expect(error.message).toContain(JSON.stringify(symbol))
      expect(error.message).toContain('BTCUSDT_250627')
    }
    expect(resolveBinanceOptions({ symbols: ['BTCUSDT_250627', 'ETHUSDT'], channels: ['book'] }, USDM_MARKET).symbols).toEqual(['BTCUSDT_250627', 'ETHUSDT'])
  })

  it('reject an unknown channel, an interval futures lack, and a snapshot limit the depth endpoint refuses, naming the valid ones', () => {
    const channel = invalid(() => futures.createFeed({ symbols: ['BTCUSDT'], channels: ['ticker' as 'trades'] }))
    expect(channel.message).toContain('"ticker"')
    for (const valid of ['trades', 'book', 'bars:<interval>', 'quotes', 'derivatives', 'liquidations']) expect(channel.message).toContain(valid)
    expect(invalid(() => futures.createFeed({ symbols: ['BTCUSDT'], channels: ['bars:1s'] })).message).toContain('1s')
    const limit = invalid(() => delivery.createFeed({ symbols: ['BTCUSD_PERP'], channels: ['book'], bookDepth: 200 }))
    expect(limit.message).toContain('200')
    expect(limit.allowed).toEqual(['5', '10', '20', '50', '100', '500', '1000'])
    expect(invalid(() => delivery.createFeed({ symbols: ['BTCUSD_PERP'], channels: ['book'], testnet: true })).message).toContain('testnet')
  })

  it('check openInterestIntervalMs against the REST budget: polling may take half of it', () => {
    const symbols = Array.from({ length: 100 }, (_, i) => `S${i}USDT`)
    // 100 symbols × weight 1 per 5 s = 1200/min > 960 (half of 2400 × 0.8).
    const error = invalid(() => futures.createFeed({ symbols, channels: ['derivatives'], openInterestIntervalMs: 5000 }))
    expect(error.message).toContain('5000')
    expect(error.allowed).toEqual(['an integer >= 6250 (ms), or 0 (off)'])
    expect(resolveBinanceOptions({ symbols, channels: ['derivatives'], openInterestIntervalMs: 6250 } as never, USDM_MARKET).openInterestIntervalMs).toBe(6250)
    expect(resolveBinanceOptions({ symbols, channels: ['derivatives'], openInterestIntervalMs: 0 } as never, USDM_MARKET).openInterestIntervalMs).toBe(0)
    invalid(() => futures.createFeed({ symbols: ['BTCUSDT'], channels: ['derivatives'], openInterestIntervalMs: 50 }))
  })
})

describe('bad input is rejected before connecting', () => {
  it('liquidations and derivatives on spot: spot does not offer them', () => {
    for (const channel of ['liquidations', 'derivatives', 'quotes'] as const) {
      const error = invalid(() => exchange.createFeed({ symbols: ['BTCUSDT'], channels: ['trades', channel] }))
      expect(error.message).toContain(JSON.stringify(channel))
      expect(error.allowed).toEqual(['trades', 'book', 'bars:<interval>'])
    }
  })

  it('an unknown symbol on futures, naming it and listed ones, with no socket opened', async () => {
    fx = await FakeExchange.start()
    fx.route('GET', '/fapi/v1/exchangeInfo', () => ({ body: futuresExchangeInfoBody(['BTCUSDT', 'ETHUSDT', 'ETHUSDT_250627'], 'usdm') }))
    const feed = futures.createFeed({ symbols: ['BTCUSDT', 'NOPEUSDT'], channels: ['trades'], wsUrl: fx.wsUrl, restUrl: fx.restUrl, validateSymbols: true })
    const error = await streamError(feed)
    expect(error).toBeInstanceOf(InvalidArgumentError)
    expect((error as Error).message).toContain('NOPEUSDT')
    expect(fx.upgradeAttempts).toBe(0)
    await feed.stop()
  })

  it('a spot-only symbol on USDⓈ-M futures, naming the closest listed contracts first', async () => {
    fx = await FakeExchange.start()
    fx.route('GET', '/fapi/v1/exchangeInfo', () => ({ body: futuresExchangeInfoBody(['BTCUSDT', 'ETHUSDT', 'ETHUSDT_250627', 'SOLUSDT'], 'usdm') }))
    // ETHBTC trades on spot only: well-formed for USDⓈ-M, not listed there.
    const feed = futures.createFeed({ symbols: ['ETHBTC'], channels: ['book'], wsUrl: fx.wsUrl, restUrl: fx.restUrl, validateSymbols: true })
    const error = (await streamError(feed)) as InvalidArgumentError
    expect(error).toBeInstanceOf(InvalidArgumentError)
    expect(error.message).toContain('"ETHBTC"')
    expect(error.allowed.slice(0, 2)).toEqual(['ETHUSDT', 'ETHUSDT_250627'])
    expect(fx.upgradeAttempts).toBe(0)
    expect(fx.restRequests.map((r) => r.path)).toEqual(['/fapi/v1/exchangeInfo'])
    await feed.stop()
  })

  it('a COIN-M contract not listed, checked against /dapi/v1/exchangeInfo', async () => {
    fx = await FakeExchange.start()
    fx.route('GET', '/dapi/v1/exchangeInfo', () => ({ body: futuresExchangeInfoBody(['BTCUSD_PERP', 'BTCUSD_250627'], 'coinm') }))
    const feed = delivery.createFeed({ symbols: ['BTCUSD_240329'], channels: ['book'], wsUrl: fx.wsUrl, restUrl: fx.restUrl, validateSymbols: true })
    const error = (await streamError(feed)) as InvalidArgumentError
    expect(error).toBeInstanceOf(InvalidArgumentError)
    expect(error.message).toContain('BTCUSD_240329')
    expect(error.allowed).toEqual(expect.arrayContaining(['BTCUSD_PERP', 'BTCUSD_250627']))
    expect(fx.upgradeAttempts).toBe(0)
    await feed.stop()
  })
})
