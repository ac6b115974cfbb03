import { describe, expect, it } from 'vitest'
import { parseFrame } from '../src/index.js'
import type { OkxMessage } from '../src/index.js'

const NOW = Date.UTC(2026, 5, 1) * 1000
const TS = String(Date.UTC(2026, 5, 1) - 1000)
const parse = (frame: unknown): OkxMessage => parseFrame(JSON.stringify(frame), NOW)

describe('parseFrame', () => {
  it('reads a trade row: id is tradeId, amount is sz as sent, side is the taker', () => {
    const message = parse({
      arg: { channel: 'trades', instId: 'BTC-USDT-SWAP' },
      data: [{ instId: 'BTC-USDT-SWAP', tradeId: '130639474', px: '42219.9', sz: '12', side: 'sell', ts: TS, count: '3' }],
    })
    expect(message).toEqual({
      type: 'trades',
      trades: [
        { type: 'trade', exchange: 'okx', symbol: 'BTC-USDT-SWAP', id: '130639474', price: 42219.9, amount: 12, side: 'sell', timestamp: Number(TS) * 1000, localTimestamp: NOW },
      ],
      // The row stands for 3 fills (OKX's count); single-fill rows leave counts undefined.
      counts: [3],
    })
    const single = parse({ arg: { channel: 'trades', instId: 'BTC-USDT' }, data: [{ instId: 'BTC-USDT', tradeId: '7', px: '1', sz: '1', side: 'buy', ts: TS }] })
    expect(single).toMatchObject({ counts: undefined })
  })

  it('reads a books update with its sequence ids, checksum and levels (size "0" deletes)', () => {
    const message = parse({
      arg: { channel: 'books', instId: 'BTC-USDT' },
      action: 'update',
      data: [{ asks: [['41006.8', '0', '0', '0']], bids: [['41006.3', '0.3', '0', '2']], ts: TS, checksum: 0, prevSeqId: 122, seqId: 125 }],
    })
    expect(message).toMatchObject({
      type: 'book',
      symbol: 'BTC-USDT',
      channel: 'books',
      isSnapshot: false,
      seqId: 125,
      prevSeqId: 122,
      checksum: 0,
      event: { isSnapshot: false, bids: [{ price: 41006.3, amount: 0.3 }], asks: [{ price: 41006.8, amount: 0 }], timestamp: Number(TS) * 1000 },
    })
  })

  it('reads pre-2022 books frames without sequence ids, and books5 pushes as snapshots', () => {
    const legacy = parse({ arg: { channel: 'books', instId: 'BTC-USDT' }, action: 'snapshot', data: [{ asks: [], bids: [], ts: TS, checksum: -914047754 }] })
    expect(legacy).toMatchObject({ seqId: undefined, prevSeqId: undefined, checksum: -914047754, isSnapshot: true })
    const five = parse({ arg: { channel: 'books5', instId: 'BTC-USDT' }, data: [{ asks: [['1', '2', '0', '1']], bids: [], instId: 'BTC-USDT', ts: TS, seqId: 9 }] })
    expect(five).toMatchObject({ channel: 'books5', isSnapshot: true, event: { isSnapshot: true, asks: [{ price: 1, amount: 2 }] } })
  })

  it('reads candles from /business: base-currency volume (vol on spot, volCcy on swaps), closed on confirm "1", interval by dccd name', () => {
    const row = [TS, '8533.02', '8553.74', '8527.17', '8548.26', '45247', '529.5858061', '529.58', '1']
    expect(parse({ arg: { channel: 'candle1Dutc', instId: 'BTC-USDT-SWAP' }, data: [row] })).toMatchObject({
      type: 'bars',
      bars: [{ interval: '1d', openTime: Number(TS) * 1000, open: 8533.02, close: 8548.26, volume: 529.5858061, closed: true }],
    })
    expect(parse({ arg: { channel: 'candle1m', instId: 'BTC-USDT' }, data: [[...row.slice(0, 8), '0']] })).toMatchObject({
      bars: [{ interval: '1m', volume: 45247, closed: false }],
    })
  })

  it('reads bbo-tbt as a quote and each derivative channel as a derivative event holding only its fields', () => {
    expect(parse({ arg: { channel: 'bbo-tbt', instId: 'BTC-USDT' }, data: [{ asks: [['2', '3', '0', '1']], bids: [['1', '4', '0', '2']], ts: TS, seqId: 1 }] })).toMatchObject({
      type: 'quote',
      quote: { bidPrice: 1, bidAmount: 4, askPrice: 2, askAmount: 3 },
    })
    const mark = parse({ arg: { channel: 'mark-price', instId: 'BTC-USDT-SWAP' }, data: [{ instType: 'SWAP', instId: 'BTC-USDT-SWAP', markPx: '42310.6', ts: TS }] })
    expect(mark).toEqual({ type: 'derivatives', events: [{ type: 'derivative', exchange: 'okx', symbol: 'BTC-USDT-SWAP', markPrice: 42310.6, timestamp: Number(TS) * 1000, localTimestamp: NOW }] })
    const funding = parse({
      arg: { channel: 'funding-rate', instId: 'BTC-USDT-SWAP' },
      data: [{ instType: 'SWAP', instId: 'BTC-USDT-SWAP', fundingRate: '-0.0001', fundingTime: String(Number(TS) + 3_600_000), nextFundingRate: '', ts: TS }],
    })
    expect(funding).toMatchObject({ events: [{ fundingRate: -0.0001, fundingTime: (Number(TS) + 3_600_000) * 1000 }] })
    expect(funding.type === 'derivatives' && 'markPrice' in funding.events[0]!).toBe(false)
    const oi = parse({ arg: { channel: 'open-interest', instId: 'BTC-USDT-SWAP' }, data: [{ instType: 'SWAP', instId: 'BTC-USDT-SWAP', oi: '5000', oiCcy: '50', ts: TS }] })
    expect(oi).toMatchObject({ events: [{ openInterest: 5000 }] })
    expect(parse({ arg: { channel: 'index-tickers', instId: 'BTC-USDT' }, data: [{ instId: 'BTC-USDT', idxPx: '42300.1', ts: TS }] })).toEqual({
      type: 'index',
      index: 'BTC-USDT',
      price: 42300.1,
      timestamp: Number(TS) * 1000,
      localTimestamp: NOW,
    })
  })

  it('reads each liquidation detail of a liquidation-orders row', () => {
    const message = parse({
      arg: { channel: 'liquidation-orders', instType: 'SWAP' },
      data: [{ instType: 'SWAP', instId: 'BTC-USDT-SWAP', details: [{ side: 'sell', posSide: 'long', bkPx: '42000.1', sz: '3', ts: TS }, { side: 'buy', bkPx: '42100', sz: '1', ts: TS }] }],
    })
    expect(message).toMatchObject({ type: 'liquidations', events: [{ symbol: 'BTC-USDT-SWAP', side: 'sell', price: 42000.1, amount: 3 }, { side: 'buy', amount: 1 }] })
  })

  it('passes acks, errors and pong through as what they are', () => {
    expect(parseFrame('pong', NOW)).toEqual({ type: 'pong' })
    expect(parse({ event: 'error', code: '60018', msg: "doesn't exist", connId: 'x' })).toMatchObject({ type: 'event', frame: { event: 'error', code: '60018' } })
    expect(parse({ event: 'subscribe', arg: { channel: 'books', instId: 'BTC-USDT' }, connId: 'x' })).toMatchObject({ type: 'event' })
  })

  it('throws, naming the field, on frames of the wrong shape', () => {
    const trade = { instId: 'BTC-USDT', tradeId: '1', px: '1', sz: '1', side: 'buy', ts: TS }
    const cases: [unknown, RegExp][] = [
      [{ arg: { channel: 'trades', instId: 'BTC-USDT' }, data: [{ ...trade, px: '-1' }] }, /trade price/],
      [{ arg: { channel: 'trades', instId: 'BTC-USDT' }, data: [{ ...trade, side: 'up' }] }, /trade side/],
      [{ arg: { channel: 'trades', instId: 'BTC-USDT' }, data: [{ ...trade, tradeId: 12 }] }, /tradeId/],
      [{ arg: { channel: 'trades', instId: 'BTC-USDT' }, data: [{ ...trade, ts: '1e3' }] }, /trade time/],
      [{ arg: { channel: 'trades', instId: 'BTC-USDT' }, data: [{ ...trade, instId: 'ETH-USDT' }] }, /trade instId/],
      [{ arg: { channel: 'books', instId: 'BTC-USDT' }, action: 'partial', data: [{ asks: [], bids: [], ts: TS }] }, /book action/],
      [{ arg: { channel: 'books', instId: 'BTC-USDT' }, action: 'update', data: [{ asks: [['x', '1']], bids: [], ts: TS }] }, /ask price/],
      [{ arg: { channel: 'books', instId: 'BTC-USDT' }, action: 'update', data: [{ asks: [], bids: [], ts: TS, seqId: 1.5 }] }, /seqId/],
      [{ arg: { channel: 'candle7m', instId: 'BTC-USDT' }, data: [] }, /channel/],
      [{ arg: { channel: 'candle1m', instId: 'BTC-USDT' }, data: [[TS, '1', '1', '1', '1', '1', '1', '1', '2']] }, /confirm/],
      [{ arg: { channel: 'books' }, action: 'update', data: [{ asks: [], bids: [], ts: TS }] }, /instId/],
      [{ data: [] }, /frame/],
    ]
    for (const [frame, error] of cases) expect(() => parse(frame), JSON.stringify(frame)).toThrow(error)
    expect(() => parseFrame('{not json', NOW)).toThrow(SyntaxError)
  })
})
