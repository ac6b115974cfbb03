import { describe, expect, it } from 'vitest'
import { bookRequest, dataRequests, instrumentRequest } from '../src/subscriptions.js'
import { BAR_INTERVALS, intervalToMinutes, minutesToInterval, SYMBOL_FORMAT, wsnameToSymbol } from '../src/capabilities.js'

describe('subscription frames', () => {
  it('subscribes to instrument with an explicit snapshot', () => {
    expect(instrumentRequest(1)).toEqual({ method: 'subscribe', params: { channel: 'instrument', snapshot: true }, req_id: 1 })
  })

  it('sends one request per channel and interval, each with snapshot set explicitly', () => {
    const requests = dataRequests({ symbols: ['BTC/USD', 'ETH/USD'], trades: true, bookDepth: 25, barMinutes: [1, 60] }, 2)
    expect(requests).toEqual([
      { method: 'subscribe', params: { channel: 'book', symbol: ['BTC/USD', 'ETH/USD'], depth: 25, snapshot: true }, req_id: 2 },
      { method: 'subscribe', params: { channel: 'trade', symbol: ['BTC/USD', 'ETH/USD'], snapshot: false }, req_id: 3 },
      { method: 'subscribe', params: { channel: 'ohlc', symbol: ['BTC/USD', 'ETH/USD'], interval: 1, snapshot: true }, req_id: 4 },
      { method: 'subscribe', params: { channel: 'ohlc', symbol: ['BTC/USD', 'ETH/USD'], interval: 60, snapshot: true }, req_id: 5 },
    ])
  })

  it('asks for the trade snapshot only when told to (the first subscription leaves it off by default)', () => {
    const plan = { symbols: ['BTC/USD'], trades: true, bookDepth: 0, barMinutes: [] }
    expect(dataRequests(plan, 1, true)[0]!.params).toEqual({ channel: 'trade', symbol: ['BTC/USD'], snapshot: true })
    expect(dataRequests(plan, 1)[0]!.params.snapshot).toBe(false)
  })

  it('omits channels that are not asked for', () => {
    expect(dataRequests({ symbols: ['BTC/USD'], trades: false, bookDepth: 0, barMinutes: [] }, 1)).toEqual([])
  })

  it('unsubscribes a book with its depth and resubscribes with a snapshot', () => {
    expect(bookRequest('unsubscribe', ['BTC/USD'], 10, 9)).toEqual({
      method: 'unsubscribe',
      params: { channel: 'book', symbol: ['BTC/USD'], depth: 10 },
      req_id: 9,
    })
    expect(bookRequest('subscribe', ['BTC/USD'], 10, 10).params).toEqual({ channel: 'book', symbol: ['BTC/USD'], depth: 10, snapshot: true })
  })
})

describe('intervals', () => {
  it("maps every dccd interval to Kraken's minutes and back", () => {
    expect(BAR_INTERVALS).toEqual(['1m', '5m', '15m', '30m', '1h', '4h', '1d', '1w', '15d'])
    expect(BAR_INTERVALS.map(intervalToMinutes)).toEqual([1, 5, 15, 30, 60, 240, 1440, 10080, 21600])
    for (const name of BAR_INTERVALS) expect(minutesToInterval(intervalToMinutes(name)!)).toBe(name)
  })

  it('knows no other interval', () => {
    expect(intervalToMinutes('2h')).toBeUndefined()
    expect(intervalToMinutes('toString')).toBeUndefined()
    expect(minutesToInterval(2)).toBeUndefined()
  })
})

describe('symbols', () => {
  it('accepts v2 symbols and refuses v1 asset codes and other shapes', () => {
    for (const ok of ['BTC/USD', 'XMR/USD', '1INCH/EUR', 'AAPLx/USD', 'USDC/USDT']) expect(SYMBOL_FORMAT.test(ok)).toBe(true)
    for (const bad of ['XBT/USD', 'ETH/XBT', 'XDG/EUR', 'BTCUSD', 'btc/usd', 'BTC/', '/USD', 'BTC/USD/EUR', 'BTC-USD']) {
      expect(SYMBOL_FORMAT.test(bad)).toBe(false)
    }
  })

  it('normalises REST wsnames to v2 symbols', () => {
    expect(wsnameToSymbol('XBT/USD')).toBe('BTC/USD')
    expect(wsnameToSymbol('XDG/EUR')).toBe('DOGE/EUR')
    expect(wsnameToSymbol('ETH/XBT')).toBe('ETH/BTC')
    expect(wsnameToSymbol('ADA/EUR')).toBe('ADA/EUR')
  })
})
