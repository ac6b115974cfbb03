/**
 * One symbol's order book in the chaos market: a full book deeper than the subscription, served at
 * the subscribed depth the way Kraken serves it (scripts/shallow-feed.ts: inserts push levels past
 * the depth without a message, deletions pull hidden levels back in), with the checksum of the
 * independent reference book. After every update it records the true book cut to the depth, keyed by
 * the update's timestamp, which the feed turns into the book event's `timestamp` exactly: that is how
 * the test finds, for each emitted book event, what the book should have been at that moment.
 */
import { microsToIso } from '@dccd/core'
import type { BookLevel } from '@dccd/core'
import type { Side, WireLevel } from '../../scripts/reference-book.js'
import { ShallowFeed } from '../../scripts/shallow-feed.js'
import type { KrakenBookData } from '../../src/index.js'
import type { SeededRandom } from '@dccd/testkit'

/** A pair as the market lists it on the instrument channel. */
export interface PairSpec {
  readonly symbol: string
  readonly pricePrecision: number
  readonly qtyPrecision: number
  /** Mid price in ticks of 10^-pricePrecision: bids sit at or below it, asks above, so the book never crosses. */
  readonly midTick: number
}

/** Both sides of a book, best first, as `OrderBook` reads them. */
export interface BookState {
  readonly bids: BookLevel[]
  readonly asks: BookLevel[]
}

/** Ticks between the initial levels: room for inserts between them. */
const SPREAD = 3

export class MarketBook {
  readonly #feed: ShallowFeed
  readonly #history = new Map<number, BookState>()
  /** Hidden levels kept beyond the window, so deletions pull real levels in and pushed-out ones come back. */
  readonly #reserve: number
  #latest: number

