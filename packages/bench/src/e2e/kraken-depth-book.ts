/**
 * A Kraken v2 book kept the way Kraken's docs tell a client to keep one, in
 * plain sorted arrays: apply an entry's levels in order, cut each side to the
 * subscribed depth (Kraken sends nothing for levels pushed out), and CRC32
 * the top 10 written with the instrument's precisions. The session generator
 * computes every checksum it sends with it, and the hand-written client keeps
 * its books with it: the code a user writes instead of a library.
 */
import { SortedArraySide } from '../book/sorted-array.js'
import { krakenReferenceChecksum } from '../kraken-reference-checksum.js'

/** The depth the capture was subscribed at, and every client subscribes at. */
export const KRAKEN_DEPTH = 1000

/** A level as Kraken v2 sends it. */
export interface KrakenLevel {
  readonly price: number
  readonly qty: number
}

/** One symbol's entry of a `book` message. */
export interface KrakenBookEntry {
  readonly symbol: string
  readonly bids: readonly KrakenLevel[]
  readonly asks: readonly KrakenLevel[]
  readonly checksum: number
  readonly timestamp?: string
}

/** What the `instrument` channel says about a pair: the decimals its checksum is written with. */
export interface KrakenPair {
  readonly symbol: string
  readonly price_precision: number
  readonly qty_precision: number
}

export class KrakenDepthBook {
  readonly bids = new SortedArraySide(true)
  readonly asks = new SortedArraySide(false)

  constructor(private readonly pair: KrakenPair) {}

  /** Applies one entry: a snapshot replaces the book; then each level in order; then the cut to depth. */
  apply(entry: KrakenBookEntry, isSnapshot: boolean): void {
    if (isSnapshot) {
      this.bids.clear()
      this.asks.clear()
    }
    const { bids, asks } = entry
    for (let i = 0; i < bids.length; i++) this.bids.set(bids[i]!.price, bids[i]!.qty)
    for (let i = 0; i < asks.length; i++) this.asks.set(asks[i]!.price, asks[i]!.qty)
    this.bids.truncate(KRAKEN_DEPTH)
    this.asks.truncate(KRAKEN_DEPTH)
  }

  /** The checksum Kraken sends with the book as it stands. */
  checksum(): number {
    return krakenReferenceChecksum(this.asks.top(10), this.bids.top(10), this.pair.price_precision, this.pair.qty_precision)
  }

  /** The bench's dump format. */
  dump(): { bids: number[]; asks: number[] } {
    return { bids: this.bids.dump(), asks: this.asks.dump() }
  }
}
