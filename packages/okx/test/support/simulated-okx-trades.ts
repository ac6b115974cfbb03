/**
 * One instrument's trades on the simulated OKX. The testkit's `SimulatedMarket` supplies the TAKER ORDERS (its
 * seeded times, same-time ties, quiet minutes, price walk, sizes and sides); each order is then split into
 * 1..`maxFillsPerOrder` FILLS at the order's price, each with its own tradeId, consecutive per instrument:
 * - REST `history-trades` serves the fills (one row per fill, ids consecutive);
 * - the `trades` stream pushes one row per taker order (OKX aggregates the fills of one taker order at one price):
 *   `sz` = the fills' total, `count` = the number of fills, `tradeId` = the LAST fill's id (OKX documents it as the
 *   last trade id of the aggregation), `ts` = the order's time. So the stream's ids grow by each order's count and
 *   skip the ids of the other fills: the stream never promises consecutive ids.
 * Sizes are whole lots (`lotSz`): spot base units, derivatives contracts (10 per unit of the market's amount).
 */
import { SeededRandom, SimulatedMarket } from '@dccd/testkit'
import { formatUnits } from './okx-frames.js'
import type { OkxTradeRow } from './okx-frames.js'
import { stepsOf } from './okx-instruments.js'
import type { OkxInstrumentSpec } from './okx-instruments.js'

/** One fill: a row of REST `history-trades`. */
export interface OkxFill {
  readonly tradeId: number
  readonly px: string
  /** Price in ticks (`px / tickSz`). */
  readonly ticks: number
  readonly sz: string
  /** Size in lots (`sz / lotSz`). */
  readonly lots: number
  readonly side: 'buy' | 'sell'
  /** ms */
  readonly ts: number
}

/** One taker order: its fills and the row the stream pushes for it. */
export interface OkxTakerOrder {
  readonly fills: readonly OkxFill[]
  readonly row: OkxTradeRow
}

/** Settings of {@link SimulatedOkxTrades}. */
export interface SimulatedOkxTradesOptions {
  readonly seed: number
  /** Market start, ms. */
  readonly start: number
  readonly firstTradeId: number
  readonly tradesPerSecond: number
  readonly quietMinuteChance: number
  readonly maxFillsPerOrder: number
}

/** The REST paging of `history-trades` (see simulated-okx-rest.ts). */
export interface TradePage {
  /** `1`: `after`/`before` are tradeIds; `2`: timestamps, ms. */
  readonly type: '1' | '2'
  readonly after?: number
  readonly before?: number
  readonly limit: number
}

export class SimulatedOkxTrades {
  readonly market: SimulatedMarket
  /** Every fill so far, in id (and time) order; purged ones included. */
  readonly fills: OkxFill[] = []
  /** Every row the stream pushed, in order. */
  readonly pushed: OkxTradeRow[] = []
  /** Fills with ids below this are not served any more. */
  purgedBelow = 0
  /** Id of the first fill. */
  readonly firstTradeId: number
  readonly #spec: OkxInstrumentSpec
  readonly #random: SeededRandom
  readonly #maxFills: number
  #nextId: number

  constructor(spec: OkxInstrumentSpec, options: SimulatedOkxTradesOptions) {
    this.#spec = spec
    this.market = new SimulatedMarket({
      seed: options.seed,
      symbols: [spec.instId],
      start: options.start * 1000,
      startPrice: spec.startPrice,
      tradesPerSecond: options.tradesPerSecond,
      quietMinuteChance: options.quietMinuteChance,
    })
    this.#random = new SeededRandom(options.seed ^ 0x5eed)
    this.#maxFills = Math.max(1, options.maxFillsPerOrder)
    this.firstTradeId = options.firstTradeId
    this.#nextId = options.firstTradeId
  }

  /** The last fill's price in ticks, `undefined` before the first trade. */
  get lastTicks(): number | undefined {
    return this.fills.at(-1)?.ticks
  }

  /** Index in {@link fills} just past `fill`. */
  indexAfter(fill: OkxFill): number {
    return fill.tradeId - this.firstTradeId + 1
  }

  /** Moves the market to `ms` and returns the new taker orders, in time order. */
  advanceTo(ms: number): OkxTakerOrder[] {
    const orders: OkxTakerOrder[] = []
    const steps = stepsOf(this.#spec)
    const lot = Number(this.#spec.lotSz)
    for (const trade of this.market.advanceTo(ms * 1000).get(this.#spec.instId) ?? []) {
      const ticks = Math.round(trade.price / Number(this.#spec.tickSz))
      const lots = this.#spec.instType === 'SPOT' ? Math.max(1, Math.round(trade.amount / lot)) : Math.max(1, Math.round(trade.amount * 10))
      const count = this.#random.int(1, Math.min(this.#maxFills, lots))
      const ts = Math.floor(trade.time / 1000)
      const px = formatUnits(ticks, steps.px)
      const fills: OkxFill[] = []
      for (let i = 0; i < count; i++) {
        const part = Math.floor(lots / count) + (i === 0 ? lots % count : 0)
        fills.push({ tradeId: this.#nextId++, px, ticks, sz: formatUnits(part, steps.sz), lots: part, side: trade.side, ts })
      }
      this.fills.push(...fills)
      const row: OkxTradeRow = {
        instId: this.#spec.instId,
        tradeId: String(fills.at(-1)!.tradeId),
        px,
        sz: formatUnits(lots, steps.sz),
        side: trade.side,
        ts: String(ts),
        count: String(count),
      }
      this.pushed.push(row)
      orders.push({ fills, row })
    }
    return orders
  }

  /**
   * A `history-trades` page, newest first, purged fills left out:
   * - `after` only: the `limit` newest fills below `after`;
   * - `before` only: the `limit` fills just above `before` (the oldest of those above it), still newest first,
   *   so paging forward with `before` = the newest id of the previous page misses nothing;
   * - both: the newest `limit` strictly between them; neither: the `limit` newest.
   * With `type` 2 the bounds are timestamps (ms) and compare with the fills' `ts` the same way.
   */
  page(query: TradePage): OkxFill[] {
    const key = (fill: OkxFill): number => (query.type === '2' ? fill.ts : fill.tradeId)
    const served = this.fills.filter(
      (fill) =>
        fill.tradeId >= this.purgedBelow &&
        (query.after === undefined || key(fill) < query.after) &&
        (query.before === undefined || key(fill) > query.before),
    )
    const chosen = query.before !== undefined && query.after === undefined ? served.slice(0, query.limit) : served.slice(-query.limit)
    return chosen.reverse()
  }
}
