/**
 * REST `Trades` pages by time from just before the last good trade: a hole right after a very
 * busy second must still be reached within the pages one recovery may read.
 */
import { microsToIso } from '@dccd/core'
import { expect, it } from 'vitest'
import { serveAssetPairs } from './support/asset-pairs.js'
import { collect, feedFor, withFake } from './support/feed-harness.js'
import { ackFor, scriptKraken } from './support/scripted-kraken.js'
import { gaps, tradeIds } from './support/trade-history.js'

const START = 1_714_979_000_000_000
/** Ten thousand trades a second. */
const timeOf = (id: number): number => START + id * 100
const wsTrade = (id: number) => ({ symbol: 'BTC/USD', side: 'buy', price: 60_000, qty: 0.5, ord_type: 'limit', trade_id: id, timestamp: microsToIso(timeOf(id)) })
const LAST = 3_502

it('recovers a one-trade hole that follows a dense second of trades', async () => {
  await withFake(async (fx) => {
    serveAssetPairs(fx, ['BTC/USD'])
    fx.route('GET', '/0/public/Trades', (request) => {
      const since = BigInt(request.query.get('since') ?? '0')
      const rows: string[] = []
      let last = since
      for (let id = 1; id <= LAST && rows.length < 1000; id++) {
        const ns = BigInt(timeOf(id)) * 1000n
        if (ns <= since) continue
        rows.push(`["60000.00000","0.50000000",${(timeOf(id) / 1e6).toFixed(6)}0,"b","l","",${id}]`)
        last = ns
      }
      return { body: `{"error":[],"result":{"XXBTZUSD":[${rows.join(',')}],"last":"${last}"}}` }
    })
    scriptKraken(fx, (connection, request) => {
      connection.send(ackFor(request, 'BTC/USD'))
      if (request.params?.channel !== 'trade') return
      for (let id = 1; id <= 3_500; id += 100) connection.send({ channel: 'trade', type: 'update', data: Array.from({ length: 100 }, (_, k) => wsTrade(id + k)) })
      // 3501 never arrives on the socket (a hole on a healthy socket); 3502 does.
      connection.send({ channel: 'trade', type: 'update', data: [wsTrade(3_502)] })
    })
    const events = await collect(feedFor(fx, { symbols: ['BTC/USD'], channels: ['trades'] }), (seen) => seen.some((e) => e.type === 'trade' && e.id === '3502'))
    expect(gaps(events)).toEqual([])
    expect(tradeIds(events).slice(-2)).toEqual([3_501, 3_502])
    expect(fx.restRequests.filter((r) => r.path === '/0/public/Trades')).toHaveLength(1)
  })
})
