import type { MarketEvent, TradeEvent } from '@dccd/core'
import { describe, expect, it } from 'vitest'
import { TradeContinuity } from '../src/trade-continuity.js'
import type { RecoveryRequest } from '../src/trade-continuity.js'
import { restTradeEvent } from '../src/trade-recovery.js'
import { gaps, range, tradeIds } from './support/trade-history.js'

const trade = (id: number, symbol = 'BTC/USD'): TradeEvent => ({
  type: 'trade', exchange: 'kraken', symbol, id: String(id), price: 1, amount: 1, side: 'buy', timestamp: id * 1_000_000, localTimestamp: 0,
})
const trades = (from: number, to: number, symbol?: string): TradeEvent[] => range(from, to).map((id) => trade(id, symbol))

function continuity(options: { keepFirstSnapshot?: boolean; recover?: boolean } = {}) {
  const requests: RecoveryRequest[] = []
  const tracker = new TradeContinuity({
    keepFirstSnapshot: options.keepFirstSnapshot ?? false,
    recover: options.recover ?? true,
    startRecovery: (request) => requests.push(request),
  })
  const out: MarketEvent[] = []
  return { tracker, requests, out }
}

describe('TradeContinuity', () => {
  it('drops the first snapshot of a symbol unless asked to keep it', () => {
    const { tracker, out } = continuity()
    tracker.accept(trades(1, 50), true, out)
    tracker.accept(trades(51, 52), false, out)
    expect(tradeIds(out)).toEqual([51, 52])
    expect(tracker.streaming).toBe(true)
    const kept = continuity({ keepFirstSnapshot: true })
    kept.tracker.accept(trades(1, 3).reverse(), true, kept.out)
    expect(tradeIds(kept.out)).toEqual([1, 2, 3]) // sorted by id, whatever Kraken's order
  })

  it('checks ids only across a reconnect, per symbol', () => {
    const { tracker, requests, out } = continuity()
    tracker.accept([...trades(10, 11), ...trades(500, 500, 'ETH/USD')], false, out)
    tracker.accept(trades(15, 15), false, out) // same connection: trusted as it comes
    tracker.disconnected()
    tracker.accept(trades(495, 502, 'ETH/USD'), true, out) // repeats 495..500
    tracker.accept(trades(16, 17), false, out)
    expect(requests).toEqual([])
    expect(tradeIds(out)).toEqual([10, 11, 500, 15, 501, 502, 16, 17])
    expect(tracker.duplicates).toBe(6)
  })

  it('holds a symbol while recovering and reports only the ids REST could not supply', () => {
    const { tracker, requests, out } = continuity()
    tracker.accept(trades(1, 10), false, out)
    tracker.disconnected()
    tracker.accept(trades(31, 80), true, out)
    tracker.accept(trades(81, 81), false, out)
    expect(requests).toEqual([{ symbol: 'BTC/USD', fromId: 11, toId: 30, sinceMicros: 10_000_000 }])
    expect(tradeIds(out)).toEqual(range(1, 10))
    // REST returns an overlap (5..10), a hole (15..19) and a row past the hole (31).
    tracker.recovered('BTC/USD', [...trades(20, 31), ...trades(5, 14)], undefined, out)
    expect(tradeIds(out)).toEqual([...range(1, 14), ...range(20, 81)])
    expect(gaps(out)).toMatchObject([{ fromId: '15', toId: '19', reason: 'not in REST Trades' }])
  })

  it('handles a second reconnect while a recovery runs, once the first one answers', () => {
    const { tracker, requests, out } = continuity()
    tracker.accept(trades(1, 10), false, out)
    tracker.disconnected()
    tracker.accept(trades(31, 40), true, out) // held: hole 11..30
    tracker.disconnected()
    tracker.accept(trades(61, 110), true, out) // hole 41..60 after the held ones
    tracker.recovered('BTC/USD', [], 'REST Trades failed: boom', out)
    expect(gaps(out)).toMatchObject([{ fromId: '11', toId: '30', reason: 'REST Trades failed: boom' }])
    expect(requests.map(({ fromId, toId }) => [fromId, toId])).toEqual([[11, 30], [41, 60]])
    expect(tradeIds(out)).toEqual([...range(1, 10), ...range(31, 40)])
    tracker.recovered('BTC/USD', trades(41, 60), undefined, out)
    expect(tradeIds(out)).toEqual([...range(1, 10), ...range(31, 110)])
    expect(gaps(out)).toHaveLength(1)
  })

  it('reports a hole at once when recovery is off', () => {
    const { tracker, requests, out } = continuity({ recover: false })
    tracker.accept(trades(1, 2), false, out)
    tracker.disconnected()
    tracker.accept(trades(9, 9), false, out)
    expect(requests).toEqual([])
    expect(out.map((event) => (event.type === 'status' ? `gap ${event.fromId}-${event.toId}` : event.type === 'trade' ? event.id : event.type))).toEqual([
      '1', '2', 'gap 3-8', '9',
    ])
  })
})

describe('REST trade rows', () => {
  it('map to trade events; the 7-decimal time lands on the nearest µs', () => {
    const row = ['30243.40000', '0.34507674', 1688669597.8277369, 's', 'm', '', 61044952] as const
    expect(restTradeEvent('BTC/USD', [...row])).toMatchObject({
      id: '61044952', price: 30243.4, amount: 0.34507674, side: 'sell', timestamp: 1688669597827737,
    })
    expect(restTradeEvent('BTC/USD', ['1', '1', 1688669597.8277361, 'b', 'l', '', 1]).timestamp).toBe(1688669597827736)
    expect(restTradeEvent('BTC/USD', ['1', '1', 1688669597.8277361, 'b', 'l', '', 1]).side).toBe('buy')
  })
})
