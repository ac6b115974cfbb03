/**
 * `ConformanceOptions.continuity`: the venue's continuity rules, told to the
 * suite as functions over session frames, so it can cut holes an adapter must
 * notice (a dropped book update, a lost trade, a withheld snapshot) and check
 * what the adapter does about them.
 */
import type { FakeConnection } from '../fake-connection.js'
import type { FakeExchange } from '../fake-exchange.js'
import type { RestRequest, RestResponse } from '../rest-router.js'
import type { SessionFrame } from '../session.js'

/**
 * What the continuity clauses need to know about a venue. Every member is optional; a clause
 * whose needs are not declared is reported as a named skip.
 *
 * @example
 * // Binance: diff-depth deltas, consecutive trade ids, REST snapshots, rotating connections
 * continuity: {
 *   bookUpdate: (frame) => (depthUpdateOf(frame)?.s),
 *   trades: (frame) => { const t = tradeOf(frame); return t && { symbol: t.s, ids: [String(t.t)] } },
 *   resync: { kind: 'rest-snapshot', snapshotSymbol: (request) => request.query.get('symbol') ?? undefined },
 *   rotation: { maxConnectionAgeMs: 800, rotationOverlapMs: 100 },
 * }
 */
export interface ContinuityRules {
  /**
   * The symbol whose book this session frame updates with a delta (not a snapshot); `undefined`
   * for every other frame. One frame updates one symbol. Where the venue's rule cannot see every
   * update (a checksum over the top levels only), name only the updates it covers: the suite
   * drops one of them and expects the adapter to notice.
   */
  bookUpdate?(frame: SessionFrame): string | undefined
  /** The symbol whose book snapshot this session frame carries (venues that send snapshots on the socket). */
  bookSnapshot?(frame: SessionFrame): string | undefined
  /**
   * The trades a session frame carries: their symbol and ids (decimal strings, in frame order),
   * for venues whose trade ids are consecutive per symbol; `undefined` for frames without trades.
   * `fills`: where one trade stands for several numbered fills (an OKX row is the last of `count`
   * fills), the fill ids the frame's trades stand for, ascending; they, not the trade ids, are
   * what follows one by one, and what a gap for the dropped frame may name. Default: `ids`.
   */
  trades?(frame: SessionFrame): { symbol: string; ids: string[]; fills?: string[] } | undefined
  /**
   * A copy of `frame`, a frame carrying one trade, with trade id `id` instead. Lets the suite cut a
   * trade hole into a session whose capture has no two trade frames of one symbol in a row.
   */
  withTradeId?(frame: SessionFrame, id: string): SessionFrame
  /** How the venue answers a resync. */
  resync?: ResubscribeResync | RestSnapshotResync
  /**
   * Feed options that make the adapter rotate its connections within a few hundred milliseconds
   * (Binance: `{ maxConnectionAgeMs: 800, rotationOverlapMs: 100 }`); absent for adapters that
   * never rotate. The rotation clause replays the session over about 3 s.
   */
  rotation?: Record<string, unknown>
}

/** A venue that sends a fresh snapshot on the socket when the client subscribes to the book again (Kraken, OKX). */
export interface ResubscribeResync {
  readonly kind: 'resubscribe'
  /** True for a client message asking for `symbol`'s book again. Default: the message contains the symbol. */
  resubscribes?(message: string, symbol: string): boolean
  /**
   * Answers one client message received after the suite dropped a frame (send a fresh snapshot on
   * `connection` when it is a book subscription), from `history`. Without it the venue stays silent
   * and the clause checks only that the adapter asked.
   */
  answer?(context: ResubscribeContext): void
}

/** A venue whose book snapshot the client fetches over REST (Binance's `GET /api/v3/depth`). */
export interface RestSnapshotResync {
  readonly kind: 'rest-snapshot'
  /** The symbol whose book snapshot a REST request asks for; `undefined` for any other request. */
  snapshotSymbol(request: RestRequest): string | undefined
  /**
   * The answer to a snapshot request of the symbol whose frame the suite dropped, made after the
   * drop, from `history`; `undefined` (or no `answer`) leaves it to the session's recorded answer.
   */
  answer?(context: RestSnapshotContext): RestResponse | undefined
}

/** What a resync answer is built from. */
export interface ResyncContext {
  readonly fx: FakeExchange
  /** The symbol whose book frame the suite dropped. */
  readonly symbol: string
  /**
   * The session as the exchange lived it (the dropped frame included), up to where the replay
   * stands now: what a fresh snapshot must reflect.
   */
  readonly history: readonly SessionFrame[]
}

/** {@link ResyncContext} for a client message on the socket. */
export interface ResubscribeContext extends ResyncContext {
  readonly connection: FakeConnection
  readonly message: string
}

/** {@link ResyncContext} for a snapshot request over REST. */
export interface RestSnapshotContext extends ResyncContext {
  readonly request: RestRequest
}
