/**
 * Trade continuity for venues whose trade ids grow by one per symbol
 * (Binance `t`, Kraken v2 `trade_id`) — and, with `ids: 'increasing'`, for
 * venues whose ids only grow (OKX `tradeId`), where a hole can only be
 * looked for where the stream broke. Every trade is compared with the last
 * one received for its symbol — one comparison — so a trade lost anywhere
 * (between connections, in an unreadable frame, or skipped on a healthy
 * socket) shows up as a hole at the very next trade, and a trade seen twice
 * (rotation overlap, a snapshot replayed on resubscribe) is dropped.
 *
 * A hole is recovered from the exchange's history when the adapter gives a
 * {@link TradeHistorySource}: the symbol's later live trades are held, the
 * recovered trades go out in id order, then the held ones. Ids nobody could
 * supply become exactly one `status: 'gap'` per range, in stream order. A new
 * hole found while one is being recovered queues behind it (it is detected
 * when its trade arrives, like any other), so holes never hide each other.
 *
 * Bounded both ways by `maxRecoveredTrades`: a hole recovers at most that many
 * ids (its oldest; the newer rest is one gap naming the option), and at most
 * that many live trades are held per symbol (then recovery stops where it is,
 * the unfetched ids become gaps, and the held trades go out).
 *
 * A consumer's resume point (its last stored trade) seeds a symbol, so the
 * trades missed while it was not running are recovered the same way; one
 * older than `maxResumeAgeMicros` is reported as a gap instead.
 *
 * The rule (which venue's ids are consecutive) belongs to the adapter; the
 * mechanism (core's `SequenceContinuity`, shared with bars) is the same for
 * every adapter.
 */
import type { MarketEvent, TradeEvent } from './events.js'
import type { TradeResumePoint } from './resume.js'
import { SequenceContinuity, commonOptions } from './sequence-continuity.js'
import type { ContinuityCommonOptions, SequenceHistory, SequenceRule } from './sequence-continuity.js'
import { tradeGapEvent } from './status.js'

/** Trade ids `fromId`..`toId` (inclusive) of one symbol that must be fetched. */
export interface TradeHole {
  readonly symbol: string
  readonly fromId: number
  readonly toId: number
  /** Exchange time of the last trade received before the hole, µs (for venues that page history by time). */
  readonly afterTimestamp: number
}

/** Where missed trades come from: an exchange's trade history (REST). */
export interface TradeHistorySource {
  /** Names the endpoint in gap reasons, e.g. `GET /api/v3/historicalTrades`. */
  readonly name: string
  /**
   * Pages of trades covering `hole`, each ascending by id (ids outside the hole
   * are ignored). Ends when the hole is covered or the venue has nothing more;
   * throws (rejects) on failure. Iteration stops early once the hole is filled.
   */
  fetch(hole: TradeHole, signal: AbortSignal): AsyncIterable<readonly TradeEvent[]>
}

/** Options of {@link TradeContinuity}. */
export interface TradeContinuityOptions extends ContinuityCommonOptions {
  /** Where holes are recovered from; undefined: a hole is only reported as a gap. */
  readonly history?: TradeHistorySource
  /** Most ids recovered per hole and most live trades held per symbol meanwhile; 0: recover nothing. */
  readonly maxRecoveredTrades: number
  /**
   * How the venue numbers trades per symbol:
   * - `consecutive` (default; Binance `t`, Kraken v2 `trade_id`): documented to grow by one; every
   *   jump is a hole, and ids the history does not return are missing;
   * - `checked` (OKX `tradeId`): seen to grow by one but not documented so; every jump is checked
   *   against the history, which decides: it proves a hole complete by answering with the trade
   *   past it, and ids it skips simply do not exist. After 20 checks of a symbol in a row that found
   *   nothing missing, its jumps are taken as the venue's numbering (checked after interruptions only);
   * - `increasing`: only documented to grow; a jump is a hole only after an interruption
   *   (`interrupted()`, a resume point), checked the same way.
   */
  readonly ids?: TradeIdRule
  /**
   * The first id a trade stands for, when the venue aggregates fills into one trade (an OKX row is
   * the last of `count` fills): ids from it up to the trade's own are not a hole. Default: its id.
   */
  readonly firstId?: (trade: TradeEvent) => number
}

/** How a venue numbers trades per symbol: see {@link TradeContinuityOptions.ids}. */
export type TradeIdRule = 'consecutive' | 'checked' | 'increasing'

