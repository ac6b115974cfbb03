import { describe, expect, it } from 'vitest'
import { loadSession, fixturePath } from '@dccd/testkit'
import { checkDepthSnapshot, parseBinanceFrame, parseHistoricalTrade, toLevels } from '../src/parse.js'
import type { BinanceDepthUpdate } from '../src/parse.js'

const NOW = 1_700_000_000_000_000

describe('parseBinanceFrame', () => {
  it('turns a combined-stream trade into a trade with µs time and the taker side', () => {
    const raw =
      '{"stream":"bnbbtc@trade","data":{"e":"trade","E":1672515782136,"s":"BNBBTC","t":12345,"p":"0.001","q":"100","T":1672515782134,"m":true,"M":true}}'
    expect(parseBinanceFrame(raw, NOW)).toEqual({
      type: 'trade',
      exchange: 'binance',
      symbol: 'BNBBTC',
      id: '12345',
      price: 0.001,
      amount: 100,
      side: 'sell',
      timestamp: 1672515782134000,
      localTimestamp: NOW,
    })
  })

  it('reads buyer-is-maker false as a buy', () => {
    const raw = '{"e":"trade","E":1,"s":"BTCUSDT","t":7,"p":"30000.5","q":"0.25","T":1672515782136,"m":false,"M":true}'
    const event = parseBinanceFrame(raw, NOW)
    expect(event).toMatchObject({ type: 'trade', side: 'buy', id: '7', price: 30000.5, amount: 0.25 })
  })

  it('turns a kline into a bar with closed from the final flag', () => {
    const raw =
      '{"stream":"nknusdt@kline_1m","data":{"e":"kline","E":1633998523963,"s":"NKNUSDT","k":{"t":1633998480000,"T":1633998539999,"s":"NKNUSDT","i":"1m","f":1,"L":2,"o":"0.35270000","c":"0.35280000","h":"0.35290000","l":"0.35220000","v":"25877.00000000","n":30,"x":true,"q":"9116.046","V":"58","Q":"20.4624","B":"0"}}}'
    expect(parseBinanceFrame(raw, NOW)).toEqual({
      type: 'bar',
      exchange: 'binance',
      symbol: 'NKNUSDT',
      interval: '1m',
      openTime: 1633998480000000,
      open: 0.3527,
      high: 0.3529,
      low: 0.3522,
      close: 0.3528,
      volume: 25877,
      closed: true,
      timestamp: 1633998523963000,
      localTimestamp: NOW,
    })
  })

  it('turns a depthUpdate into its id range and an unsnapshotted delta in the order given', () => {
    const raw =
      '{"stream":"nknusdt@depth@100ms","data":{"e":"depthUpdate","E":1633998512068,"s":"NKNUSDT","U":499869750,"u":499869752,"b":[["0.35130000","6195.00000000"],["0.34750000","0.00000000"]],"a":[["0.36","1"]]}}'
    const update = parseBinanceFrame(raw, NOW) as BinanceDepthUpdate
    expect(update.type).toBe('depthUpdate')
    expect(update.firstUpdateId).toBe(499869750)
    expect(update.finalUpdateId).toBe(499869752)
    expect(update.event).toEqual({
      type: 'book',
      exchange: 'binance',
      symbol: 'NKNUSDT',
      isSnapshot: false,
      bids: [
        { price: 0.3513, amount: 6195 },
        { price: 0.3475, amount: 0 },
      ],
      asks: [{ price: 0.36, amount: 1 }],
      timestamp: 1633998512068000,
      localTimestamp: NOW,
    })
  })

  it('ignores bookTicker and aggTrade frames', () => {
    expect(parseBinanceFrame('{"stream":"x@bookTicker","data":{"u":1,"s":"X","b":"1","B":"1","a":"2","A":"1"}}', NOW)).toBe(
      undefined,
    )
    expect(
      parseBinanceFrame('{"e":"aggTrade","E":1,"s":"X","a":1,"p":"1","q":"1","f":1,"l":1,"T":1,"m":true}', NOW),
    ).toBe(undefined)
  })

  it('recognises subscription answers, errors and serverShutdown', () => {
    expect(parseBinanceFrame('{"result":null,"id":3}', NOW)).toEqual({ type: 'control', id: 3 })
    expect(parseBinanceFrame('{"error":{"code":2,"msg":"Invalid request: invalid stream"},"id":4}', NOW)).toEqual({
      type: 'control',
      id: 4,
      error: { code: 2, msg: 'Invalid request: invalid stream' },
    })
    expect(parseBinanceFrame('{"stream":"!serverShutdown","data":{"e":"serverShutdown","E":1770123456789}}', NOW)).toEqual({
      type: 'serverShutdown',
      timestamp: 1770123456789000,
    })
  })

  it('throws on a frame that is not JSON and ignores JSON that is no object', () => {
    expect(() => parseBinanceFrame('{"stream":"x@trade","da', NOW)).toThrow(SyntaxError)
    expect(parseBinanceFrame('42', NOW)).toBe(undefined)
    expect(parseBinanceFrame('{"stream":"x@trade","data":null}', NOW)).toBe(undefined)
  })

  it('maps missing level lists to empty ones', () => {
    expect(toLevels(undefined)).toEqual([])
  })

  // Taken as records, such frames put NaN into books and trades, or ids no continuity check can
  // compare (a depth update with text ids switched gap detection off for the next event).
  it.each([
    ['depthUpdate ids that are text', { e: 'depthUpdate', E: 1, s: 'X', U: 'a', u: 'b', b: [], a: [] }],
    ['depthUpdate without ids', { e: 'depthUpdate', E: 1, s: 'X', b: [], a: [] }],
    ['depthUpdate with U > u', { e: 'depthUpdate', E: 1, s: 'X', U: 9, u: 8, b: [], a: [] }],
    ['depthUpdate without a symbol', { e: 'depthUpdate', E: 1, U: 1, u: 1, b: [], a: [] }],
    ['depthUpdate with an unreadable price', { e: 'depthUpdate', E: 1, s: 'X', U: 1, u: 1, b: [['abc', '1']], a: [] }],
    ['depthUpdate with a number for a quantity', { e: 'depthUpdate', E: 1, s: 'X', U: 1, u: 1, b: [], a: [['1', 2]] }],
    ['depthUpdate whose levels are no list', { e: 'depthUpdate', E: 1, s: 'X', U: 1, u: 1, b: {}, a: [] }],
    ['trade whose id is text', { e: 'trade', E: 1, s: 'X', t: 'oops', p: '1', q: '1', T: 1, m: false }],
    ['trade without an id', { e: 'trade', E: 1, s: 'X', p: '1', q: '1', T: 1, m: false }],
    ['trade whose price is a number', { e: 'trade', E: 1, s: 'X', t: 5, p: 1, q: '1', T: 1, m: false }],
    ['trade without the maker flag', { e: 'trade', E: 1, s: 'X', t: 5, p: '1', q: '1', T: 1 }],
    ['trade without a time', { e: 'trade', E: 1, s: 'X', t: 5, p: '1', q: '1', m: true }],
    ['kline with an unreadable close', { e: 'kline', E: 1, s: 'X', k: { t: 1, i: '1m', o: '1', h: '1', l: '1', c: 'x', v: '1', x: false } }],
    ['kline without its k', { e: 'kline', E: 1, s: 'X' }],
  ])('throws on a %s (the transport counts a parse error and skips the frame)', (_, data) => {
    expect(() => parseBinanceFrame(JSON.stringify({ stream: 'x@y', data }), NOW)).toThrow(TypeError)
  })

  it('throws on a historicalTrades row of the wrong shape (trade recovery then reports its ids as a gap)', () => {
    const row = { id: 7, price: '1', qty: '1', quoteQty: '1', time: 1, isBuyerMaker: false, isBestMatch: true }
    expect(parseHistoricalTrade('X', row, NOW)).toMatchObject({ id: '7', price: 1 })
    expect(() => parseHistoricalTrade('X', { ...row, id: '7' as unknown as number }, NOW)).toThrow(TypeError)
    expect(() => parseHistoricalTrade('X', { ...row, price: undefined as unknown as string }, NOW)).toThrow(TypeError)
  })

  it('accepts a depth snapshot body with an integer lastUpdateId and readable levels, and throws on anything else', () => {
    const good = { lastUpdateId: 5, bids: [['1.5', '2']], asks: [] }
    expect(checkDepthSnapshot(good)).toBe(good)
    for (const bad of [null, [], { bids: [], asks: [] }, { lastUpdateId: '5', bids: [], asks: [] }, { lastUpdateId: 5, bids: 'x', asks: [] }, { lastUpdateId: 5, bids: [['x', '1']], asks: [] }, { lastUpdateId: 5, bids: [] }]) {
      expect(() => checkDepthSnapshot(bad), JSON.stringify(bad)).toThrow(TypeError)
    }
  })
})

