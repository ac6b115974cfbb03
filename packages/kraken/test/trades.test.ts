import { describe, expect, it } from 'vitest'
import { restTradeEvent } from '../src/trades.js'
import type { KrakenRestTrade } from '../src/wire.js'

describe('REST trade rows', () => {
  it('map to trade events; the 7-decimal time lands on the nearest µs', () => {
    const row = ['30243.40000', '0.34507674', 1688669597.8277369, 's', 'm', '', 61044952] as const
    expect(restTradeEvent('BTC/USD', [...row])).toMatchObject({
      id: '61044952', price: 30243.4, amount: 0.34507674, side: 'sell', timestamp: 1688669597827737,
    })
    expect(restTradeEvent('BTC/USD', ['1', '1', 1688669597.8277361, 'b', 'l', '', 1]).timestamp).toBe(1688669597827736)
    expect(restTradeEvent('BTC/USD', ['1', '1', 1688669597.8277361, 'b', 'l', '', 1]).side).toBe('buy')
  })

  it('throws on rows no trade can be made of (the recovery then reports the hole as a gap)', () => {
    const good: KrakenRestTrade = ['1.5', '2', 1688669597.8, 'b', 'l', '', 7]
    for (const bad of [
      [...good.slice(0, 6), 'x'],
      [...good.slice(0, 6), 1.5],
      ['0x10', ...good.slice(1)],
      [' 1', ...good.slice(1)],
      ['1', '-2', ...good.slice(2)],
      ['1', '1', 'soon', ...good.slice(3)],
      'not a row',
    ]) {
      expect(() => restTradeEvent('BTC/USD', bad as unknown as KrakenRestTrade), JSON.stringify(bad)).toThrow(TypeError)
    }
  })
})