/** `checked` ids: checks in a row that found nothing missing before a symbol's jumps are trusted. */
const TRUST_AFTER_EMPTY_CHECKS = 20

/** The last trade received for a symbol. */
export interface TradePosition {
  /** Trade id. */
  readonly id: number
  /** Its exchange time, µs. */
  readonly timestamp: number
}

/** Trades: keyed by symbol, numbered by id, every one final. */
function tradeRule(exchange: string, ids: TradeIdRule, firstId: ((trade: TradeEvent) => number) | undefined): SequenceRule<TradeEvent> {
  return {
    key: (trade) => trade.symbol,
    seq: (trade) => Number(trade.id),
    ...(firstId === undefined ? {} : { first: firstId }),
    final: () => true,
    time: (trade) => trade.timestamp,
    gap: (symbol, from, to, reason, localTimestamp) => tradeGapEvent(exchange, symbol, from, to, reason, localTimestamp),
    range: (_symbol, from, to) => `${from}..${to}`,
    // Consecutive ids are all served, so one the history skips is missing; increasing ids skip by nature.
    skippedAreMissing: ids === 'consecutive',
    consecutive: ids !== 'increasing',
    ...(ids === 'checked' ? { trustAfterEmptyChecks: TRUST_AFTER_EMPTY_CHECKS } : {}),
    capName: 'maxRecoveredTrades',
    noun: 'trades',
  }
}

function tradeHistory(source: TradeHistorySource): SequenceHistory<TradeEvent> {
  return {
    name: source.name,
    fetch: (hole, signal) => source.fetch({ symbol: hole.key, fromId: hole.from, toId: hole.to, afterTimestamp: hole.afterTimestamp }, signal),
  }
}

/**
 * @example
 * const trades = new TradeContinuity({ exchange: 'binance', history, maxRecoveredTrades: 100_000,
 *   unrecoveredReason: 'trade recovery is off', emit: (event) => push(event) })
 * // in parseMessage: for each trade, in stream order
 * trades.accept(trade, out)
 */
export class TradeContinuity {
  readonly #engine: SequenceContinuity<TradeEvent>

  constructor(options: TradeContinuityOptions) {
    this.#engine = new SequenceContinuity<TradeEvent>({
      ...commonOptions(options),
      rule: tradeRule(options.exchange, options.ids ?? 'consecutive', options.firstId),
      ...(options.history === undefined ? {} : { history: tradeHistory(options.history) }),
      maxRecovered: options.maxRecoveredTrades,
    })
  }

  /** Trades dropped because their id was not after the last one received. */
  get duplicates(): number {
    return this.#engine.duplicates
  }

  /**
   * Starts `symbol` from a consumer's last stored trade: ids up to it are
   * never emitted, and the first live trade is checked against it (the ids
   * between are recovered). Ignored once the symbol has traded.
   */
  resume(symbol: string, point: TradeResumePoint): void {
    this.#engine.resume(symbol, Number(point.lastId), point.lastTimestamp)
  }

  /**
   * One live trade, in stream order. Appends what may go out now to `out`: the
   * trade (unless it is a duplicate or held behind a recovery) and, when
   * nothing can recover a hole, the gap marker before it. Its id must be an
   * integer; the first trade of a symbol starts its continuity.
   */
  accept(trade: TradeEvent, out: MarketEvent[]): void {
    this.#engine.accept(trade, out)
  }

  /**
   * Trades of `symbol` may have been lost since its last one (its stream
   * broke): with `ids: 'increasing'` the next trade is checked for a hole
   * against it. A no-op for consecutive ids, where every trade is checked.
   */
  interrupted(symbol: string): void {
    this.#engine.interrupted(symbol)
  }

  /** True once `symbol` has had a trade or a resume point (its continuity has started). */
  has(symbol: string): boolean {
    return this.#engine.has(symbol)
  }

  /** True while `symbol` has a hole being recovered (its live trades are held). */
  recovering(symbol: string): boolean {
    return this.#engine.recovering(symbol)
  }

  /** The last trade received for `symbol` (emitted, held, or accounted for by a gap). */
  position(symbol: string): TradePosition | undefined {
    const position = this.#engine.position(symbol)
    return position === undefined ? undefined : { id: position.seq, timestamp: position.timestamp }
  }

  /** Drops everything held and cancels recoveries; answers still in flight are ignored. */
  stop(): void {
    this.#engine.stop()
  }
}
