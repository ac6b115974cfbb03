/**
 * Synthetic Kraken v2 sessions whose books overflow the subscribed depth, with
 * correct checksums. The capture never pushes a level out of a 1000-deep book
 * (protocols §0.4), so truncation needs data of its own.
 *
 * A "server" holds a full book deeper than the subscription and serves it at
 * `depth` through {@link ShallowFeed}: inserts inside the window push levels
 * past the depth without a message; deletions inside it pull the next level
 * in; changes beyond the window are never sent. Enough deletions near the top
 * bring formerly pushed-out prices back into the top 10, so a client that does
 * not truncate ends up with stale levels and wrong checksums.
 */
import { SeededRandom } from '@dccd/testkit'
import type { SessionLine } from './session.js'
import type { WireLevel } from './reference-book.js'
import { ShallowFeed } from './shallow-feed.js'

export interface SyntheticOptions {
  /** Subscribed depth (25, 1000, …). */
  depth: number
  /** Update messages to generate (messages with no visible change are not sent). */
  updates: number
  /** PRNG seed; the same seed gives the same session. Default 1. */
  seed?: number
  /** Default `SYN/USD`. */
  symbol?: string
  /** Default 1 (prices on a 0.1 tick). */
  pricePrecision?: number
  /** Default 8. */
  qtyPrecision?: number
}

/** A replayable session: status, instrument, book subscription and acks, snapshot, updates. */
export function syntheticOverflowSession(options: SyntheticOptions): SessionLine[] {
  const { depth, updates, seed = 1, symbol = 'SYN/USD', pricePrecision = 1, qtyPrecision = 8 } = options
  const seeded = new SeededRandom(seed)
  const random = (): number => seeded.next()
  const scale = 10 ** pricePrecision
  const priceOf = (tick: number): number => tick / scale
  // Bids live on ticks <= MID, asks above it, so the book never crosses.
  const MID = 100_000
  const spread = 3
  const qty = (): number => {
    const r = random()
    if (r < 0.05) return 1e-8
    if (r < 0.1) return 0.1
    return Math.round(random() * 5e9) / 1e8
  }
  const extra = Math.max(40, Math.ceil(depth / 5))
  const initial = (sign: 1 | -1): WireLevel[] =>
    Array.from({ length: depth + extra }, (_, i) => ({ price: priceOf(MID + (sign === 1 ? 1 : 0) + sign * spread * i), qty: qty() }))
  const feed = new ShallowFeed(depth)
  let t = 1_700_000_000_000
  const lines: SessionLine[] = []
  const push = (dir: 'in' | 'out', data: unknown): void => void lines.push({ t: (t += 1), dir, data })
  push('in', { channel: 'status', type: 'update', data: [{ api_version: 'v2', system: 'online', version: '2.0.10' }] })
  push('out', { method: 'subscribe', params: { channel: 'instrument', snapshot: true }, req_id: 1 })
  push('in', { method: 'subscribe', result: { channel: 'instrument', snapshot: true }, success: true, req_id: 1 })
  push('in', {
    channel: 'instrument',
    type: 'snapshot',
    data: {
      assets: [],
      pairs: [{ symbol, base: symbol.split('/')[0], quote: symbol.split('/')[1], status: 'online', price_precision: pricePrecision, qty_precision: qtyPrecision, price_increment: 1 / scale, qty_increment: 1e-8, qty_min: 1e-8 }],
    },
  })
  push('out', { method: 'subscribe', params: { channel: 'book', symbol: [symbol], depth, snapshot: true }, req_id: 2 })
  push('in', { method: 'subscribe', result: { channel: 'book', depth, snapshot: true, symbol }, success: true, req_id: 2 })
  const snap = feed.snapshot(initial(-1), initial(1))
  push('in', { channel: 'book', type: 'snapshot', data: [{ symbol, bids: snap.bids, asks: snap.asks, checksum: feed.full.checksum(pricePrecision, qtyPrecision) }] })

  let sent = 0
  while (sent < updates) {
    const change = { bids: [] as WireLevel[], asks: [] as WireLevel[] }
    const count = 1 + Math.floor(random() * 3)
    for (let k = 0; k < count; k++) {
      const side = random() < 0.5 ? 'bids' : 'asks'
      const sign = side === 'bids' ? -1 : 1
      const window = feed.full.top(side, depth)
      const worstTick = Math.round(window[window.length - 1]!.price * scale)
      const bestTick = side === 'bids' ? MID : MID + 1
      const r = random()
      if (r < 0.4) {
        // Insert inside the window (between the best possible tick and the D-th level): pushes the D-th out.
        const span = Math.abs(worstTick - bestTick)
        const tick = bestTick + sign * Math.floor(random() * span)
        if (!feed.full[side].has(priceOf(tick))) change[side].push({ price: priceOf(tick), qty: qty() })
      } else if (r < 0.75) {
        // Delete inside the window, mostly near the top: pulls deeper (maybe stale) levels up.
        const index = Math.floor(random() * random() * window.length)
        change[side].push({ price: window[index]!.price, qty: 0 })
      } else if (r < 0.9) {
        const index = Math.floor(random() * window.length)
        change[side].push({ price: window[index]!.price, qty: qty() })
      } else {
        // Beyond the window: change or delete a hidden level (never sent at this depth).
        const hidden = feed.full.top(side).slice(depth)
        if (hidden.length > 0) {
          // Mostly just past the window, where pushed-out levels sit and soon come back in.
          const level = hidden[Math.floor(random() ** 3 * hidden.length)]!
          change[side].push({ price: level.price, qty: random() < 0.5 ? 0 : qty() })
        }
      }
    }
    // Keep the hidden reserve from running dry, far beyond the window.
    for (const side of ['bids', 'asks'] as const) {
      if (feed.full[side].size < depth + extra / 2) {
        const sign = side === 'bids' ? -1 : 1
        const far = Math.round(feed.full.top(side).at(-1)!.price * scale)
        for (let i = 1; i <= extra; i++) change[side].push({ price: priceOf(far + sign * spread * i), qty: qty() })
      }
    }
    const visible = feed.update(change.bids, change.asks)
    if (visible === undefined) continue
    sent++
    push('in', {
      channel: 'book',
      type: 'update',
      data: [{ symbol, bids: visible.bids, asks: visible.asks, checksum: feed.full.checksum(pricePrecision, qtyPrecision), timestamp: new Date(t).toISOString().replace('Z', '123Z') }],
    })
  }
  return lines
}
