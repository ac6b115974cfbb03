import type { BookLevel } from '@dccd/core'
import { seededRandom } from '../rng.js'
import { finish, type BookStream, type Frame } from './frames.js'
import type { BookDump } from './impls.js'

/** Knobs of the generated stream; the defaults are what `pnpm bench` uses. */
export interface GenerateOptions {
  /** Level updates after the snapshot. Default 1,000,000. */
  readonly updates?: number
  /** PRNG seed. Default 20211012. */
  readonly seed?: number
  /** Mean levels per frame. Default 4.5 (1 + exponential). */
  readonly meanLevelsPerFrame?: number
  /** Target share of updates that delete a level. Default 0.10. */
  readonly deleteShare?: number
  /** Share of picks that go anywhere in the book instead of near the top. Default 0.02. */
  readonly farShare?: number
  /** Symbol name of the one book. Default `NKNUSDT`. */
  readonly symbol?: string
  /**
   * Called after each delta frame with a reader of the generator's own book
   * (best `depth` levels of a side as `[price, amount, ...]`), e.g. to
   * compute the checksum an exchange would send.
   */
  readonly onFrame?: (top: (side: 'bids' | 'asks', depth: number) => number[]) => void
}

/** A generated stream plus the book it must end in, and what it contains. */
export interface GeneratedStream extends BookStream {
  readonly expected: BookDump
  readonly stats: { deletes: number; inserts: number; changes: number; far: number; frames: number }
}

// Prices are kept as integers in units of 1e-8 (Binance's 8 decimals), so
// `units / 1e8` is the same double as parsing the decimal string.
const SCALE = 1e8

/**
 * A seeded, reproducible stream that starts with `snapshot` and then moves
 * the book like a busy market: picks are near the top (exponential rank,
 * mean 6), `deleteShare` of updates remove a level, a few land anywhere in
 * the book or far outside it, and inserts are balanced against deletes so
 * the book keeps about its initial size. The book never crosses.
 */
export function generateStream(snapshot: { bids: readonly BookLevel[]; asks: readonly BookLevel[] }, options: GenerateOptions = {}): GeneratedStream {
  const rand = seededRandom(options.seed ?? 20211012)
  const total = options.updates ?? 1_000_000
  const meanExtra = (options.meanLevelsPerFrame ?? 4.5) - 1
  const deleteShare = options.deleteShare ?? 0.1
  const farShare = options.farShare ?? 0.02
  const exp = (mean: number): number => -Math.log(1 - rand()) * mean
  const bids = new Side(snapshot.bids, -1)
  const asks = new Side(snapshot.asks, 1)
  const step = Math.min(bids.minStep(), asks.minStep())
  const top = (side: 'bids' | 'asks', depth: number): number[] => (side === 'bids' ? bids : asks).dump(depth)
  const stats = { deletes: 0, inserts: 0, changes: 0, far: 0, frames: 0 }
  const frames: Frame[] = [{ book: 0, isSnapshot: true, bids: snapshot.bids, asks: snapshot.asks }]
  let made = 0
  while (made < total) {
    const frame = { book: 0, isSnapshot: false, bids: [] as BookLevel[], asks: [] as BookLevel[] }
    const count = Math.min(total - made, 1 + Math.floor(exp(meanExtra)))
    for (let k = 0; k < count; k++) {
      const isBid = rand() < 0.5
      const side = isBid ? bids : asks
      const other = isBid ? asks : bids
      const far = rand() < farShare
      if (far) stats.far++
      const rank = far ? Math.floor(rand() * side.size) : Math.min(side.size - 1, Math.floor(exp(6)))
      // Inserts are steered to keep the book near its starting size.
      const insertShare = Math.min(0.3, Math.max(0.02, deleteShare + ((side.initial - side.size) / side.initial) * 2))
      const roll = rand()
      let units: number
      let amount = 0
      if (roll < deleteShare && side.size > 50) {
        units = side.remove(rank)
        stats.deletes++
      } else {
        amount = Math.max(1, Math.round(exp(2000) * 100)) / 100
        units = roll < deleteShare + insertShare ? side.freeUnits(far ? rank * 3 : rank - 1, step, other) : -1
        if (units < 0) units = side.unitsAt(rank)
        if (side.put(units, amount)) stats.inserts++
        else stats.changes++
      }
      ;(isBid ? frame.bids : frame.asks).push({ price: units / SCALE, amount })
    }
    made += count
    frames.push(frame)
    options.onFrame?.(top)
  }
  stats.frames = frames.length - 1
  const stream = finish('generated', [options.symbol ?? 'NKNUSDT'], frames)
  return { ...stream, expected: [{ bids: bids.dump(), asks: asks.dump() }], stats }
}

/** One side of the generator's own book: units best-first plus amounts. */
class Side {
  readonly units: number[]
  readonly amounts = new Map<number, number>()
  readonly initial: number

  /** @param away -1 for bids (worse = lower), 1 for asks (worse = higher). */
  constructor(levels: readonly BookLevel[], readonly away: 1 | -1) {
    this.units = levels.map((l) => Math.round(l.price * SCALE))
    levels.forEach((l, i) => this.amounts.set(this.units[i]!, l.amount))
    this.initial = levels.length
  }

  get size(): number {
    return this.units.length
  }

  unitsAt(rank: number): number {
    return this.units[rank]!
  }

  /** Smallest price step among the top 50 levels: the tick. */
  minStep(): number {
    let step = Infinity
    for (let i = 1; i < Math.min(50, this.units.length); i++) step = Math.min(step, Math.abs(this.units[i]! - this.units[i - 1]!))
    return step
  }

  /** A free price `distance` ticks behind the best (negative: better than best, if that does not cross), or -1. */
  freeUnits(distance: number, step: number, other: Side): number {
    for (let d = distance; d < distance + 6; d++) {
      const units = this.units[0]! + this.away * d * step
      if (units <= 0) return -1
      if (other.size > 0 && this.away * (other.units[0]! - units) >= 0) continue
      if (!this.amounts.has(units)) return units
    }
    return -1
  }

  /** Sets a level; returns true when it was new. */
  put(units: number, amount: number): boolean {
    const isNew = !this.amounts.has(units)
    this.amounts.set(units, amount)
    if (isNew) this.units.splice(this.position(units), 0, units)
    return isNew
  }

  remove(rank: number): number {
    const [units] = this.units.splice(rank, 1)
    this.amounts.delete(units!)
    return units!
  }

  /** `[price, amount, ...]` best-first, the best `depth` levels (default all). */
  dump(depth = Infinity): number[] {
    const out: number[] = []
    const n = Math.min(depth, this.units.length)
    for (let i = 0; i < n; i++) out.push(this.units[i]! / SCALE, this.amounts.get(this.units[i]!)!)
    return out
  }

  /** Index where `units` belongs, best-first. */
  private position(units: number): number {
    let lo = 0
    let hi = this.units.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (this.away * (this.units[mid]! - units) < 0) lo = mid + 1
      else hi = mid
    }
    return lo
  }
}
