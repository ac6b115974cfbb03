import { describe, expect, it } from 'vitest'
import { statusEvent, tradeGapEvent } from '../src/index.js'

describe('status factories', () => {
  it('builds a marker with only the fields given', () => {
    const event = statusEvent('binance', 'disconnected', { reason: 'closed', symbol: undefined }, 42)
    expect(event).toEqual({ type: 'status', exchange: 'binance', status: 'disconnected', reason: 'closed', localTimestamp: 42 })
    expect('symbol' in event).toBe(false)
  })

  it('builds a trade gap with decimal id strings on the trades channel', () => {
    expect(tradeGapEvent('kraken', 'BTC/USD', 101, 140, 'not returned', 7)).toEqual({
      type: 'status',
      exchange: 'kraken',
      status: 'gap',
      symbol: 'BTC/USD',
      channel: 'trades',
      reason: 'not returned',
      fromId: '101',
      toId: '140',
      localTimestamp: 7,
    })
  })

  it('stamps the receive time with the local clock when none is given', () => {
    const before = Date.now() * 1000
    const { localTimestamp } = statusEvent('x', 'connected')
    expect(Number.isSafeInteger(localTimestamp)).toBe(true)
    expect(localTimestamp).toBeGreaterThanOrEqual(before - 1000)
  })
})
