/**
 * Trade de-duplication by id, per stream, across reconnects and restarts.
 * Kraken's v2 trade channel replays recent trades on every subscribe and a
 * Binance reconnect can overlap, so a trade whose id is not after the last
 * recorded one is a duplicate. Ids made of digits compare numerically
 * (exactly, as strings of any length); other ids fall back to a bounded set
 * of recently seen ids.
 */

/** What the recorder checkpoints per trade stream. */
export interface TradeCheckpoint {
  /** Last recorded trade id. */
  readonly lastId: string
  /**
   * Its exchange time, µs. When a gap marker moved `lastId`, the time of
   * the last trade before it (a marker has no exchange time of its own).
   */
  readonly timestamp: number
  /** When it was received, µs. */
  readonly localTimestamp: number
}

/** A run of missing trade ids (inclusive). */
export interface TradeGap {
  readonly fromId: string
  readonly toId: string
  /** The previous trade was recorded by an earlier run. */
  readonly acrossRestart: boolean
  /** Receive time of the previous trade, µs. */
  readonly since: number
}

/** Outcome of {@link TradeDedup.check}. */
export type TradeVerdict = { readonly duplicate: true } | { readonly duplicate: false; readonly gap?: TradeGap }

const RECENT_LIMIT = 10_000
const DIGITS = /^\d+$/

/** Compares two digit strings numerically; undefined when either is not all digits. */
export function compareIds(a: string, b: string): number | undefined {
  if (!DIGITS.test(a) || !DIGITS.test(b)) return undefined
  const x = a.replace(/^0+(?=\d)/, '')
  const y = b.replace(/^0+(?=\d)/, '')
  if (x.length !== y.length) return x.length - y.length
  return x < y ? -1 : x > y ? 1 : 0
}

interface StreamState {
  last: TradeCheckpoint | undefined
  /** `last` came from a previous run and no trade has been recorded since. */
  restored: boolean
  recent: Set<string>
}

/** Remembers the last trade per stream and judges new ones. */
export class TradeDedup {
  readonly #streams = new Map<string, StreamState>()

  #state(key: string): StreamState {
    let state = this.#streams.get(key)
    if (state === undefined) {
      state = { last: undefined, restored: false, recent: new Set() }
      this.#streams.set(key, state)
    }
    return state
  }

  /** Seeds a stream from a checkpoint or a recovered journal; keeps whichever is later. */
  restore(key: string, checkpoint: TradeCheckpoint): void {
    const state = this.#state(key)
    const order = state.last === undefined ? undefined : compareIds(checkpoint.lastId, state.last.lastId)
    if (state.last === undefined || (order !== undefined && order > 0)) {
      state.last = checkpoint
      state.restored = true
    }
    this.#remember(state, checkpoint.lastId)
  }

  /** Judges a trade and, when it is new, records it as the stream's last. */
  check(key: string, trade: { id: string; timestamp: number; localTimestamp: number }): TradeVerdict {
    const state = this.#state(key)
    let gap: TradeGap | undefined
    const last = state.last
    const order = last === undefined ? undefined : compareIds(trade.id, last.lastId)
    if (order !== undefined) {
      if (order <= 0) return { duplicate: true }
      const next = (BigInt(last!.lastId) + 1n).toString()
      if (compareIds(trade.id, next)! > 0) {
        gap = {
          fromId: next,
          toId: (BigInt(trade.id) - 1n).toString(),
          acrossRestart: state.restored,
          since: last!.localTimestamp,
        }
      }
    } else if (state.recent.has(trade.id)) {
      return { duplicate: true }
    }
    state.last = { lastId: trade.id, timestamp: trade.timestamp, localTimestamp: trade.localTimestamp }
    state.restored = false
    this.#remember(state, trade.id)
    return gap === undefined ? { duplicate: false } : { duplicate: false, gap }
  }

  /**
   * Accounts for the ids `fromId..toId` that a gap marker names (an
   * adapter's `status: 'gap'` for trades it could not recover): the stream's
   * last id moves to `toId` when that is later, so the next trade is not
   * reported as the same hole again. Ids that are not digits cannot be
   * ordered and change nothing.
   *
   * @returns whether the last id moved, and the part of the hole before `fromId` that no marker named
   */
  cover(key: string, marker: { fromId: string; toId: string; localTimestamp: number }): { advanced: boolean; gap?: TradeGap } {
    if (compareIds(marker.fromId, marker.toId) === undefined) return { advanced: false }
    const state = this.#state(key)
    const last = state.last
    let gap: TradeGap | undefined
    if (last !== undefined) {
      const order = compareIds(marker.toId, last.lastId)
      if (order === undefined || order <= 0) return { advanced: false }
      const next = (BigInt(last.lastId) + 1n).toString()
      if (compareIds(marker.fromId, next)! > 0) {
        gap = { fromId: next, toId: (BigInt(marker.fromId) - 1n).toString(), acrossRestart: state.restored, since: last.localTimestamp }
      }
    }
    // A marker has no exchange time. Keep the last trade's: a resume point pages history by time from
    // there, and the marker's receive time could be later than trades after the hole (they would be skipped).
    // With no trade before it, the receive time is all there is.
    const timestamp = last?.timestamp ?? marker.localTimestamp
    state.last = { lastId: marker.toId, timestamp, localTimestamp: marker.localTimestamp }
    state.restored = false
    return gap === undefined ? { advanced: true } : { advanced: true, gap }
  }

  /** The last recorded trade of a stream. */
  last(key: string): TradeCheckpoint | undefined {
    return this.#streams.get(key)?.last
  }

  #remember(state: StreamState, id: string): void {
    if (DIGITS.test(id)) return // ordered ids need no set
    state.recent.add(id)
    if (state.recent.size > RECENT_LIMIT) state.recent.delete(state.recent.values().next().value!)
  }
}
