/**
 * What the chaos market (./chaos-market.ts) records for the invariants (./chaos-invariants.ts) and
 * the test's report: the faults as they struck, the malformed frames, REST calls and trade snapshots
 * it sent, and where each book message went, from which a run's events show what the feed read.
 */
import type { MarketEvent } from '@dccd/core'
import type { FaultKind } from './chaos-faults.js'

/** A fault as it struck. */
export interface FaultRecord {
  readonly kind: FaultKind
  readonly connection: number
  /** Market time when it struck, µs. */
  readonly at: number
  /** When it struck (trade faults: when they ended), ms since the market opened. */
  readonly ms: number
  readonly detail: string
  /** Corruptions: the symbol and the checksum the corrupted frame carried. */
  readonly symbol?: string
  readonly checksum?: number
  /** Corruptions: the frame's 1-based index on its connection, once sent. */
  seq?: number
  /** Trade faults: the trades they lost on the live connection. */
  readonly runs?: readonly LostRun[]
  /** Recovery faults: the `since` of the REST Trades call they held. */
  readonly heldSince?: string
}

/** Where a frame went: connection id and its 1-based index among the frames sent on it. */
export interface Sent {
  readonly connection: number
  readonly seq: number
}

export interface RestCall {
  /** When it was answered, ms since the market opened. */
  readonly ms: number
  readonly symbol: string
  readonly since: string
  readonly answer: 'page' | 'throttled' | 'error'
  /** A page's `last` cursor (the `since` of the page after it). */
  readonly last?: string
  /** A page's ids (its rows are consecutive trades); absent when it had no rows. */
  readonly firstId?: number
  readonly lastId?: number
  /** Held by a recovery fault before it was answered. */
  readonly held?: boolean
}

/**
 * Trades of one symbol the market withheld, or sent in a frame the feed cannot read, on a live
 * connection: consecutive ids with no readable trade of that symbol sent between them.
 */
export interface LostRun {
  readonly symbol: string
  readonly connection: number
  readonly fromId: number
  toId: number
  /** How each of its frames was lost, in order. */
  readonly how: ('withheld' | 'unreadable')[]
  /** The first trade sent readable after it on the same connection: reading it, the feed sees the hole. */
  closing?: { readonly id: number; readonly seq: number }
}

/** A run, for fault details and reports: `BTC/USD 5..7 withheld+unreadable, then 8`. */
export function lostRunText(run: LostRun): string {
  return `${run.symbol} ${run.fromId}..${run.toId} ${run.how.join('+')}${run.closing ? `, then ${run.closing.id}` : ''}`
}

/** An unreadable trade frame sent on a live connection (one parse error once read). */
export interface UnreadableSent extends Sent {
  readonly symbol: string
  readonly ids: readonly number[]
}

export interface TradeSnapshotSent {
  readonly symbol: string
  readonly connection: number
  readonly firstId: number
  readonly lastId: number
}

/** Where each book message went, by what the feed turns it into: its symbol, timestamp and kind. */
export class SentBooks {
  /** `symbol timestamp snapshot|update` → where that book message went. */
  readonly #sent = new Map<string, Sent[]>()

  record(symbol: string, timestamp: number, isSnapshot: boolean, connection: number, seq: number): void {
    const key = bookKey(symbol, timestamp, isSnapshot)
    const sent = this.#sent.get(key)
    const where = { connection, seq }
    if (sent === undefined) this.#sent.set(key, [where])
    else sent.push(where)
  }

  /**
   * Per connection, the highest frame index that demonstrably reached the stream (an emitted book
   * event that only that frame carried): every frame sent on it before then was read by the feed.
   */
  framesSeen(events: readonly MarketEvent[]): Map<number, number> {
    const seen = new Map<number, number>()
    for (const event of events) {
      if (event.type !== 'book') continue
      const sent = this.#sent.get(bookKey(event.symbol, event.timestamp, event.isSnapshot))
      if (sent?.length !== 1) continue // sent twice (two connections): which one was read is unknown
      const { connection, seq } = sent[0]!
      if (seq > (seen.get(connection) ?? 0)) seen.set(connection, seq)
    }
    return seen
  }
}

function bookKey(symbol: string, timestamp: number, isSnapshot: boolean): string {
  return `${symbol} ${timestamp} ${isSnapshot ? 'snapshot' : 'update'}`
}
