/**
 * The two ways Binance proves a diff-depth stream contiguous, as the book
 * sync asks them: where the first event after a REST snapshot must start,
 * and whether an event follows the one before it. Everything else about
 * keeping a book (buffering, refetching a stale snapshot, resync) is the
 * same on every Binance market and lives in book-sync.ts.
 *
 * Spot ("How to manage a local order book correctly",
 * https://developers.binance.com/docs/binance-spot-api-docs/web-socket-streams):
 * update ids are per symbol and consecutive, so an event follows when
 * `U <= previous u + 1`, and the first event after a snapshot must cover
 * `lastUpdateId + 1` (the docs' literal "lastUpdateId within [U;u]" rejects
 * every real sync, see protocols.md §0.1).
 *
 * Futures, USDⓈ-M and COIN-M alike (https://developers.binance.com/docs/derivatives/usds-margined-futures/websocket-market-streams/How-to-manage-a-local-order-book-correctly,
 * https://developers.binance.com/docs/derivatives/coin-margined-futures/websocket-market-streams/How-to-manage-a-local-order-book-correctly):
 * update ids are shared by all symbols, so `U` never follows the previous
 * `u`; each event names the previous event's final id as `pu` instead. Drop
 * events with `u < lastUpdateId` (strict: on the 2021 capture three of four
 * symbols' first event had `u == lastUpdateId`), the first applied one has
 * `U <= lastUpdateId <= u`, and then every `pu` equals the previous `u`.
 * One event the rule applies is not emitted: with `u == lastUpdateId` every
 * change in it is already in the snapshot (`covered`), so it only starts
 * the `pu` chain; emitting it would repeat the snapshot's state at an
 * earlier exchange time.
 */
import type { DepthUpdateIds } from './parse.js'

/**
 * Where an event lies against a snapshot's `lastUpdateId`: `before` (the snapshot holds it: skip
 * it), `covered` (the snapshot holds it and ends with it: the book continues from it, nothing to
 * emit), `straddles` (the book continues from the snapshot with it: emit it), `after` (a hole
 * between the snapshot and it).
 */
export type SnapshotPosition = 'before' | 'covered' | 'straddles' | 'after'

/** A market's depth continuity rule. */
export interface DepthContinuity {
  /** Where `update` lies against the snapshot (see {@link SnapshotPosition}). */
  againstSnapshot(update: DepthUpdateIds, lastUpdateId: number): SnapshotPosition
  /** True when `update` continues right after the event whose final id was `previousFinal` (and is newer). */
  follows(update: DepthUpdateIds, previousFinal: number): boolean
  /** The resync reason when `update` does not follow `previousFinal`. */
  gapReason(update: DepthUpdateIds, previousFinal: number): string
  /** The resync reason when the first event kept after a snapshot lies `after` it. */
  snapshotGapReason(update: DepthUpdateIds, lastUpdateId: number): string
}

/** Binance spot: consecutive per-symbol ids. */
export const SPOT_DEPTH_CONTINUITY: DepthContinuity = {
  againstSnapshot(update, lastUpdateId) {
    if (update.finalUpdateId <= lastUpdateId) return 'before'
    return update.firstUpdateId <= lastUpdateId + 1 ? 'straddles' : 'after'
  },
  follows: (update, previousFinal) => update.firstUpdateId <= previousFinal + 1,
  gapReason: (update, previousFinal) =>
    `gap: expected an event covering update id ${previousFinal + 1}, got ${update.firstUpdateId}..${update.finalUpdateId}`,
  snapshotGapReason: (update, lastUpdateId) => SPOT_DEPTH_CONTINUITY.gapReason(update, lastUpdateId),
}

/** Binance futures (USDⓈ-M and COIN-M): ids shared across symbols, chained by `pu`. */
export const FUTURES_DEPTH_CONTINUITY: DepthContinuity = {
  againstSnapshot(update, lastUpdateId) {
    if (update.finalUpdateId < lastUpdateId) return 'before'
    if (update.finalUpdateId === lastUpdateId) return 'covered'
    return update.firstUpdateId <= lastUpdateId ? 'straddles' : 'after'
  },
  follows: (update, previousFinal) => update.previousUpdateId === previousFinal,
  gapReason: (update, previousFinal) =>
    `gap: expected an event with pu ${previousFinal}, got pu ${update.previousUpdateId} (${update.firstUpdateId}..${update.finalUpdateId})`,
  snapshotGapReason: (update, lastUpdateId) =>
    `gap: the first event after the snapshot must span its lastUpdateId ${lastUpdateId}, got ${update.firstUpdateId}..${update.finalUpdateId}`,
}
