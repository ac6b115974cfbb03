/**
 * Serves a depth-D Kraken book from a deeper one, the way Kraken does
 * (protocols §2.8, fixtures README): the snapshot cut to D levels; for each
 * update, only the levels whose value inside the best D changed — qty 0 for a
 * level that left the book, the level that moves into the window when one
 * leaves it — and nothing for a level an insert pushed past D (the client
 * truncates). The top-10 checksum is unchanged, since D ≥ 10.
 */
import { ReferenceBook } from './reference-book.js'
import type { Side, WireLevel } from './reference-book.js'

export class ShallowFeed {
  /** The full book the server holds. */
  readonly full = new ReferenceBook()

  constructor(readonly depth: number) {}

  /** Load the full book; returns what a depth-D snapshot shows. */
  snapshot(bids: readonly WireLevel[], asks: readonly WireLevel[]): { bids: WireLevel[]; asks: WireLevel[] } {
    this.full.load(bids, asks)
    return { bids: this.full.top('bids', this.depth), asks: this.full.top('asks', this.depth) }
  }

  /**
   * Apply an update to the full book; returns the depth-D update Kraken would
   * send, or `undefined` when nothing inside the window changed (no message).
   */
  update(bids: readonly WireLevel[], asks: readonly WireLevel[]): { bids: WireLevel[]; asks: WireLevel[] } | undefined {
    const before = { bids: this.full.top('bids', this.depth), asks: this.full.top('asks', this.depth) }
    this.full.apply(bids, asks)
    const out = { bids: this.#delta('bids', before.bids), asks: this.#delta('asks', before.asks) }
    return out.bids.length === 0 && out.asks.length === 0 ? undefined : out
  }

  #delta(side: Side, before: readonly WireLevel[]): WireLevel[] {
    const after = this.full.top(side, this.depth)
    const afterPrices = new Set(after.map((level) => level.price))
    const beforeQty = new Map(before.map((level) => [level.price, level.qty]))
    const changes: WireLevel[] = []
    for (const level of before) {
      // Left the window: a deletion is announced; a push past D is not.
      if (!afterPrices.has(level.price) && !this.full[side].has(level.price)) changes.push({ price: level.price, qty: 0 })
    }
    for (const level of after) {
      if (beforeQty.get(level.price) !== level.qty) changes.push(level)
    }
    return changes
  }
}
