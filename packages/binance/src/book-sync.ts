/**
 * One symbol's diff-depth synchronisation, as Binance documents it for each
 * market ("How to manage a local order book correctly"): buffer the stream,
 * fetch a REST snapshot, start from the event the market's rule says
 * continues the snapshot, then emit only events proven to follow the one
 * before. The rule itself (spot: consecutive ids; futures: `pu` chains) is
 * a {@link DepthContinuity} (depth-continuity.ts); the procedure around it
 * is the same everywhere.
 *
 * Pure state machine: no I/O, no timers. It asks its owner for a snapshot
 * through `requestSnapshot` and pushes the events to emit into `out`.
 *
 *   idle ──first event──▶ buffering ──snapshot fits──▶ live
 *                          ▲   │ snapshot older than stream: refetch
 *                          └───┴──── gap while live: status 'resync'
 */
import { statusEvent } from '@dccd/core'
import type { MarketEvent } from '@dccd/core'
import type { BinanceDepthUpdate } from './parse.js'
import { toLevels } from './parse.js'
import { EXCHANGE_ID } from './capabilities.js'
import { SPOT_DEPTH_CONTINUITY } from './depth-continuity.js'
import type { DepthContinuity } from './depth-continuity.js'
import type { BinanceDepthSnapshot } from './wire.js'

/** Where a {@link BookSync} stands. */
export type BookSyncState = 'idle' | 'buffering' | 'live'

/** Options of {@link BookSync}. */
export interface BookSyncOptions {
  /** Called when a REST snapshot is needed; answer with `onSnapshot` or `onSnapshotFailed`. */
  requestSnapshot: (symbol: string) => void
  /** Events kept while a snapshot is fetched; past this the oldest go (a newer snapshot is then needed). Default 50000. */
  maxBuffered?: number
  /** The market's continuity rule. Default: spot's (`SPOT_DEPTH_CONTINUITY`). */
  continuity?: DepthContinuity
  /** `exchange` of the snapshot events and resync markers it emits. Default `binance`. */
  exchange?: string
}

/** Counters for one symbol. */
export interface BookSyncStats {
  /** Snapshots accepted. */
  snapshots: number
  /** Snapshots discarded because they were older than the buffered stream. */
  refetches: number
  /** Gaps found after the book was live. */
  resyncs: number
}

/**
 * Keeps one symbol's book provably contiguous: snapshot, then only deltas whose ids chain.
 * `BinanceFeed` runs one per symbol; it is exported for replaying recorded data offline.
 *
 * @example
 * const out: MarketEvent[] = []
 * const sync = new BookSync('BTCUSDT', { requestSnapshot: (s) => fetchLater(s) })
 * sync.onUpdate(parseFrame(frame, nowMicros()) as BinanceDepthUpdate, out) // buffered
 * sync.onSnapshot(await depth('BTCUSDT'), nowMicros(), out) // out: snapshot, then proven deltas
 */
export class BookSync {
  readonly symbol: string
  readonly stats: BookSyncStats = { snapshots: 0, refetches: 0, resyncs: 0 }
  readonly #requestSnapshot: (symbol: string) => void
  readonly #maxBuffered: number
  readonly #rule: DepthContinuity
  readonly #exchange: string
  #state: BookSyncState = 'idle'
  /** Stream events while buffering; each follows the one before by the market's rule. */
  #buffer: BinanceDepthUpdate[] = []
  /** Final update id the consumer's book is at (live only): the snapshot's, then the last applied event's. */
  #bookId = 0
  /** True once an event was applied after the snapshot: later ones must follow it, the first had to continue the snapshot. */
  #chained = false
  #fetching = false

  constructor(symbol: string, options: BookSyncOptions) {
    this.symbol = symbol
    this.#requestSnapshot = options.requestSnapshot
    this.#maxBuffered = options.maxBuffered ?? 50_000
    this.#rule = options.continuity ?? SPOT_DEPTH_CONTINUITY
    this.#exchange = options.exchange ?? EXCHANGE_ID
  }

  get state(): BookSyncState {
    return this.#state
  }

  /** True while the book is live: its snapshot applied and every delta since proven contiguous. */
  get live(): boolean {
    return this.#state === 'live'
  }

  /** Last update id applied to the book (meaningful when live). */
  get bookId(): number {
    return this.#bookId
  }

  /** Events waiting for a snapshot. */
  get buffered(): number {
    return this.#buffer.length
  }

  /** True while a snapshot request is outstanding. */
  get fetching(): boolean {
    return this.#fetching
  }

  /** One diff-depth event from the stream. Emits nothing until the book is live. */
  onUpdate(update: BinanceDepthUpdate, out: MarketEvent[]): void {
    if (this.#state === 'live') {
      this.#applyLive(update, out)
    } else if (this.#state === 'idle') {
      this.#startBuffering(update)
    } else {
      this.#bufferUpdate(update)
    }
  }

