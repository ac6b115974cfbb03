import { InvalidArgumentError } from '@dccd/core'
import { describe, expect, it } from 'vitest'
import { exchange } from '../src/index.js'
import { resolveOptions } from '../src/options.js'
import { planConnections, resubscribeBook, subscribeRequests } from '../src/subscriptions.js'

describe('createFeed rejects bad input offline, naming the bad value and the valid ones', () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ symbols: ['btc-usdt'], channels: ['trades'] }, /btc-usdt.*OKX instId like BTC-USDT/],
    [{ symbols: ['BTCUSDT'], channels: ['trades'] }, /BTCUSDT/],
    [{ symbols: ['BTC-USDT'], channels: ['ticker'] }, /Invalid okx channel "ticker".*trades.*book.*bars:<interval>/],
    [{ symbols: ['BTC-USDT'], channels: ['bars:1D'] }, /Invalid okx bar interval "1D".*1m.*1d/],
    [{ symbols: ['BTC-USDT'], channels: ['derivatives'] }, /derivatives exist for swaps and futures only/],
    [{ symbols: ['BTC-USDT', 'ETH-USDT'], channels: ['liquidations'] }, /liquidations exist for swaps and futures only/],
    [{ symbols: ['BTC-USDT'], channels: ['book'], bookDepth: 50 }, /Invalid okx bookDepth 50.*400.*5/],
    [{ symbols: ['BTC-USDT'], channels: ['book'], wsUrl: 'wss://ws.okx.com:8443/ws/v5/public' }, /wsUrl/],
    [{ symbols: ['BTC-USDT'], channels: ['trades'], maxInstrumentsPerConnection: 0 }, /maxInstrumentsPerConnection/],
  ]
  for (const [options, message] of cases) {
    it(JSON.stringify(options), () => {
      expect(() => exchange.createFeed(options as never)).toThrow(InvalidArgumentError)
      expect(() => exchange.createFeed(options as never)).toThrow(message)
    })
  }
})

describe('connections and subscriptions', () => {
  it('puts candles on /ws/v5/business and the rest on /ws/v5/public, derivative channels only for swaps and futures', () => {
    const config = resolveOptions({
      symbols: ['BTC-USDT', 'BTC-USDT-SWAP', 'BTC-USD-250627'],
      channels: ['book', 'trades', 'quotes', 'derivatives', 'liquidations', 'bars:1m', 'bars:1d'],
      wsUrl: 'ws://127.0.0.1:1',
    })
    const plans = planConnections(config)
    expect(plans.map((plan) => plan.url)).toEqual(['ws://127.0.0.1:1/ws/v5/public', 'ws://127.0.0.1:1/ws/v5/business'])
    expect(plans[0]!.args).toEqual([
      { channel: 'books', instId: 'BTC-USDT' },
      { channel: 'trades', instId: 'BTC-USDT' },
      { channel: 'bbo-tbt', instId: 'BTC-USDT' },
      { channel: 'books', instId: 'BTC-USDT-SWAP' },
      { channel: 'trades', instId: 'BTC-USDT-SWAP' },
      { channel: 'bbo-tbt', instId: 'BTC-USDT-SWAP' },
      { channel: 'mark-price', instId: 'BTC-USDT-SWAP' },
      { channel: 'open-interest', instId: 'BTC-USDT-SWAP' },
      { channel: 'funding-rate', instId: 'BTC-USDT-SWAP' },
      { channel: 'books', instId: 'BTC-USD-250627' },
      { channel: 'trades', instId: 'BTC-USD-250627' },
      { channel: 'bbo-tbt', instId: 'BTC-USD-250627' },
      { channel: 'mark-price', instId: 'BTC-USD-250627' },
      { channel: 'open-interest', instId: 'BTC-USD-250627' },
      { channel: 'index-tickers', instId: 'BTC-USDT' },
      { channel: 'index-tickers', instId: 'BTC-USD' },
      { channel: 'liquidation-orders', instType: 'SWAP' },
      { channel: 'liquidation-orders', instType: 'FUTURES' },
    ])
    expect(plans[1]!.args).toContainEqual({ channel: 'candle1Dutc', instId: 'BTC-USDT' })
    expect(plans[1]!.channels).toEqual(['bars:1m', 'bars:1d'])
  })

  it('spreads instruments over connections of maxInstrumentsPerConnection, and splits long subscriptions into requests of 100 args', () => {
    const symbols = Array.from({ length: 5 }, (_, i) => `C${i}-USDT`)
    const plans = planConnections(resolveOptions({ symbols, channels: ['trades'], maxInstrumentsPerConnection: 2 }))
    expect(plans.map((plan) => plan.symbols)).toEqual([['C0-USDT', 'C1-USDT'], ['C2-USDT', 'C3-USDT'], ['C4-USDT']])
    const args = Array.from({ length: 250 }, (_, i) => ({ channel: 'trades', instId: `C${i}-USDT` }))
    expect(subscribeRequests(args).map((request) => (request as { args: unknown[] }).args.length)).toEqual([100, 100, 50])
  })

  it('resubscribes one instrument book at the subscribed depth', () => {
    expect(resubscribeBook('BTC-USDT', 5)).toEqual([
      { op: 'unsubscribe', args: [{ channel: 'books5', instId: 'BTC-USDT' }] },
      { op: 'subscribe', args: [{ channel: 'books5', instId: 'BTC-USDT' }] },
    ])
  })
})
