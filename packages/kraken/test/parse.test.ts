import { describe, expect, it } from 'vitest'
import { ackError, isChannelMessage, parseFrame, systemStatus, tradeEvents } from '../src/parse.js'
import type { KrakenAck, KrakenStatusMessage, KrakenTradeMessage } from '../src/wire.js'

/** A receive time of today's order: exchange times must not lie a day past it. */
const NOW = 1_800_000_000_000_000

describe('parseFrame', () => {
  it('recognises channel messages, heartbeats and acknowledgements', () => {
    expect(isChannelMessage(parseFrame('{"channel":"heartbeat"}'))).toBe(true)
    const book = parseFrame('{"channel":"book","type":"update","data":[{"symbol":"XMR/USD","bids":[{"price":354.15,"qty":5}],"asks":[],"checksum":2583817756}]}')
    expect(book).toMatchObject({ channel: 'book', type: 'update' })
    const pong = parseFrame('{"method":"pong","req_id":101,"time_in":"2023-09-25T07:48:36.925533Z","time_out":"2023-09-25T07:48:36.925546Z"}')
    expect(isChannelMessage(pong)).toBe(false)
    expect(pong).toMatchObject({ method: 'pong', req_id: 101 })
  })

  it('keeps exponent-form numbers as numbers (1e-8)', () => {
    const frame = parseFrame('{"channel":"book","type":"update","data":[{"symbol":"A/B","bids":[{"price":1e-7,"qty":1e-8}],"asks":[],"checksum":1}]}')
    expect(frame).toMatchObject({ data: [{ bids: [{ price: 1e-7, qty: 0.00000001 }] }] })
  })

  it('throws on malformed JSON and on JSON that is no Kraken message', () => {
    expect(() => parseFrame('{"channel":"book","type":"upd')).toThrow(SyntaxError)
    expect(() => parseFrame('[1,2,3]')).toThrow(TypeError)
    expect(() => parseFrame('{"channel":"book"}')).toThrow(/Not a Kraken v2 message/)
    expect(() => parseFrame('null')).toThrow(TypeError)
  })
})

describe('tradeEvents', () => {
  const message: KrakenTradeMessage = {
    channel: 'trade',
    type: 'update',
    data: [
      { symbol: 'MATIC/USD', side: 'buy', price: 0.5147, qty: 6423.46326, ord_type: 'limit', trade_id: 4665846, timestamp: '2023-09-25T07:48:36.925533Z' },
      { symbol: 'MATIC/USD', side: 'sell', price: 0.5146, qty: 1e-8, ord_type: 'market', trade_id: 4665847, timestamp: '2023-09-25T07:48:36.925533999Z' },
    ],
  }

  it('maps trade_id, taker side, price and qty', () => {
    const [first, second] = tradeEvents(message, NOW + 42)
    expect(first).toEqual({
      type: 'trade',
      exchange: 'kraken',
      symbol: 'MATIC/USD',
      id: '4665846',
      price: 0.5147,
      amount: 6423.46326,
      side: 'buy',
      timestamp: 1695628116925533,
      localTimestamp: NOW + 42,
    })
    expect(second).toMatchObject({ id: '4665847', side: 'sell', amount: 1e-8 })
  })

  it('parses timestamps exactly to the microsecond, truncating nanoseconds', () => {
    const events = tradeEvents(message, NOW + 0)
    expect(events[0]!.timestamp).toBe(1695628116925533)
    expect(events[1]!.timestamp).toBe(1695628116925533)
    expect(Number.isInteger(events[0]!.timestamp)).toBe(true)
  })

  it('reproduces the capture trade times exactly', () => {
    const [trade] = tradeEvents(
      { channel: 'trade', type: 'update', data: [{ symbol: 'XMR/USD', side: 'sell', price: 354.11, qty: 0.89594024, ord_type: 'limit', trade_id: 1, timestamp: '2021-04-17T16:49:02.557535Z' }] },
      NOW,
    )
    expect(trade!.timestamp).toBe(1618678142557535)
  })

  it('marks an unexpected side as unknown', () => {
    const odd = { ...message, data: [{ ...message.data[0]!, side: 'x' as 'buy' }] }
    expect(tradeEvents(odd, NOW + 0)[0]!.side).toBe('unknown')
  })

  // Found by feed.chaos.test.ts: a trade without trade_id came out as a trade with id "undefined", and its
  // NaN id left the symbol's continuity unable to see a hole after the next reconnect.
  it('rejects a frame holding a trade without an integer trade_id, a numeric price or qty, or a timestamp', () => {
    const good = message.data[0]!
    const { trade_id: _id, ...noId } = good
    const { timestamp: _time, ...noTime } = good
    for (const bad of [noId, noTime, { ...good, trade_id: '12' }, { ...good, trade_id: 1.5 }, { ...good, price: '0.5' }, { ...good, qty: null }, null]) {
      const frame = { ...message, data: [good, bad] } as unknown as KrakenTradeMessage
      expect(() => tradeEvents(frame, NOW + 0), JSON.stringify(bad)).toThrow(TypeError)
    }
    expect(() => tradeEvents({ ...message, data: {} } as unknown as KrakenTradeMessage, NOW + 0)).toThrow(/not an array/)
  })
})

describe('status and acknowledgements', () => {
  it('reads the engine state from a status message', () => {
    const status: KrakenStatusMessage = { channel: 'status', type: 'update', data: [{ api_version: 'v2', system: 'maintenance', version: '2.0.0' }] }
    expect(systemStatus(status)).toBe('maintenance')
  })

  it("returns Kraken's message for a failed request and nothing for a success", () => {
    const failed: KrakenAck = { error: 'Currency pair not supported XBT/EUR', method: 'subscribe', success: false, symbol: 'XBT/EUR' }
    expect(ackError(failed)).toBe('Currency pair not supported XBT/EUR')
    expect(ackError({ method: 'subscribe', success: true, result: { channel: 'book', symbol: 'BTC/USD' } })).toBeUndefined()
    expect(ackError({ method: 'subscribe', success: false })).toBe('request failed')
  })
})
