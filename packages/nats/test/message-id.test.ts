import type { MarketEvent } from '@dccd/core'
import { describe, expect, it } from 'vitest'
import { messageId } from '../src/index.js'

const T = 1_767_225_600_000_000
const base = { exchange: 'kraken', symbol: 'BTC/USD', timestamp: T, localTimestamp: T + 500 }
const trade = { ...base, type: 'trade', id: '42', price: 100, amount: 1, side: 'buy' } as MarketEvent
const bar = { ...base, type: 'bar', interval: '1m', openTime: T - 60e6, open: 1, high: 2, low: 1, close: 2, volume: 3, closed: true } as MarketEvent
const book = { ...base, type: 'book', isSnapshot: false, bids: [{ price: 100, amount: 1 }], asks: [] } as MarketEvent
const quote = { ...base, type: 'quote', bidPrice: 1, bidAmount: 2, askPrice: 3, askAmount: 4 } as MarketEvent
const gap = { ...base, type: 'status', status: 'gap', channel: 'trades', fromId: '5', toId: '9', reason: 'purged' } as MarketEvent

/** The same event as another recorder (or a restart) receives it: only the local receive time differs. */
const receivedLater = (event: MarketEvent): MarketEvent => ({ ...event, localTimestamp: event.localTimestamp + 123_456 }) as MarketEvent

describe('messageId', () => {
  it('is the same for the same event, whenever it was received', () => {
    for (const event of [trade, bar, book, quote, gap]) {
      expect(messageId(structuredClone(event))).toBe(messageId(event))
      expect(messageId(receivedLater(event))).toBe(messageId(event))
    }
  })

  it('keys a trade by exchange, symbol and trade id only', () => {
    expect(messageId(trade)).toBe('kraken|BTC/USD|trade|42')
    expect(messageId({ ...trade, price: 101 } as MarketEvent)).toBe(messageId(trade))
    expect(messageId({ ...trade, id: '43' } as MarketEvent)).not.toBe(messageId(trade))
    expect(messageId({ ...trade, symbol: 'ETH/USD' } as MarketEvent)).not.toBe(messageId(trade))
    expect(messageId({ ...trade, exchange: 'binance' } as MarketEvent)).not.toBe(messageId(trade))
  })

  it('keys a closed bar by interval and open time, an open bar update also by its exchange time', () => {
    expect(messageId(bar)).toBe(`kraken|BTC/USD|bar|1m|${T - 60e6}|closed`)
    expect(messageId({ ...bar, interval: '5m' } as MarketEvent)).not.toBe(messageId(bar))
    const open = { ...bar, closed: false } as MarketEvent
    expect(messageId({ ...open, timestamp: T + 1 } as MarketEvent)).not.toBe(messageId(open))
  })

  it('keys a book event by exchange time, kind and content: a different level or a snapshot is another message', () => {
    expect(messageId({ ...book, bids: [{ price: 100, amount: 2 }] } as MarketEvent)).not.toBe(messageId(book))
    expect(messageId({ ...book, isSnapshot: true } as MarketEvent)).not.toBe(messageId(book))
    expect(messageId({ ...book, timestamp: T + 1 } as MarketEvent)).not.toBe(messageId(book))
  })

  it('keys quotes by exchange time and values, and a gap by channel and range', () => {
    expect(messageId({ ...quote, bidPrice: 1.5 } as MarketEvent)).not.toBe(messageId(quote))
    expect(messageId(gap)).toBe('kraken|BTC/USD|status|gap|trades|5|9')
    expect(messageId({ ...gap, reason: 'other words' } as MarketEvent)).toBe(messageId(gap))
  })
})
