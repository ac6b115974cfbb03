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
import type { BookEvent, MarketEvent } from '@dccd/core'
import type { BinanceDepthUpdate, DepthIdsHolder, DepthUpdateIds } from './parse.js'
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
  #buffered: BookEvent[] = []
  /** Their update ids, three numbers per event: `U`, `u`, `pu` (NaN where the market has none). */
  #bufferedIds: number[] = []
  /**
   * Index of the first buffered event still kept: past `maxBuffered` the oldest are dropped by moving
   * it (a `shift()` per event moved the whole buffer each time, 50,000 events per frame).
   */
  #bufferedHead = 0
  /**
   * Final update id of the last event kept: while buffering, the last buffered one's; while live,
   * the book's (the snapshot's, then the last applied event's).
   */
  #lastId = 0
  /**
   * True when the next event must follow `#lastId` by the market's rule: while buffering, and once
   * live after the first event continued the snapshot (which the rule judges against the snapshot instead).
   */
  #chained = false
  #fetching = false
  /** The buffered ids of one event, handed to the rule while the buffer is replayed. */
  readonly #replayIds: DepthIdsHolder = { firstUpdateId: 0, finalUpdateId: 0, previousUpdateId: undefined }

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
    return this.#lastId
  }

  /** Events waiting for a snapshot. */
  get buffered(): number {
    return this.#buffered.length - this.#bufferedHead
  }

  /** True while a snapshot request is outstanding. */
  get fetching(): boolean {
    return this.#fetching
  }

  /** One diff-depth event from the stream. Emits nothing until the book is live. */
  onUpdate(update: BinanceDepthUpdate, out: MarketEvent[]): void {
    this.onDepth(update, update.event, out)
  }

  /**
   * {@link onUpdate} with the event's ids and its delta apart, so a feed needs no wrapper per frame:
   * `ids` is read during the call only (one holder may serve every call); `event` is kept or emitted.
   */
  onDepth(ids: DepthUpdateIds, event: BookEvent, out: MarketEvent[]): void {
    // Buffering and live share this path: both drop what the last kept event covers and keep an event
    // only if it follows that one by the rule. Code optimized while the books buffer then has the
    // feedback of the live path too; with a path per state it deoptimized on the first live event.
    if (!this.#chained) return this.#unchained(ids, event, out)
    const lastId = this.#lastId
    // Already kept (a rotation overlap).
    if (ids.finalUpdateId <= lastId) return
    if (!this.#rule.follows(ids, lastId)) return this.#broken(ids, event, out)
    this.#lastId = ids.finalUpdateId
    const live = this.#state === 'live'
    ;(live ? out : this.#buffered).push(event)
    if (!live) this.#keepIds(ids)
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
    const head = this.#bufferedHead
    if (this.#state !== 'buffering' || this.#buffered.length === head) return
    const lastUpdateId = snapshot.lastUpdateId
    const ids = this.#bufferedIds
    // A hole between the snapshot and the first buffered event: the snapshot is too old.
    if (this.#rule.againstSnapshot(this.#idsAt(ids, head), lastUpdateId) === 'after') {
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
    this.#lastId = lastUpdateId
    this.#chained = false
    const buffered = this.#buffered
    this.#clearBuffer()
    // Events the snapshot holds are dropped; the first one kept must continue the snapshot, else it
    // is a gap and we resync (the events after it are buffered again).
    for (let i = head; i < buffered.length; i++) this.onDepth(this.#idsAt(ids, i), buffered[i]!, out)
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
    this.#chained = false
    this.#clearBuffer()
  }

  /** The first event while idle, or the first ones after a snapshot (judged against it, not against a predecessor). */
  #unchained(ids: DepthUpdateIds, event: BookEvent, out: MarketEvent[]): void {
    if (this.#state !== 'live') return this.#startBuffering(ids, event)
    const rule = this.#rule
    const position = rule.againstSnapshot(ids, this.#lastId)
    // The snapshot holds it already.
    if (position === 'before') return
    if (position === 'after') {
      this.#emitResync(rule.snapshotGapReason(ids, this.#lastId), event.localTimestamp, out)
      return this.#startBuffering(ids, event)
    }
    this.#chained = true
    // The snapshot ends with it: the chain starts here, with nothing new to emit.
    if (position === 'covered') return
    this.#lastId = ids.finalUpdateId
    out.push(event)
  }

  /** `ids` does not follow the last event kept: a gap while live (resync), a hole inside the buffer. */
  #broken(ids: DepthUpdateIds, event: BookEvent, out: MarketEvent[]): void {
    if (this.#state === 'live') this.#emitResync(this.#rule.gapReason(ids, this.#lastId), event.localTimestamp, out)
    // Nothing before it can be proven. Keep the stream from here; a snapshot already in flight is
    // judged against this new first event.
    this.#startBuffering(ids, event)
  }

  #startBuffering(ids: DepthUpdateIds, event: BookEvent): void {
    this.#state = 'buffering'
    this.#chained = true
    this.#lastId = ids.finalUpdateId
    this.#clearBuffer()
    this.#buffered.push(event)
    this.#keepIds(ids)
    this.#request()
  }

  #keepIds(ids: DepthUpdateIds): void {
    this.#bufferedIds.push(ids.firstUpdateId, ids.finalUpdateId, ids.previousUpdateId ?? Number.NaN)
    if (this.#buffered.length - this.#bufferedHead > this.#maxBuffered) {
      // Drops the oldest; once the dropped part is as long as the kept one, the arrays are cut to the kept part.
      const head = ++this.#bufferedHead
      if (head >= this.#maxBuffered) {
        this.#buffered = this.#buffered.slice(head)
        this.#bufferedIds = this.#bufferedIds.slice(3 * head)
        this.#bufferedHead = 0
      }
    }
  }

  #clearBuffer(): void {
    this.#buffered = []
    this.#bufferedIds = []
    this.#bufferedHead = 0
  }

  /** The ids of buffered event `i` of `ids`, in the replay holder. */
  #idsAt(ids: readonly number[], i: number): DepthUpdateIds {
    const holder = this.#replayIds
    holder.firstUpdateId = ids[3 * i]!
    holder.finalUpdateId = ids[3 * i + 1]!
    const previous = ids[3 * i + 2]!
    holder.previousUpdateId = Number.isNaN(previous) ? undefined : previous
    return holder
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
