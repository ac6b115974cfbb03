/**
 * One instrument's order book on the simulated OKX, numbered the way OKX numbers `books` messages
 * (https://www.okx.com/docs-v5/en/#order-book-trading-market-data-ws-order-book-channel):
 * - a snapshot holds the best 400 levels per side, `prevSeqId: -1`, `seqId` = the book's current seqId;
 * - each update carries the levels that changed (size `"0"` deletes), asks ascending and bids descending,
 *   `prevSeqId` = the previous message's `seqId` and `seqId` = previous + 1 + the number of levels sent (it grows,
 *   never by exactly one);
 * - a step where nothing changed yields a no-change update: empty sides, `prevSeqId == seqId`;
 * - `checksum` is 0 (OKX deprecated it) unless `checksums` is on: then OKX's CRC32 of the best 25 per side.
 * The book follows the instrument's trades (levels through a trade's price are taken out, on the side the taker
 * hit) and changes randomly near the top; it never holds more than 400 levels per side (it sends the deletions
 * itself, as OKX does), and is refilled behind its worst level to `levels` per side.
 */
import type { SeededRandom } from '@dccd/testkit'
import { okxChecksum } from './okx-checksum-reference.js'
import { formatUnits } from './okx-frames.js'
import type { OkxBookRow, OkxLevel } from './okx-frames.js'
import { stepsOf } from './okx-instruments.js'
import type { OkxInstrumentSpec } from './okx-instruments.js'

/** Levels a snapshot holds per side, and the most a side ever holds. */
export const BOOK_DEPTH = 400

interface Level {
  readonly lots: number
  readonly orders: number
}

type Side = 'bids' | 'asks'

/** The book after a message: sorted levels (best first) as sent, and the message's seqId. */
export interface OkxBookState {
  readonly seqId: number
  readonly bids: OkxLevel[]
  readonly asks: OkxLevel[]
}

/** Settings of {@link SimulatedOkxBook}. */
export interface SimulatedOkxBookOptions {
  /** Levels per side the book is kept at (at most 400). */
  readonly levels: number
  readonly checksums: boolean
  /** Chance that a step brings random changes (besides those of the step's trades). */
  readonly changeChance: number
  readonly firstSeqId: number
}

export class SimulatedOkxBook {
  seqId: number
  /** The book after every message (snapshots for new subscribers are not messages of the chain and add none). */
  readonly history: OkxBookState[] = []
  readonly #sides: Record<Side, Map<number, Level>> = { bids: new Map(), asks: new Map() }
  readonly #spec: OkxInstrumentSpec
  readonly #random: SeededRandom
  readonly #options: SimulatedOkxBookOptions
  readonly #steps: { px: number; sz: number }
  /** Levels changed during the current step, with their value before it (`side|ticks`). */
  readonly #touched = new Map<string, Level | undefined>()
  readonly #sortedCache: Record<Side, number[] | undefined> = { bids: undefined, asks: undefined }

  constructor(spec: OkxInstrumentSpec, random: SeededRandom, options: SimulatedOkxBookOptions) {
    this.#spec = spec
    this.#random = random
    this.#options = { ...options, levels: Math.min(BOOK_DEPTH, options.levels) }
    this.#steps = stepsOf(spec)
    this.seqId = options.firstSeqId
    const mid = Math.round(spec.startPrice / Number(spec.tickSz))
    this.#refill(mid)
    this.#touched.clear()
    this.#record()
  }

