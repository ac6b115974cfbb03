import { afterEach, describe, expect, it } from 'vitest'
import type { MarketEvent } from '@dccd/core'
import { FakeExchange } from '@dccd/testkit'
import { delivery, futures } from '../src/index.js'
import { COINM_SESSION_SYMBOLS, coinmSession } from './support/coinm-session.js'
import { bookTickerFrame, forceOrderFrame, markPriceFrame } from './support/futures-frames.js'
import { Reader, count } from './support/reader.js'

let fx: FakeExchange | undefined
afterEach(async () => {
  await fx?.close()
  fx = undefined
})

const T = 1_700_000_000_000

describe('quotes, derivatives and liquidations through the feed', () => {
  it('takes each from its own routed connection on USDⓈ-M and counts one of a channel not subscribed as a parse error', async () => {
    fx = await FakeExchange.start()
    fx.onConnection((c) => {
      if (c.path.startsWith('/public/')) c.send(bookTickerFrame('BTCUSDT', 7, ['30000.1', '2'], ['30000.2', '3']))
      else {
        c.send(markPriceFrame('BTCUSDT', { p: '30000.15', i: '30001.5', P: '30000', r: '-0.00010000', T: T + 3_600_000 }, T))
        c.send(forceOrderFrame('BTCUSDT', { S: 'BUY', q: '0.5', p: '30100', ap: '30090.5', X: 'FILLED', l: '0.5', z: '0.5', T: T + 1 }))
        // Not subscribed: Binance would never send it; taken, it would make up a channel.
        c.send(forceOrderFrame('ETHUSDT', { S: 'SELL', q: '1', p: '2000', ap: '2000', X: 'FILLED', l: '1', z: '1', T: T + 2 }))
      }
    })
    const feed = futures.createFeed({ symbols: ['BTCUSDT'], channels: ['quotes', 'derivatives', 'liquidations'], wsUrl: fx.wsUrl, restUrl: fx.restUrl, openInterestIntervalMs: 0 })
    const events = await new Reader(feed).until((e) => ['quote', 'derivative', 'liquidation'].every((type) => e.some((x) => x.type === type)), 'a quote, a mark price and a liquidation')
    await feed.stop()
    expect(events.filter((e) => e.type !== 'status')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'quote', symbol: 'BTCUSDT', bidPrice: 30000.1, bidAmount: 2, askPrice: 30000.2, askAmount: 3, timestamp: (T + 7) * 1000 }),
        expect.objectContaining({ type: 'derivative', markPrice: 30000.15, indexPrice: 30001.5, fundingRate: -0.0001, fundingTime: (T + 3_600_000) * 1000, timestamp: T * 1000 }),
        expect.objectContaining({ type: 'liquidation', symbol: 'BTCUSDT', side: 'buy', price: 30090.5, amount: 0.5, timestamp: (T + 1) * 1000 }),
      ]),
    )
    expect(events.some((e) => e.type === 'liquidation' && e.symbol === 'ETHUSDT')).toBe(false)
    expect(fx.connections.map((c) => c.path).sort()).toEqual([
      '/market/stream?streams=btcusdt@markPrice@1s/btcusdt@forceOrder',
      '/public/stream?streams=btcusdt@bookTicker',
    ])
    expect(feed.stats.parseErrors).toBe(1)
  })

  it('streams the generated COIN-M session: the quarterly\'s mark prices carry no funding, the perpetuals\' do', async () => {
    fx = await FakeExchange.start()
    const session = coinmSession()
    fx.replay(session)
    fx.restFromSession(session)
    const expected = (kind: string, symbol: string): number =>
      session.filter((f) => f.dir === 'in' && (f.data as { stream: string }).stream === `${symbol.toLowerCase()}@${kind}`).length
    const feed = delivery.createFeed({ symbols: COINM_SESSION_SYMBOLS, channels: ['derivatives', 'liquidations', 'quotes'], wsUrl: fx.wsUrl, restUrl: fx.restUrl })
    const done = (e: MarketEvent[]): boolean =>
      COINM_SESSION_SYMBOLS.every(
        (s) =>
          count(e, (x) => x.type === 'derivative' && x.symbol === s && 'markPrice' in x) === expected('markPrice@1s', s) &&
          count(e, (x) => x.type === 'liquidation' && x.symbol === s) === expected('forceOrder', s) &&
          count(e, (x) => x.type === 'derivative' && x.symbol === s && 'openInterest' in x) === 1,
      )
    const events = await new Reader(feed).until(done, 'every mark price, liquidation and open interest of the session')
    await feed.stop()
    const marks = (symbol: string) => events.filter((e) => e.type === 'derivative' && e.symbol === symbol && 'markPrice' in e)
    for (const event of marks('BTCUSD_250627')) {
      expect(Object.keys(event)).not.toContain('fundingRate')
      expect(Object.keys(event)).not.toContain('fundingTime')
    }
    for (const event of marks('BTCUSD_PERP')) expect(event).toMatchObject({ fundingRate: expect.any(Number), fundingTime: 1_700_006_400_000_000 })
    expect(count(events, (e) => e.type === 'quote')).toBe(COINM_SESSION_SYMBOLS.reduce((n, s) => n + expected('bookTicker', s), 0))
    expect(count(events, (e) => e.type === 'liquidation')).toBeGreaterThan(0)
  })
})
