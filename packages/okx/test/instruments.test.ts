import { describe, expect, it } from 'vitest'
import { instrumentOf } from '../src/instruments.js'

describe('OKX instruments', () => {
  it('reads spot, swap and future rows with contract values, expiry, and trading only when live', () => {
    expect(instrumentOf({ instType: 'SPOT', instId: 'BTC-USDT', baseCcy: 'BTC', quoteCcy: 'USDT', state: 'live' })).toEqual({
      symbol: 'BTC-USDT',
      type: 'spot',
      base: 'BTC',
      quote: 'USDT',
      amountUnit: 'base',
    })
    expect(instrumentOf({ instType: 'SWAP', instId: 'BTC-USD-SWAP', settleCcy: 'BTC', ctVal: '100', ctValCcy: 'USD', state: 'live' })).toEqual({
      symbol: 'BTC-USD-SWAP',
      type: 'perpetual',
      base: 'BTC',
      quote: 'USD',
      settle: 'BTC',
      amountUnit: 'contracts',
      contractSize: 100,
      contractUnit: 'USD',
    })
    expect(instrumentOf({ instType: 'FUTURES', instId: 'BTC-USD-250627', ctVal: '100', ctValCcy: 'USD', expTime: '1751011200000', state: 'suspend' })).toMatchObject({
      type: 'future',
      expiry: 1_751_011_200_000_000,
      trading: false,
    })
    expect(() => instrumentOf({ instType: 'OPTION', instId: 'BTC-USD-250627-100000-C' })).toThrow(/instType/)
  })
})