describe('parseBinanceFrame on the real capture', () => {
  const capture = loadSession(fixturePath('spot-2021-10-12.jsonl'))
  const replay = loadSession(new URL('./fixtures/spot-2021-10-12.replay.jsonl', import.meta.url))

  it('gives one trade per recorded aggregate, matching its fields exactly', () => {
    const recorded = capture
      .filter((f) => f.dir === 'in' && (f.data as { data: { e: string } }).data.e === 'aggTrade')
      .map((f) => (f.data as { data: Record<string, unknown> }).data)
    const trades = replay
      .filter((f) => f.dir === 'in')
      .map((f) => parseBinanceFrame(JSON.stringify(f.data), NOW))
      .filter((e) => e?.type === 'trade')
    expect(trades).toHaveLength(2)
    expect(trades).toEqual(
      recorded.map((r) => ({
        type: 'trade',
        exchange: 'binance',
        symbol: r.s,
        id: String(r.f),
        price: Number(r.p),
        amount: Number(r.q),
        side: r.m ? 'sell' : 'buy',
        timestamp: (r.T as number) * 1000,
        localTimestamp: NOW,
      })),
    )
  })

  it('gives one bar per recorded kline frame, matching its fields exactly', () => {
    const recorded = capture
      .filter((f) => f.dir === 'in' && (f.data as { data: { e: string } }).data.e === 'kline')
      .map((f) => (f.data as { data: { E: number; s: string; k: Record<string, never> } }).data)
    const bars = replay
      .filter((f) => f.dir === 'in')
      .map((f) => parseBinanceFrame(JSON.stringify(f.data), NOW))
      .filter((e) => e?.type === 'bar')
    expect(bars).toHaveLength(2)
    expect(bars).toEqual(
      recorded.map(({ E, s, k }) => ({
        type: 'bar',
        exchange: 'binance',
        symbol: s,
        interval: k.i,
        openTime: (k.t as number) * 1000,
        open: Number(k.o),
        high: Number(k.h),
        low: Number(k.l),
        close: Number(k.c),
        volume: Number(k.v),
        closed: k.x,
        timestamp: E * 1000,
        localTimestamp: NOW,
      })),
    )
  })
})
