/**
 * An adapter whose feed opens two sockets, `<wsUrl>/odd` and `<wsUrl>/even`, and turns each
 * `{"id": n}` frame into a trade: the shape of a venue that routes streams by path (OKX
 * `/ws/v5/public` and `/ws/v5/business`), for the capture and replay routing tests.
 */
import { nowMicros, type ExchangeAdapter, type Feed, type FeedOptions, type MarketEvent } from '@dccd/core'
import { WebSocket } from 'ws'
import { AsyncQueue } from './async-queue.js'

export const twoPathExchange: ExchangeAdapter = {
  id: 'twopath',
  name: 'Two paths',
  channels: ['trades'],
  barIntervals: [],
  exampleSymbol: 'AAA',
  createFeed: (options: FeedOptions): Feed => new TwoPathFeed(options),
}

class TwoPathFeed implements Feed {
  readonly exchange = 'twopath'
  readonly stats = { frames: 0, records: 0, parseErrors: 0, reconnects: 0 }
  readonly #queue = new AsyncQueue<MarketEvent>()
  readonly #sockets: WebSocket[] = []

  constructor(private readonly options: FeedOptions) {
    Object.defineProperty(this.stats, 'queued', { get: () => this.#queue.length, enumerable: true })
  }

  positions(): Record<string, never> {
    return {}
  }

  stream(): AsyncIterableIterator<MarketEvent> {
    for (const path of ['/odd', '/even']) {
      const ws = new WebSocket(`${this.options.wsUrl}${path}`)
      ws.on('error', () => {})
      ws.on('open', () => ws.send(JSON.stringify({ subscribe: path })))
      ws.on('message', (data) => {
        this.stats.frames++
        const { id } = JSON.parse(data.toString()) as { id: number }
        this.#queue.push({ type: 'trade', exchange: 'twopath', symbol: this.options.symbols[0]!, id: String(id), price: 1, amount: 1, side: 'buy', timestamp: id * 1000, localTimestamp: nowMicros() })
      })
      this.#sockets.push(ws)
    }
    const queue = this.#queue
    const stats = this.stats
    return {
      async next() {
        const result = await queue.next()
        if (result.done !== true) stats.records++
        return result
      },
      return: async () => {
        await this.stop()
        return { value: undefined, done: true }
      },
      [Symbol.asyncIterator]() {
        return this
      },
    }
  }

  async stop(): Promise<void> {
    this.#queue.end()
    await Promise.all(
      this.#sockets.map((ws) =>
        ws.readyState === WebSocket.CLOSED ? undefined : new Promise<void>((resolve) => (ws.once('close', () => resolve()), ws.close())),
      ),
    )
  }
}
