import { describe, expect, it } from 'vitest'
import { loadSession, fixturePath } from '@dccd/testkit'
import { checkDepthSnapshot, parseFrame, parseHistoricalTrade, toLevels } from '../src/parse.js'
import type { BinanceDepthUpdate } from '../src/parse.js'

const NOW = 1_700_000_000_000_000

describe('parseFrame', () => {
  it('turns a combined-stream trade into a trade with µs time and the taker side', () => {
    const raw =
      '{"stream":"bnbbtc@trade","data":{"e":"trade","E":1672515782136,"s":"BNBBTC","t":12345,"p":"0.001","q":"100","T":1672515782134,"m":true,"M":true}}'
    expect(parseFrame(raw, NOW)).toEqual({
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
    const event = parseFrame(raw, NOW)
    expect(event).toMatchObject({ type: 'trade', side: 'buy', id: '7', price: 30000.5, amount: 0.25 })
  })

  it('turns a kline into a bar with closed from the final flag', () => {
    const raw =
      '{"stream":"nknusdt@kline_1m","data":{"e":"kline","E":1633998523963,"s":"NKNUSDT","k":{"t":1633998480000,"T":1633998539999,"s":"NKNUSDT","i":"1m","f":1,"L":2,"o":"0.35270000","c":"0.35280000","h":"0.35290000","l":"0.35220000","v":"25877.00000000","n":30,"x":true,"q":"9116.046","V":"58","Q":"20.4624","B":"0"}}}'
    expect(parseFrame(raw, NOW)).toEqual({
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
    const update = parseFrame(raw, NOW) as BinanceDepthUpdate
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
    expect(parseFrame('{"stream":"x@bookTicker","data":{"u":1,"s":"X","b":"1","B":"1","a":"2","A":"1"}}', NOW)).toBe(
      undefined,
    )
    expect(
      parseFrame('{"e":"aggTrade","E":1,"s":"X","a":1,"p":"1","q":"1","f":1,"l":1,"T":1,"m":true}', NOW),
    ).toBe(undefined)
  })

  it('recognises subscription answers, errors and serverShutdown', () => {
    expect(parseFrame('{"result":null,"id":3}', NOW)).toEqual({ type: 'control', id: 3 })
    expect(parseFrame('{"error":{"code":2,"msg":"Invalid request: invalid stream"},"id":4}', NOW)).toEqual({
      type: 'control',
      id: 4,
      error: { code: 2, msg: 'Invalid request: invalid stream' },
    })
    expect(parseFrame('{"stream":"!serverShutdown","data":{"e":"serverShutdown","E":1770123456789}}', NOW)).toEqual({
      type: 'serverShutdown',
      timestamp: 1770123456789000,
    })
  })

  it('throws on a frame that is not JSON and ignores JSON that is no object', () => {
    expect(() => parseFrame('{"stream":"x@trade","da', NOW)).toThrow(SyntaxError)
    expect(parseFrame('42', NOW)).toBe(undefined)
    expect(parseFrame('{"stream":"x@trade","data":null}', NOW)).toBe(undefined)
  })

  it('maps missing level lists to empty ones', () => {
    expect(toLevels(undefined)).toEqual([])
  })

  it('rejects a level that is not a [price, quantity] pair (a string would index as one)', () => {
    expect(() => toLevels(['12'] as never)).toThrow('price level is "12"')
    expect(() => toLevels([{ 0: '1', 1: '2' }] as never)).toThrow(/price level is/)
  })

  // Good frames; each bad case below changes one field, so it fails for that field alone.
  const T = 1_700_000_000_000 // ms
  const depth = { e: 'depthUpdate', E: T, s: 'X', U: 1, u: 1, b: [['1.5', '2']], a: [] }
  const trade = { e: 'trade', E: T, s: 'X', t: 5, p: '1', q: '1', T, m: false }
  const kline = { e: 'kline', E: T, s: 'X', k: { t: T, i: '1m', o: '1', h: '1', l: '1', c: '1', v: '1', x: false } }
  it('reads the good frames the bad cases are made from', () => {
    for (const data of [depth, trade, kline]) expect(parseFrame(JSON.stringify({ stream: 'x@y', data }), NOW)).toBeDefined()
  })

  // Taken as records, such frames put NaN into books and trades, ids no continuity check can
  // compare (a depth update with text ids switched gap detection off for the next event), or
  // times no recording can store (1e300 reached the Parquet writer and poisoned the output folder).
  it.each([
    ['depthUpdate ids that are text', { ...depth, U: 'a', u: 'b' }],
    ['depthUpdate without ids', { ...depth, U: undefined, u: undefined }],
    ['depthUpdate with U > u', { ...depth, U: 9, u: 8 }],
    ['depthUpdate without a symbol', { ...depth, s: undefined }],
    ['depthUpdate with an unreadable price', { ...depth, b: [['abc', '1']] }],
    ['depthUpdate with a number for a quantity', { ...depth, a: [['1', 2]] }],
    ['depthUpdate whose levels are no list', { ...depth, b: {} }],
    ['depthUpdate with an event time of 1e300', { ...depth, E: 1e300 }],
    ['depthUpdate with a hexadecimal quantity', { ...depth, b: [['1.5', '0x10']] }],
    ['trade whose id is text', { ...trade, t: 'oops' }],
    ['trade without an id', { ...trade, t: undefined }],
    ['trade whose price is a number', { ...trade, p: 1 }],
    ['trade without the maker flag', { ...trade, m: undefined }],
    ['trade without a time', { ...trade, T: undefined }],
    ['trade with a time of 1e300', { ...trade, T: 1e300 }],
    ['trade with a negative time', { ...trade, T: -1 }],
    ['trade with a time before 2009', { ...trade, T: 1 }],
    ['trade with a time that is no whole µs', { ...trade, T: T + 0.0004 }],
    ['trade with a time two days after the receive time', { ...trade, T: NOW / 1000 + 2 * 86_400_000 }],
    ['trade with a price padded by spaces', { ...trade, p: ' 100 ' }],
    ['trade with a hexadecimal quantity', { ...trade, q: '0x10' }],
    ['trade with an exponent in the price', { ...trade, p: '1e5' }],
    ['trade with a signed quantity', { ...trade, q: '+1' }],
    ['kline with an unreadable close', { ...kline, k: { ...kline.k, c: 'x' } }],
    ['kline without its k', { ...kline, k: undefined }],
    ['kline with an open time of 1e300', { ...kline, k: { ...kline.k, t: 1e300 } }],
    ['kline with a negative event time', { ...kline, E: -5 }],
  ])('throws on a %s (the transport counts a parse error and skips the frame)', (_, data) => {
    expect(() => parseFrame(JSON.stringify({ stream: 'x@y', data }), NOW)).toThrow(TypeError)
  })

  it('throws on a historicalTrades row of the wrong shape (trade recovery then reports its ids as a gap)', () => {
    const row = { id: 7, price: '1', qty: '1', quoteQty: '1', time: 1_700_000_000_000, isBuyerMaker: false, isBestMatch: true }
    expect(parseHistoricalTrade('X', row, NOW)).toMatchObject({ id: '7', price: 1 })
    expect(() => parseHistoricalTrade('X', { ...row, id: '7' as unknown as number }, NOW)).toThrow(TypeError)
    expect(() => parseHistoricalTrade('X', { ...row, price: undefined as unknown as string }, NOW)).toThrow(TypeError)
    expect(() => parseHistoricalTrade('X', { ...row, time: 1e300 }, NOW)).toThrow(TypeError)
  })

  it('accepts a depth snapshot body with an integer lastUpdateId and readable levels, and throws on anything else', () => {
    const good = { lastUpdateId: 5, bids: [['1.5', '2']], asks: [] }
    expect(checkDepthSnapshot(good)).toBe(good)
    for (const bad of [null, [], { bids: [], asks: [] }, { lastUpdateId: '5', bids: [], asks: [] }, { lastUpdateId: 5, bids: 'x', asks: [] }, { lastUpdateId: 5, bids: [['x', '1']], asks: [] }, { lastUpdateId: 5, bids: [] }]) {
      expect(() => checkDepthSnapshot(bad), JSON.stringify(bad)).toThrow(TypeError)
    }
  })
})

describe('parseFrame on the real capture', () => {
  const capture = loadSession(fixturePath('spot-2021-10-12.jsonl'))
  const replay = loadSession(new URL('./fixtures/spot-2021-10-12.replay.jsonl', import.meta.url))

  it('gives one trade per recorded aggregate, matching its fields exactly', () => {
    const recorded = capture
      .filter((f) => f.dir === 'in' && (f.data as { data: { e: string } }).data.e === 'aggTrade')
      .map((f) => (f.data as { data: Record<string, unknown> }).data)
    const trades = replay
      .filter((f) => f.dir === 'in')
      .map((f) => parseFrame(JSON.stringify(f.data), NOW))
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
      .map((f) => parseFrame(JSON.stringify(f.data), NOW))
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
