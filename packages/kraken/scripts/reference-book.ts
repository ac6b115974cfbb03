/**
 * A deliberately naive Kraken book for deriving and checking test data: one
 * Map per side, sorted on every read, checksum string built with plain string
 * operations. Independent of the adapter's OrderBook and checksum code, so the
 * tests compare two implementations rather than one with itself.
 */
import { crc32 } from 'node:zlib'

export interface WireLevel {
  price: number
  qty: number
}

export type Side = 'bids' | 'asks'

export class ReferenceBook {
  readonly bids = new Map<number, number>()
  readonly asks = new Map<number, number>()

  /** Replace the book (snapshot). */
  load(bids: readonly WireLevel[], asks: readonly WireLevel[]): void {
    this.bids.clear()
    this.asks.clear()
    this.apply(bids, asks)
  }

  /** Apply levels in array order; qty 0 deletes. */
  apply(bids: readonly WireLevel[], asks: readonly WireLevel[]): void {
    for (const { price, qty } of bids) setLevel(this.bids, price, qty)
    for (const { price, qty } of asks) setLevel(this.asks, price, qty)
  }

  /** Best `n` levels of a side, best first (all when n is omitted). */
  top(side: Side, n = Infinity): WireLevel[] {
    const levels = [...this[side]].map(([price, qty]) => ({ price, qty }))
    levels.sort(side === 'bids' ? (a, b) => b.price - a.price : (a, b) => a.price - b.price)
    return levels.slice(0, n)
  }

  /** Keep only the best `depth` levels per side. */
  truncate(depth: number): void {
    for (const side of ['bids', 'asks'] as const) {
      const keep = new Set(this.top(side, depth).map((level) => level.price))
      for (const price of [...this[side].keys()]) if (!keep.has(price)) this[side].delete(price)
    }
  }

  /** Kraken v2 checksum: top 10 asks ascending then top 10 bids descending. */
  checksum(pricePrecision: number, qtyPrecision: number): number {
    let text = ''
    for (const side of ['asks', 'bids'] as const) {
      for (const { price, qty } of this.top(side, 10)) {
        text += stripped(price.toFixed(pricePrecision)) + stripped(qty.toFixed(qtyPrecision))
      }
    }
    return crc32(text) >>> 0
  }
}

function setLevel(side: Map<number, number>, price: number, qty: number): void {
  if (qty === 0) side.delete(price)
  else side.set(price, qty)
}

function stripped(fixed: string): string {
  return fixed.split('.').join('').replace(/^0+/, '')
}
