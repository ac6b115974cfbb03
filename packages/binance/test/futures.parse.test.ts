import { describe, expect, it } from 'vitest'
import { COINM_DIALECT, parseFrame, SPOT_DIALECT, USDM_DIALECT } from '../src/index.js'
import { parseOpenInterest } from '../src/futures/parse.js'
import { parseKlineRows } from '../src/parse.js'

const NOW = 1_700_000_000_000_000
const frame = (stream: string, data: object): string => JSON.stringify({ stream, data })

describe('futures frames', () => {
  it('reads an aggTrade as a trade whose id is the aggregate id a (a real USDⓈ-M frame)', () => {
    const raw =
      '{"stream":"ctkusdt@aggTrade","data":{"e":"aggTrade","E":1626992741575,"a":16599292,"s":"CTKUSDT","p":"1.01100","q":"10","f":23961322,"l":23961322,"T":1626992741421,"m":false}}'
    expect(parseFrame(raw, NOW, USDM_DIALECT)).toEqual({
      type: 'trade',
      exchange: 'binance-futures',
      symbol: 'CTKUSDT',
      id: '16599292',
      price: 1.011,
      amount: 10,
      side: 'buy',
      timestamp: 1626992741421000,
      localTimestamp: NOW,
    })
    // Each market reads only its own trade stream: spot ignores aggTrade, futures ignore trade.
    expect(parseFrame(raw, NOW, SPOT_DIALECT)).toBeUndefined()
    expect(parseFrame(frame('btcusdt@trade', { e: 'trade', E: 1, s: 'BTCUSDT', t: 1, p: '1', q: '1', T: 1626992741421, m: true }), NOW, USDM_DIALECT)).toBeUndefined()
  })

  it('reads a depthUpdate with its pu and takes the transaction time T (a real USDⓈ-M frame)', () => {
    const raw =
      '{"stream":"sushiusdt@depth@100ms","data":{"e":"depthUpdate","E":1626992741037,"T":1626992741024,"s":"SUSHIUSDT","U":600859599090,"u":600859600917,"pu":600859598061,"b":[["7.5040","813"],["7.6090","0"]],"a":[["7.6150","1563"]]}}'
    expect(parseFrame(raw, NOW, USDM_DIALECT)).toEqual({
      type: 'depthUpdate',
      symbol: 'SUSHIUSDT',
      firstUpdateId: 600859599090,
      finalUpdateId: 600859600917,
      previousUpdateId: 600859598061,
      event: {
        type: 'book',
        exchange: 'binance-futures',
        symbol: 'SUSHIUSDT',
        isSnapshot: false,
        bids: [
          { price: 7.504, amount: 813 },
          { price: 7.609, amount: 0 },
        ],
        asks: [{ price: 7.615, amount: 1563 }],
        timestamp: 1626992741024000,
        localTimestamp: NOW,
      },
    })
    const withoutPu = raw.replace(',"pu":600859598061', '')
    expect(() => parseFrame(withoutPu, NOW, USDM_DIALECT)).toThrow(/pu/)
  })

  it('reads a bookTicker as a quote at its transaction time (a real USDⓈ-M frame); a side with price 0 gives no quote', () => {
    const raw =
      '{"stream":"sushiusdt@bookTicker","data":{"e":"bookTicker","u":600859600576,"s":"SUSHIUSDT","b":"7.6110","B":"2","a":"7.6120","A":"297","T":1626992741012,"E":1626992741016}}'
    expect(parseFrame(raw, NOW, USDM_DIALECT)).toEqual({
      type: 'quote',
      exchange: 'binance-futures',
      symbol: 'SUSHIUSDT',
      bidPrice: 7.611,
      bidAmount: 2,
      askPrice: 7.612,
      askAmount: 297,
      timestamp: 1626992741012000,
      localTimestamp: NOW,
    })
    expect(parseFrame(raw.replace('"b":"7.6110"', '"b":"0"'), NOW, USDM_DIALECT)).toBeUndefined()
    // Spot reads no bookTicker (it offers no quotes).
    expect(parseFrame(raw, NOW, SPOT_DIALECT)).toBeUndefined()
  })

  it('reads a perpetual markPrice with mark, index, a negative funding rate and the next funding time', () => {
    const raw = frame('btcusdt@markPrice@1s', { e: 'markPriceUpdate', E: 1562305380000, s: 'BTCUSDT', p: '11794.15000000', i: '11784.62659091', P: '11784.25641265', r: '-0.00038167', T: 1562306400000 })
    expect(parseFrame(raw, NOW, USDM_DIALECT)).toEqual({
      type: 'derivative',
      exchange: 'binance-futures',
      symbol: 'BTCUSDT',
      markPrice: 11794.15,
      indexPrice: 11784.62659091,
      fundingRate: -0.00038167,
      fundingTime: 1562306400000000,
      timestamp: 1562305380000000,
      localTimestamp: NOW,
    })
  })

  it('leaves funding absent, not 0 and not undefined-valued, for a delivery contract (r "", T 0)', () => {
    const raw = frame('btcusd_201225@markPrice@1s', { e: 'markPriceUpdate', E: 1596095725000, s: 'BTCUSD_201225', p: '10934.62615417', P: '10962.17178236', i: '10933.62615417', r: '', T: 0 })
    const event = parseFrame(raw, NOW, COINM_DIALECT)!
    expect(event).toEqual({
      type: 'derivative',
      exchange: 'binance-delivery',
      symbol: 'BTCUSD_201225',
      markPrice: 10934.62615417,
      indexPrice: 10933.62615417,
      timestamp: 1596095725000000,
      localTimestamp: NOW,
    })
    expect(Object.keys(event)).not.toContain('fundingRate')
    expect(Object.keys(event)).not.toContain('fundingTime')
    expect(Object.values(event)).not.toContain(undefined)
    // Without an index price the field is absent too.
    const noIndex = parseFrame(raw.replace(',"i":"10933.62615417"', ''), NOW, COINM_DIALECT)!
    expect(Object.keys(noIndex)).not.toContain('indexPrice')
  })

  it('reads a forceOrder as a liquidation at the average fill price for the filled quantity, without an id', () => {
    const order = { s: 'BTCUSD_200925', ps: 'BTCUSD', S: 'SELL', o: 'LIMIT', f: 'IOC', q: '3', p: '9425.5', ap: '9496.5', X: 'PARTIALLY_FILLED', l: '1', z: '2', T: 1591154240949 }
    const raw = frame('btcusd_200925@forceOrder', { e: 'forceOrder', E: 1591154240950, o: order })
    const event = parseFrame(raw, NOW, COINM_DIALECT)!
    expect(event).toEqual({
      type: 'liquidation',
      exchange: 'binance-delivery',
      symbol: 'BTCUSD_200925',
      side: 'sell',
      price: 9496.5,
      amount: 2,
      timestamp: 1591154240949000,
      localTimestamp: NOW,
    })
    expect(Object.keys(event)).not.toContain('id')
    expect(parseFrame(raw.replace('"S":"SELL"', '"S":"BUY"'), NOW, COINM_DIALECT)).toMatchObject({ side: 'buy' })
    // Nothing filled: no liquidation trade happened.
    expect(parseFrame(raw.replace('"z":"2"', '"z":"0"').replace('"ap":"9496.5"', '"ap":"0"'), NOW, COINM_DIALECT)).toBeUndefined()
    expect(() => parseFrame(raw.replace('"S":"SELL"', '"S":"LONG"'), NOW, COINM_DIALECT)).toThrow(TypeError)
  })

  it('throws on futures payloads whose fields lack Binance\'s types', () => {
    const mark = { e: 'markPriceUpdate', E: 1562305380000, s: 'BTCUSDT', p: '1', r: '0.0001', T: 1562306400000 }
    expect(() => parseFrame(frame('x', { ...mark, p: 11794.15 }), NOW, USDM_DIALECT)).toThrow(TypeError)
    expect(() => parseFrame(frame('x', { ...mark, p: '0' }), NOW, USDM_DIALECT)).toThrow(/mark price/)
    expect(() => parseFrame(frame('x', { ...mark, r: '1e-4' }), NOW, USDM_DIALECT)).toThrow(/funding rate/)
    expect(() => parseFrame(frame('x', { ...mark, T: 1e300 }), NOW, USDM_DIALECT)).toThrow(/funding time/)
    expect(() => parseFrame(frame('x', { e: 'bookTicker', s: 'BTCUSDT', b: '1', B: '1', a: 2, A: '1', T: 1562305380000 }), NOW, USDM_DIALECT)).toThrow(TypeError)
    expect(() => parseFrame(frame('x', { e: 'forceOrder', E: 1 }), NOW, USDM_DIALECT)).toThrow(/forceOrder o/)
  })

  it('takes the base-asset volume of COIN-M klines (q on the stream, column 7 over REST), whose v counts contracts', () => {
    const k = { t: 1591258320000, T: 1591258379999, s: 'BTCUSD_PERP', i: '1m', o: '9640.7', c: '9642.0', h: '9642.4', l: '9640.6', v: '206', n: 48, x: false, q: '2.13660389', V: '119', Q: '1.23424865', B: '0' }
    const raw = frame('btcusd_perp@kline_1m', { e: 'kline', E: 1591258339000, s: 'BTCUSD_PERP', k })
    expect(parseFrame(raw, NOW, COINM_DIALECT)).toMatchObject({ exchange: 'binance-delivery', volume: 2.13660389 })
    expect(parseFrame(raw, NOW, USDM_DIALECT)).toMatchObject({ exchange: 'binance-futures', volume: 206 })
    const row = [1591258320000, '9640.7', '9642.4', '9640.6', '9642.0', '206', 1591258379999, '2.13660389', 48, '119', '1.23424865', '0']
    expect(parseKlineRows('BTCUSD_PERP', '1m', [row], NOW, COINM_DIALECT)[0]).toMatchObject({ volume: 2.13660389, closed: true })
  })
})

describe('open interest answers', () => {
  it('become a derivative event carrying only openInterest, at the answer\'s time', () => {
    const body = { symbol: 'BTCUSD_200626', pair: 'BTCUSD', openInterest: '15004', contractType: 'CURRENT_QUARTER', time: 1591261042378 }
    expect(parseOpenInterest(body, 'BTCUSD_200626', NOW, 'binance-delivery')).toEqual({
      type: 'derivative',
      exchange: 'binance-delivery',
      symbol: 'BTCUSD_200626',
      openInterest: 15004,
      timestamp: 1591261042378000,
      localTimestamp: NOW,
    })
    expect(() => parseOpenInterest(body, 'ETHUSD_200626', NOW, 'binance-delivery')).toThrow(/ETHUSD_200626/)
    expect(() => parseOpenInterest({ ...body, openInterest: 15004 }, 'BTCUSD_200626', NOW, 'binance-delivery')).toThrow(/open interest/)
  })
})