  /**
   * The REST snapshot arrived. Emits the snapshot and every buffered delta it
   * proves, or asks again when the snapshot predates the buffered stream.
   *
   * @param localTimestamp receive time, µs: the event's timestamp unless the body carries its
   *   transaction time `T` (futures; spot's carries no exchange time)
   */
  onSnapshot(snapshot: BinanceDepthSnapshot, localTimestamp: number, out: MarketEvent[]): void {
    this.#fetching = false
    // Stale answer: the book went live meanwhile, or was invalidated and has no stream to check against yet.
    if (this.#state !== 'buffering' || this.#buffer.length === 0) return
    const lastUpdateId = snapshot.lastUpdateId
    // A hole between the snapshot and the first buffered event: the snapshot is too old.
    if (this.#rule.againstSnapshot(this.#buffer[0]!, lastUpdateId) === 'after') {
      this.stats.refetches++
      this.#request()
      return
    }
    this.stats.snapshots++
    out.push({
      type: 'book',
      exchange: this.#exchange,
      symbol: this.symbol,
      isSnapshot: true,
      bids: toLevels(snapshot.bids),
      asks: toLevels(snapshot.asks),
      timestamp: snapshot.T === undefined ? localTimestamp : snapshot.T * 1000,
      localTimestamp,
    })
    this.#state = 'live'
    this.#bookId = lastUpdateId
    this.#chained = false
    const buffered = this.#buffer
    this.#buffer = []
    // Events the snapshot holds are dropped inside #applyLive; the first one kept must
    // continue the snapshot, else it is a gap and we resync.
    for (let i = 0; i < buffered.length; i++) {
      if (this.#state !== 'live') {
        this.#bufferUpdate(buffered[i]!)
      } else {
        this.#applyLive(buffered[i]!, out)
      }
    }
  }

  /** The snapshot request failed; ask again if one is still needed (the owner paces retries). */
  onSnapshotFailed(): void {
    this.#fetching = false
    if (this.#state === 'buffering') this.#request()
  }

  /**
   * The stream feeding this book was lost (disconnect). A live book gets a
   * `resync` marker; everything restarts from the next event and a fresh snapshot.
   */
  invalidate(reason: string, localTimestamp: number, out: MarketEvent[]): void {
    if (this.#state === 'live') this.#emitResync(reason, localTimestamp, out)
    this.#state = 'idle'
    this.#buffer = []
  }

  #applyLive(update: BinanceDepthUpdate, out: MarketEvent[]): void {
    const rule = this.#rule
    if (this.#chained) {
      // Already in the book (a rotation overlap).
      if (update.finalUpdateId <= this.#bookId) return
      if (!rule.follows(update, this.#bookId)) return this.#gap(rule.gapReason(update, this.#bookId), update, out)
    } else {
      const position = rule.againstSnapshot(update, this.#bookId)
      // The snapshot holds it already.
      if (position === 'before') return
      if (position === 'after') return this.#gap(rule.snapshotGapReason(update, this.#bookId), update, out)
      this.#chained = true
      // The snapshot ends with it: the chain starts here, with nothing new to emit.
      if (position === 'covered') return
    }
    this.#bookId = update.finalUpdateId
    out.push(update.event)
  }

  #gap(reason: string, update: BinanceDepthUpdate, out: MarketEvent[]): void {
    this.#emitResync(reason, update.event.localTimestamp, out)
    this.#startBuffering(update)
  }

  #startBuffering(update: BinanceDepthUpdate): void {
    this.#state = 'buffering'
    this.#buffer = [update]
    this.#request()
  }

  #bufferUpdate(update: BinanceDepthUpdate): void {
    const last = this.#buffer[this.#buffer.length - 1]
    if (last === undefined) return this.#startBuffering(update)
    if (update.finalUpdateId <= last.finalUpdateId) return
    if (!this.#rule.follows(update, last.finalUpdateId)) {
      // A hole inside the buffer: nothing before it can be proven. Keep the stream from here;
      // a snapshot already in flight is judged against this new first event.
      this.#buffer = [update]
      this.#request()
      return
    }
    this.#buffer.push(update)
    if (this.#buffer.length > this.#maxBuffered) this.#buffer.shift()
  }

  #request(): void {
    if (this.#fetching) return
    this.#fetching = true
    this.#requestSnapshot(this.symbol)
  }

  #emitResync(reason: string, localTimestamp: number, out: MarketEvent[]): void {
    this.stats.resyncs++
    out.push(statusEvent(this.#exchange, 'resync', { symbol: this.symbol, channel: 'book', reason }, localTimestamp))
  }
}
