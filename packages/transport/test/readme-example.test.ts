import { FakeExchange } from '@dccd/testkit'
import { describe, expect, it } from 'vitest'
import { TradeTicker } from './support/readme-example.js'

describe('README example', () => {
  it('subscribes, yields five trades, and break closes the socket', async () => {
    const fx = await FakeExchange.start()
    fx.onConnection((c) => {
      void c.waitForMessage().then(() => {
        c.send({ result: null, id: 1 })
        for (let i = 1; i <= 6; i++) c.send({ e: 'trade', p: `${100 + i}.5`, q: '0.01' })
      })
    })
    const feed = new TradeTicker(fx.wsUrl, { pingIntervalMs: 15_000 })
    const prices: number[] = []
    for await (const trade of feed.stream()) {
      prices.push(trade.price)
      if (prices.length === 5) break
    }
    expect(prices).toEqual([101.5, 102.5, 103.5, 104.5, 105.5])
    const connection = fx.connections[0]!
    await connection.closed
    expect(JSON.parse(connection.messages[0]!)).toEqual({ method: 'SUBSCRIBE', params: ['btcusdt@trade'], id: 1 })
    await fx.close()
  })
})