  /** Starts with a book `depth + reserve` deep per side; the initial state is stamped `timestamp`. */
  constructor(
    readonly pair: PairSpec,
    readonly depth: number,
    random: SeededRandom,
    timestamp: number,
  ) {
    this.#feed = new ShallowFeed(depth)
    this.#reserve = Math.max(30, depth)
    const side = (sign: 1 | -1): WireLevel[] =>
      Array.from({ length: depth + this.#reserve }, (_, i) => ({
        price: this.#price(pair.midTick + (sign === 1 ? 1 : 0) + sign * SPREAD * i),
        qty: this.#qty(random),
      }))
    this.#feed.snapshot(side(-1), side(1))
    this.#latest = timestamp
    this.#record(timestamp)
  }

  /** Time of the latest change, µs (what a snapshot is stamped with). */
  get latest(): number {
    return this.#latest
  }

  /** The book right after the message stamped `timestamp`, cut to the depth; `undefined` for a stamp never used. */
  truthAt(timestamp: number): BookState | undefined {
    return this.#history.get(timestamp)
  }

  /** The subscribe snapshot: the book cut to the depth, stamped with the time of its latest change. */
  snapshot(): KrakenBookData {
    return {
      symbol: this.pair.symbol,
      bids: this.#feed.full.top('bids', this.depth),
      asks: this.#feed.full.top('asks', this.depth),
      checksum: this.checksum(),
      timestamp: microsToIso(this.#latest),
    }
  }

  /** Kraken's checksum of the current book (top 10 per side, instrument precision). */
  checksum(): number {
    return this.#feed.full.checksum(this.pair.pricePrecision, this.pair.qtyPrecision)
  }

  /**
   * A bid price inside the subscribed window that holds no level: below the top 10 when the window
   * is deeper, where the checksum cannot see it (for a malformed frame that looks like an insert).
   */
  freeBidPrice(random: SeededRandom): number {
    const scale = 10 ** this.pair.pricePrecision
    const window = this.#feed.full.top('bids', this.depth)
    const worst = Math.round(window.at(-1)!.price * scale)
    const upper = window.length > 10 ? Math.round(window[10]!.price * scale) : this.pair.midTick
    for (let attempt = 0; ; attempt++) {
      const tick = random.int(worst, upper)
      if (!this.#feed.full.bids.has(this.#price(tick)) || attempt === 50) return this.#price(tick)
    }
  }

  /** True when `price` is among the best 10 levels of `side` now. */
  inTop10(side: Side, price: number): boolean {
    return this.#feed.full.top(side, 10).some((level) => level.price === price)
  }

  /**
   * One to three random changes stamped `timestamp`: inserts inside the window (each pushes the
   * D-th level out), deletions mostly near the top (pulling hidden levels in), amount changes, and
   * changes beyond the window that are never sent. Returns the depth-D update; never empty, so every
   * tick moves every book (the test relies on other books flowing while one resyncs).
   */
  step(random: SeededRandom, timestamp: number): KrakenBookData {
    const change = { bids: [] as WireLevel[], asks: [] as WireLevel[] }
    const count = random.int(1, 3)
    for (let k = 0; k < count; k++) {
      const side: Side = random.chance(0.5) ? 'bids' : 'asks'
      const window = this.#feed.full.top(side, this.depth)
      const r = random.next()
      if (r < 0.4) this.#insert(random, side, window, change[side])
      else if (r < 0.7) change[side].push({ price: window[Math.floor(random.next() * random.next() * window.length)]!.price, qty: 0 })
      else if (r < 0.9) change[side].push({ price: random.pick(window).price, qty: this.#qty(random) })
      else {
        const hidden = this.#feed.full.top(side).slice(this.depth)
        // Mostly just past the window, where pushed-out levels wait to come back.
        if (hidden.length > 0) change[side].push({ price: hidden[Math.floor(random.next() ** 3 * hidden.length)]!.price, qty: random.chance(0.5) ? 0 : this.#qty(random) })
      }
    }
    this.#refill(change)
    let visible = this.#feed.update(change.bids, change.asks)
    while (visible === undefined) {
      // Only hidden levels changed: add a visible amount change, as a busy market would.
      const side: Side = random.chance(0.5) ? 'bids' : 'asks'
      visible = this.#feed.update(side === 'bids' ? [this.#reprice(random, side)] : [], side === 'asks' ? [this.#reprice(random, side)] : [])
    }
    this.#latest = timestamp
    this.#record(timestamp)
    return { symbol: this.pair.symbol, bids: visible.bids, asks: visible.asks, checksum: this.checksum(), timestamp: microsToIso(timestamp) }
  }

  #insert(random: SeededRandom, side: Side, window: readonly WireLevel[], into: WireLevel[]): void {
    const sign = side === 'bids' ? -1 : 1
    const best = side === 'bids' ? this.pair.midTick : this.pair.midTick + 1
    const worst = Math.round(window.at(-1)!.price * 10 ** this.pair.pricePrecision)
    const tick = best + sign * random.int(0, Math.abs(worst - best))
    if (!this.#feed.full[side].has(this.#price(tick))) into.push({ price: this.#price(tick), qty: this.#qty(random) })
  }

  #reprice(random: SeededRandom, side: Side): WireLevel {
    const level = random.pick(this.#feed.full.top(side, this.depth))
    let qty = this.#qty(random)
    while (qty === level.qty) qty = this.#qty(random)
    return { price: level.price, qty }
  }

  /** Keeps the hidden reserve from running dry, far beyond the window. */
  #refill(change: { bids: WireLevel[]; asks: WireLevel[] }): void {
    for (const side of ['bids', 'asks'] as const) {
      if (this.#feed.full[side].size >= this.depth + this.#reserve / 2) continue
      const sign = side === 'bids' ? -1 : 1
      const far = Math.round(this.#feed.full.top(side).at(-1)!.price * 10 ** this.pair.pricePrecision)
      for (let i = 1; i <= this.#reserve; i++) change[side].push({ price: this.#price(far + sign * SPREAD * i), qty: 1 })
    }
  }

  #record(timestamp: number): void {
    const cut = (side: Side): BookLevel[] => this.#feed.full.top(side, this.depth).map(({ price, qty }) => ({ price, amount: qty }))
    this.#history.set(timestamp, { bids: cut('bids'), asks: cut('asks') })
  }

  #price(tick: number): number {
    return tick / 10 ** this.pair.pricePrecision
  }

  /** Mostly small amounts; some of one unit of precision (1e-8 is written `1e-8` in JSON), some round, some large. */
  #qty(random: SeededRandom): number {
    const unit = 10 ** this.pair.qtyPrecision
    const r = random.next()
    if (r < 0.05) return 1 / unit
    if (r < 0.1) return random.pick([0.1, 1, 2.5, 10])
    if (r < 0.2) return random.int(1, 10_000 * unit) / unit
    return random.int(1, 5 * unit) / unit
  }
}
