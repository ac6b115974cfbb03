/**
 * A tiny live market on the fake exchange: every tick one trade (ids 1, 2, …) and one
 * depth update (ids 1001, 1002, …; bid price 100 + id % 10, amount = id), broadcast to
 * every open connection from the moment it opens, like Binance's streams. Connections
 * listed in `lagMs` receive everything that much later (a slow socket).
 */
import type { FakeExchange } from '@dccd/testkit'
import { depthFrame, snapshotBody, tradeFrame } from './frames.js'

export const FIRST_UPDATE = 1000

export class FakeMarket {
  tradeId = 0
  updateId = FIRST_UPDATE
  /** lastUpdateId of every snapshot served. */
  readonly snapshotsServed: number[] = []
  readonly #timer: ReturnType<typeof setInterval>

  constructor(
    private readonly fx: FakeExchange,
    readonly symbol: string,
    tickMs: number,
    private readonly lagMs: (connectionId: number) => number = () => 0,
  ) {
    fx.route('GET', '/api/v3/depth', () => {
      this.snapshotsServed.push(this.updateId)
      return { body: snapshotBody(this.updateId, this.bookAt(this.updateId).map(([p, a]) => [String(p), String(a)])) }
    })
    this.#timer = setInterval(() => this.tick(), tickMs)
  }

  tick(): void {
    this.tradeId++
    this.updateId++
    const trade = JSON.stringify(tradeFrame(this.symbol, this.tradeId))
    const id = this.updateId
    const depth = JSON.stringify(depthFrame(this.symbol, id, id, [[String(100 + (id % 10)), String(id)]]))
    for (const connection of this.fx.connections) {
      if (!connection.isOpen) continue
      const lag = this.lagMs(connection.id)
      const send = (): void => {
        if (connection.isOpen) {
          connection.send(trade)
          connection.send(depth)
        }
      }
      if (lag > 0) setTimeout(send, lag)
      else send()
    }
  }

  /** The true book after update `id`: price 100+k holds the last id ≡ k (mod 10), else 1. */
  bookAt(id: number): Array<[number, number]> {
    const levels: Array<[number, number]> = []
    for (let k = 9; k >= 0; k--) {
      let last = id - ((((id - k) % 10) + 10) % 10)
      if (last <= FIRST_UPDATE) last = 1
      levels.push([100 + k, last])
    }
    return levels
  }

  stop(): void {
    clearInterval(this.#timer)
  }
}
