/**
 * One symbol's trade history in the chaos market: consecutive `trade_id`s with strictly increasing
 * times, served as WebSocket v2 trades and as REST `GET /0/public/Trades` pages the way Kraken pages
 * them (by time, like ./trade-history.ts): rows strictly after `since` (ns), at most `pageSize`,
 * `last` = the last row's time in ns. REST times carry 7 decimals (one digit past the µs of the
 * WebSocket time) and arrive as a JSON float.
 */
import { microsToIso } from '@dccd/core'
import type { SeededRandom } from '@dccd/testkit'

export interface TapeTrade {
  readonly id: number
  readonly price: number
  readonly qty: number
  readonly side: 'buy' | 'sell'
  readonly ordType: 'limit' | 'market'
  /** Trade time, µs (what the WebSocket sends). */
  readonly micros: number
  /** The 100 ns digit only REST shows (0–9). */
  readonly tenth: number
}

export class TradeTape {
  readonly #trades: TapeTrade[] = []
  readonly #firstId: number

  constructor(
    readonly symbol: string,
    firstId: number,
    readonly pricePrecision: number,
    readonly midTick: number,
  ) {
    this.#firstId = firstId
  }

  /** Id of the latest trade (one before the first id while empty). */
  get lastId(): number {
    return this.#firstId + this.#trades.length - 1
  }

  /** Time of the latest trade, µs (0 while empty). */
  get lastMicros(): number {
    return this.#trades.at(-1)?.micros ?? 0
  }

  /** Adds the next trade at `micros` (moved later if needed: times strictly increase, so REST paging never splits a tie). */
  append(random: SeededRandom, micros: number): TapeTrade {
    const trade: TapeTrade = {
      id: this.lastId + 1,
      price: (this.midTick + random.int(-20, 20)) / 10 ** this.pricePrecision,
      qty: random.int(1, 300_000_000) / 1e8,
      side: random.chance(0.5) ? 'buy' : 'sell',
      ordType: random.chance(0.8) ? 'limit' : 'market',
      micros: Math.max(micros, this.lastMicros + 1),
      tenth: random.int(0, 9),
    }
    this.#trades.push(trade)
    return trade
  }

  get(id: number): TapeTrade | undefined {
    return this.#trades[id - this.#firstId]
  }

  /** The `n` latest trades, oldest first (a trade snapshot). */
  recent(n: number): TapeTrade[] {
    return this.#trades.slice(-n)
  }

  /** A trade as a v2 `trade` message carries it. */
  wsTrade(trade: TapeTrade): object {
    return {
      symbol: this.symbol,
      side: trade.side,
      price: trade.price,
      qty: trade.qty,
      ord_type: trade.ordType,
      trade_id: trade.id,
      timestamp: microsToIso(trade.micros),
    }
  }

  /** One REST `Trades` page under `pairKey`, paged by time from `sinceNs` (exclusive): the body text, its `last` and its ids. */
  restPage(pairKey: string, sinceNs: bigint, pageSize: number): { body: string; last: string; firstId?: number; lastId?: number } {
    const rows: string[] = []
    const ids: number[] = []
    let last = sinceNs
    for (const trade of this.#trades) {
      if (rows.length === pageSize) break
      const ns = BigInt(trade.micros) * 1000n + BigInt(trade.tenth) * 100n
      if (ns <= sinceNs) continue
      // Written as Kraken writes it: seconds with 7 decimals, a JSON number.
      const seconds = `${Math.floor(trade.micros / 1e6)}.${String(trade.micros % 1e6).padStart(6, '0')}${trade.tenth}`
      const qty = trade.qty.toFixed(8)
      ids.push(trade.id)
      rows.push(`["${trade.price.toFixed(this.pricePrecision + 2)}","${qty}",${seconds},"${trade.side[0]}","${trade.ordType[0]}","",${trade.id}]`)
      last = ns
    }
    const body = `{"error":[],"result":{"${pairKey}":[${rows.join(',')}],"last":"${last}"}}`
    return { body, last: String(last), firstId: ids[0], lastId: ids.at(-1) }
  }
}
