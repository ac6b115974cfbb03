/**
 * What OKX's `trades` rows aggregate. A row stands for the fills of one
 * taker order at one price (`count` of them); the REST history that
 * recovers a hole lists fills one by one. A row's `tradeId` is taken to be
 * its LAST fill's id (OKX's docs do not say which: an assumption), so the
 * fills just below a row's id belong to it: they are neither a hole before
 * it nor recovered again beside it.
 */
/** Rows remembered per instrument: recovery asks about a row that has just arrived. */
const REMEMBERED = 256

/** Recent rows with `count` > 1, per instrument. */
export class AggregateCounts {
  readonly #rows = new Map<string, Map<number, number>>()

  /** Remembers a row of `count` fills (nothing to remember for 1). */
  note(symbol: string, id: number, count: number): void {
    if (count <= 1) return
    let rows = this.#rows.get(symbol)
    if (rows === undefined) this.#rows.set(symbol, (rows = new Map()))
    rows.set(id, count)
    // Maps keep insertion order: the first key is the oldest.
    if (rows.size > REMEMBERED) rows.delete(rows.keys().next().value!)
  }

  /** Fills the row `id` of `symbol` aggregates: 1 unless it was noted. */
  countOf(symbol: string, id: number): number {
    return this.#rows.get(symbol)?.get(id) ?? 1
  }

  /** The first fill a row stands for: `id - count + 1` (its own id for a single fill). */
  firstFill(symbol: string, id: number): number {
    return id - this.countOf(symbol, id) + 1
  }
}