  /** The snapshot a new subscriber gets now. */
  snapshot(ts: number): OkxBookRow {
    const { bids, asks } = this.top(BOOK_DEPTH)
    return { asks, bids, ts: String(ts), checksum: this.#checksum(bids, asks), prevSeqId: -1, seqId: this.seqId }
  }

  /** The best `n` levels per side, as sent. */
  top(n: number): { bids: OkxLevel[]; asks: OkxLevel[] } {
    return { bids: this.#sorted('bids', n), asks: this.#sorted('asks', n) }
  }

  /** The book now, with its seqId. */
  state(): OkxBookState {
    return this.history.at(-1)!
  }

  /**
   * One 100 ms step: the changes of the trades (`trade`: the last one of the step) and random ones, as an update
   * (a no-change update if nothing changed and not `force`d). `resetTo`: the update's seqId restarts there
   * (after maintenance), below its prevSeqId.
   */
  step(ts: number, trade: { ticks: number; side: 'buy' | 'sell' } | undefined, options: { force?: boolean; resetTo?: number } = {}): OkxBookRow {
    this.#touched.clear()
    if (trade !== undefined) this.#follow(trade.ticks, trade.side)
    if (options.force === true || this.#random.chance(this.#options.changeChance)) this.#randomChanges()
    const mid = trade?.ticks ?? this.#mid()
    this.#refill(mid)
    let changes = this.#changes()
    if (changes.asks.length + changes.bids.length === 0 && (options.force === true || options.resetTo !== undefined)) {
      this.#set('bids', this.#sortedTicks('bids')[0]!, { lots: this.#lots(), orders: this.#random.int(1, 9) })
      changes = this.#changes()
    }
    const sent = changes.asks.length + changes.bids.length
    const prevSeqId = this.seqId
    if (options.resetTo !== undefined) this.seqId = options.resetTo
    else if (sent > 0) this.seqId = prevSeqId + 1 + sent
    const { bids, asks } = this.top(BOOK_DEPTH)
    this.#record()
    return { asks: changes.asks, bids: changes.bids, ts: String(ts), checksum: this.#checksum(bids, asks), prevSeqId, seqId: this.seqId }
  }

  #checksum(bids: OkxLevel[], asks: OkxLevel[]): number {
    return this.#options.checksums ? okxChecksum(bids, asks) : 0
  }

  #record(): void {
    this.history.push({ seqId: this.seqId, ...this.top(BOOK_DEPTH) })
  }

  /** A buy at P consumed the asks below P and no bid may stay at or above it; a sell the mirror image. */
  #follow(ticks: number, side: 'buy' | 'sell'): void {
    for (const price of [...this.#sides.asks.keys()]) if (side === 'buy' ? price < ticks : price <= ticks) this.#set('asks', price, undefined)
    for (const price of [...this.#sides.bids.keys()]) if (side === 'buy' ? price >= ticks : price > ticks) this.#set('bids', price, undefined)
  }

  #randomChanges(): void {
    const count = this.#random.int(1, 4)
    for (let i = 0; i < count; i++) {
      const side: Side = this.#random.chance(0.5) ? 'bids' : 'asks'
      const levels = this.#sortedTicks(side)
      const roll = this.#random.next()
      if (roll < 0.6 && levels.length > 0) {
        this.#set(side, levels[this.#random.int(0, Math.min(levels.length - 1, 19))]!, { lots: this.#lots(), orders: this.#random.int(1, 9) })
      } else if (roll < 0.75 && levels.length > 1) {
        this.#set(side, levels[this.#random.int(0, Math.min(levels.length - 1, 19))]!, undefined)
      } else {
        const bestBid = this.#sortedTicks('bids')[0]
        const bestAsk = this.#sortedTicks('asks')[0]
        const offset = this.#random.int(-1, 30)
        const price = side === 'bids' ? (bestBid ?? this.#mid() - 1) - offset : (bestAsk ?? this.#mid() + 1) + offset
        const inside = side === 'bids' ? bestAsk === undefined || price < bestAsk : bestBid === undefined || price > bestBid
        if (inside && price > 0) this.#set(side, price, { lots: this.#lots(), orders: this.#random.int(1, 9) })
      }
    }
  }

  /** Refills both sides behind their worst level to `levels`, then trims anything beyond 400. */
  #refill(mid: number): void {
    for (const side of ['bids', 'asks'] as const) {
      const map = this.#sides[side]
      const direction = side === 'bids' ? -1 : 1
      while (map.size < this.#options.levels) {
        const worst = this.#sortedTicks(side).at(-1) ?? mid
        const price = worst + direction * this.#random.int(1, 3)
        if (price <= 0) break
        this.#set(side, price, { lots: this.#lots(), orders: this.#random.int(1, 9) })
      }
      for (const price of this.#sortedTicks(side).slice(BOOK_DEPTH)) this.#set(side, price, undefined)
    }
  }

  #mid(): number {
    const bid = this.#sortedTicks('bids')[0]
    const ask = this.#sortedTicks('asks')[0]
    if (bid !== undefined && ask !== undefined) return Math.round((bid + ask) / 2)
    return bid ?? ask ?? Math.round(this.#spec.startPrice / Number(this.#spec.tickSz))
  }

  /** A random level size in lots: 0.0001 to 2 base units (spot), 1 to 500 contracts. */
  #lots(): number {
    if (this.#spec.instType !== 'SPOT') return this.#random.int(1, 500)
    return this.#random.int(1, 20_000) * 10 ** Math.max(0, this.#steps.sz - 4)
  }

  #set(side: Side, ticks: number, level: Level | undefined): void {
    const key = `${side}|${ticks}`
    const map = this.#sides[side]
    if (!this.#touched.has(key)) this.#touched.set(key, map.get(ticks))
    this.#sortedCache[side] = undefined
    if (level === undefined) map.delete(ticks)
    else map.set(ticks, level)
  }

  #changes(): { bids: OkxLevel[]; asks: OkxLevel[] } {
    const out: { bids: [number, OkxLevel][]; asks: [number, OkxLevel][] } = { bids: [], asks: [] }
    for (const [key, before] of this.#touched) {
      const [side, text] = key.split('|') as [Side, string]
      const ticks = Number(text)
      const after = this.#sides[side].get(ticks)
      if (after?.lots === before?.lots && after?.orders === before?.orders) continue
      out[side].push([ticks, after === undefined ? [this.#px(ticks), '0', '0', '0'] : this.#level(ticks, after)])
    }
    out.bids.sort((a, b) => b[0] - a[0])
    out.asks.sort((a, b) => a[0] - b[0])
    return { bids: out.bids.map(([, level]) => level), asks: out.asks.map(([, level]) => level) }
  }

  #px(ticks: number): string {
    return formatUnits(ticks, this.#steps.px)
  }

  #level(ticks: number, level: Level): OkxLevel {
    return [this.#px(ticks), formatUnits(level.lots, this.#steps.sz), '0', String(level.orders)]
  }

  /** Prices of a side, best first (cached until the side changes). */
  #sortedTicks(side: Side): number[] {
    this.#sortedCache[side] ??= [...this.#sides[side].keys()].sort(side === 'bids' ? (a, b) => b - a : (a, b) => a - b)
    return this.#sortedCache[side]
  }

  #sorted(side: Side, n = BOOK_DEPTH): OkxLevel[] {
    const map = this.#sides[side]
    return this.#sortedTicks(side)
      .slice(0, n)
      .map((ticks) => this.#level(ticks, map.get(ticks)!))
  }
}
