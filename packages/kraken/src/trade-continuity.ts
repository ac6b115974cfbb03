/**
 * Per-symbol trade continuity across reconnects (pure, synchronous; the REST
 * calls live in `trade-recovery.ts`).
 *
 * Assumption: Kraken's `trade_id` is consecutive per symbol. The docs call it
 * a "sequence number, unique per book" without promising `+1` steps
 * (protocols §2.6), so the only place a jump is treated as a hole is the
 * first new trade after a reconnect; within one connection ids are trusted
 * as they come.
 *
 * After a reconnect the feed resubscribes with a snapshot (Kraken's 50 most
 * recent trades). Trades with an id at or below the last one emitted are
 * duplicates and dropped. If the first new trade is more than one id ahead,
 * the hole goes to recovery: that symbol's later trades are held until the
 * recovery answers, then recovered trades go out in id order, a `gap` status
 * for ids nobody could supply, and then the held trades.
 */
import { nowMicros } from '@dccd/core'
import type { MarketEvent, StatusEvent, TradeEvent } from '@dccd/core'

/** A hole to fill: ids `fromId`..`toId` inclusive, after a trade at `sinceMicros`. */
export interface RecoveryRequest {
  readonly symbol: string
  readonly fromId: number
  readonly toId: number
  /** Exchange time of the last trade emitted before the hole, µs. */
  readonly sinceMicros: number
}

interface Held {
  readonly event: TradeEvent
  /** First new trade after a reconnect (a reconnect happened while recovering). */
  readonly resume: boolean
}

interface SymbolTrades {
  /** Last trade id emitted; -1 before the first. */
  lastId: number
  /** Its exchange time, µs. */
  lastTime: number
  /** A reconnect happened: the next new trade is checked for a hole. */
  resuming: boolean
  /** Trades waiting for a running recovery; `undefined` when none runs. */
  held: Held[] | undefined
  /** The hole being recovered. */
  recovering: RecoveryRequest | undefined
}

/** What {@link TradeContinuity} needs from the feed. */
export interface TradeContinuityOptions {
  /** Emit snapshot trades of a symbol that has emitted nothing yet (`tradeSnapshot`). */
  readonly keepFirstSnapshot: boolean
  /** Recover holes (`recoverTrades`); otherwise a hole is reported as a `gap` at once. */
  readonly recover: boolean
  /** Starts recovering a hole; its outcome comes back through {@link TradeContinuity.recovered}. */
  readonly startRecovery: (request: RecoveryRequest) => void
}

export class TradeContinuity {
  readonly #options: TradeContinuityOptions
  readonly #symbols = new Map<string, SymbolTrades>()
  /** Duplicates dropped so far. */
  duplicates = 0

  constructor(options: TradeContinuityOptions) {
    this.#options = options
  }

  /** True once some symbol has emitted a trade: a resubscription should then ask for a snapshot. */
  get streaming(): boolean {
    return this.#symbols.size > 0
  }

  /**
   * Trades may have been missed (the connection dropped, or a frame could not
   * be read): each symbol's next new trade is checked against its last id.
   */
  disconnected(): void {
    for (const state of this.#symbols.values()) state.resuming = true
  }

  /**
   * Takes one `trade` message's events (any symbols, message order) and
   * appends what may be emitted now to `out`.
   */
  accept(trades: TradeEvent[], isSnapshot: boolean, out: MarketEvent[]): void {
    // The snapshot's order is not documented; ids order it.
    if (isSnapshot) trades.sort((a, b) => Number(a.id) - Number(b.id))
    for (const trade of trades) {
      const state = this.#symbols.get(trade.symbol)
      if (state !== undefined) this.#take(state, trade, out)
      else if (!isSnapshot || this.#options.keepFirstSnapshot) this.#emit(this.#stateOf(trade.symbol), trade, out)
    }
  }

  /**
   * A recovery finished. `trades` are what REST returned (any order, may
   * overlap); `failure` says why the rest is missing. Appends the recovered
   * trades, `gap` markers for ids still missing and the held trades to `out`.
   */
  recovered(symbol: string, trades: readonly TradeEvent[], failure: string | undefined, out: MarketEvent[]): void {
    const state = this.#symbols.get(symbol)
    const request = state?.recovering
    if (state === undefined || request === undefined) return
    const sorted = [...trades].sort((a, b) => Number(a.id) - Number(b.id))
    for (const trade of sorted) {
      const id = Number(trade.id)
      if (id <= state.lastId || id > request.toId) continue
      if (id > state.lastId + 1) out.push(gap(symbol, state.lastId + 1, id - 1, failure ?? 'not in REST Trades'))
      this.#emit(state, trade, out)
    }
    if (state.lastId < request.toId) {
      out.push(gap(symbol, state.lastId + 1, request.toId, failure ?? 'not in REST Trades'))
      state.lastId = request.toId // the ids are accounted for: the marker stands for them
    }
    const held = state.held!
    state.held = undefined
    state.recovering = undefined
    for (const { event, resume } of held) {
      if (resume) state.resuming = true
      this.#take(state, event, out)
    }
  }

  #take(state: SymbolTrades, trade: TradeEvent, out: MarketEvent[]): void {
    const id = Number(trade.id)
    const held = state.held
    if (held !== undefined) {
      if (id <= Number(held.at(-1)!.event.id)) {
        this.duplicates++
        return
      }
      held.push({ event: trade, resume: state.resuming })
      state.resuming = false
      return
    }
    if (id <= state.lastId) {
      this.duplicates++
      return
    }
    if (state.resuming) {
      state.resuming = false
      if (id > state.lastId + 1) {
        const request = { symbol: trade.symbol, fromId: state.lastId + 1, toId: id - 1, sinceMicros: state.lastTime }
        if (this.#options.recover) {
          state.held = [{ event: trade, resume: false }]
          state.recovering = request
          this.#options.startRecovery(request)
          return
        }
        out.push(gap(trade.symbol, request.fromId, request.toId, 'missed (disconnected, or in an unreadable frame); trade recovery is off'))
      }
    }
    this.#emit(state, trade, out)
  }

  #emit(state: SymbolTrades, trade: TradeEvent, out: MarketEvent[]): void {
    state.lastId = Number(trade.id)
    state.lastTime = trade.timestamp
    out.push(trade)
  }

  #stateOf(symbol: string): SymbolTrades {
    const state: SymbolTrades = { lastId: -1, lastTime: 0, resuming: false, held: undefined, recovering: undefined }
    this.#symbols.set(symbol, state)
    return state
  }
}

function gap(symbol: string, fromId: number, toId: number, reason: string): StatusEvent {
  return {
    type: 'status',
    exchange: 'kraken',
    status: 'gap',
    symbol,
    channel: 'trades',
    fromId: String(fromId),
    toId: String(toId),
    reason,
    localTimestamp: nowMicros(),
  }
}
