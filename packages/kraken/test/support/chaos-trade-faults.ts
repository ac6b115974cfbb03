/**
 * The chaos market's trade faults (see ./chaos-market.ts). Each spans ticks, and no other fault
 * strikes until it is over. Kraken's trade ids are consecutive per pair, so every trade lost on a
 * live connection is a hole the feed must see at the symbol's next trade, then recover from REST
 * Trades or report as exactly one gap.
 *
 * - `drop-trades`: on the live, healthy socket the market skips trade frames for a seeded window: of
 *   the symbols REST has not heard from lately, each one's first frame in the window and, 30% each,
 *   the frames right after it (merging into one hole). No disconnect, no malformed frame.
 * - `recovery-terminate`: a skipped frame opens a hole in one symbol and the feed's REST call for it
 *   is held unanswered. Meanwhile the socket is terminated and that symbol trades past what the
 *   50-trade snapshot holds, so after the reconnect a second hole queues behind the first. The call
 *   is answered once the feed has resubscribed.
 * - `recovery-unreadable`: the socket is terminated and the feed's REST call for one symbol's hole is
 *   held; on the new connection a frame carrying that symbol's trades arrives unreadable while the
 *   call is held (a second hole, queued behind it), and about 250 ms later another (that symbol's or
 *   the next quietest's), while the feed's next call waits out the one-call-per-second limit.
 *
 * A recovery fault is each seed's first fault and disconnect (see planFaults): every symbol then
 * outruns the snapshot, so the seconds its queued holes wait for overlap the other recoveries and faults.
 *
 * Every trade lost on a live connection is recorded in the market's `lostRuns`, with the readable
 * trade that followed it on the same connection; ./chaos-lost-trades.ts checks what the feed made of them.
 * This file tracks the losses and holds; the faults themselves are ./chaos-drop-window.ts and
 * ./chaos-recovery-fault.ts.
 */
import type { SeededRandom } from '@dccd/testkit'
import type { ChaosMarket } from './chaos-market.js'
import type { FaultRecord, LostRun } from './chaos-records.js'
import { DropWindow } from './chaos-drop-window.js'
import { RecoveryFault } from './chaos-recovery-fault.js'
import type { RestHolds } from './chaos-rest.js'
import type { Outgoing, Session } from './chaos-ws-server.js'

export type TradeFaultKind = 'drop-trades' | 'recovery-terminate' | 'recovery-unreadable'

/** A symbol REST Trades has not heard from for this long, ms, gets its next call at once (the feed paces one per second). */
const IDLE_MS = 1_100

/** What the trade faults use of the fault injector. */
export interface FaultHost {
  settled(session: Session): boolean
  /** The market trades while the feed is away; `outrun` trades past what a snapshot holds. */
  away(random: SeededRandom, outrun: string): string
  record(fault: Omit<FaultRecord, 'at' | 'ms'>): FaultRecord
}

/** What becomes of a trade frame: sent, skipped, or sent as this unreadable text. */
export type Fate = 'send' | 'withhold' | { readonly unreadable: string }

export interface ActiveFault {
  fate(session: Session, symbol: string, frame: object): Fate
  /** Once per tick, before delivery: true once it is over. */
  tick(live: readonly Session[]): boolean
  /** The hold for a REST Trades call for `symbol`, if this fault holds it. */
  hold?(symbol: string, since: string): Promise<void> | undefined
  /** Where it stands, for failure reports. */
  readonly state: string
}

export class TradeFaults implements RestHolds {
  readonly market: ChaosMarket
  readonly host: FaultHost
  #active: ActiveFault | undefined
  /** Per connection, each symbol's lost run still awaiting a readable trade. */
  readonly #open = new Map<number, Map<string, LostRun>>()
  /** Symbols a readable trade was sent for: their continuity has started, so a skipped frame is a hole. */
  readonly #traded = new Set<string>()
  readonly #exempt = new Set<string>()
  readonly #releases = new Set<() => void>()
  #stopped = false

  constructor(market: ChaosMarket, host: FaultHost) {
    this.market = market
    this.host = host
  }

  get busy(): boolean {
    return this.#active !== undefined
  }

  /** The fault in progress, for failure reports. */
  get state(): string | undefined {
    return this.#active?.state
  }

  start(kind: TradeFaultKind, session: Session, random: SeededRandom): void {
    this.#active = kind === 'drop-trades' ? new DropWindow(this, session, random) : new RecoveryFault(this, kind, session, random)
  }

  tick(live: readonly Session[]): void {
    if (this.#active?.tick(live) === true) this.#active = undefined
  }

  /** The tick's frames for `session`, with the active fault's skipped and unreadable trade frames; every trade frame sent closes its symbol's open run. */
  shape(session: Session, frames: readonly Outgoing[]): Outgoing[] {
    const connection = session.connection.id
    return frames.flatMap((item): Outgoing[] => {
      if (typeof item === 'function' || item.trade === undefined || item.tradeIds === undefined) return [item]
      if (!session.instrument || !session.trades.has(item.trade)) return [item]
      const symbol = item.trade
      const ids = item.tradeIds
      const fate = this.#active?.fate(session, symbol, item.frame as object) ?? 'send'
      if (fate === 'withhold') {
        this.#lose(session, symbol, ids, 'withheld')
        return []
      }
      if (fate !== 'send') {
        this.#lose(session, symbol, ids, 'unreadable')
        return [{ frame: fate.unreadable, onSent: (seq) => void this.market.unreadable.push({ connection, seq, symbol, ids }) }]
      }
      const onSent = (seq: number): void => {
        item.onSent?.(seq)
        this.#sentReadable(connection, symbol, ids[0]!, seq)
      }
      return [{ ...item, onSent }]
    })
  }

  /** A recovery fault holds the call for its hole. */
  hold(symbol: string, since: string): Promise<void> | undefined {
    return this.#stopped ? undefined : this.#active?.hold?.(symbol, since)
  }

  exempt(symbol: string): boolean {
    return this.#exempt.has(symbol)
  }

  /** Answers every held call (the run is over). */
  stop(): void {
    this.#stopped = true
    for (const release of this.#releases) release()
  }

  /** A readable trade of `symbol` has been sent somewhere: the feed's continuity of it has started. */
  traded(symbol: string): boolean {
    return this.#traded.has(symbol) || this.market.tradeSnapshots.some((snapshot) => snapshot.symbol === symbol)
  }

  /** `symbol`'s run on `session` still awaiting a readable trade. */
  openRun(session: Session, symbol: string): LostRun | undefined {
    return this.#open.get(session.connection.id)?.get(symbol)
  }

  openRuns(session: Session): number {
    return this.#open.get(session.connection.id)?.size ?? 0
  }

  /**
   * Symbols whose continuity has started, the one REST Trades heard from least recently first (a
   * throttled one last: its retry is pending; ties in `random` order). A new hole in the first is fetched at once.
   */
  quietestFirst(random?: SeededRandom): string[] {
    const market = this.market
    const quiet = (symbol: string): number => {
      const last = market.restCalls.findLast((call) => call.symbol === symbol)
      return last === undefined ? -Infinity : last.answer === 'throttled' ? Infinity : last.ms
    }
    const symbols = [...market.tapes.keys()].filter((symbol) => this.traded(symbol))
    return (random === undefined ? symbols : random.shuffle(symbols)).sort((a, b) => quiet(a) - quiet(b))
  }

  /** Symbols REST Trades has not heard from for over a second (the feed's pacing): a hole in one is fetched at once. */
  idle(): string[] {
    const market = this.market
    return this.quietestFirst().filter((symbol) => {
      const last = market.restCalls.findLast((call) => call.symbol === symbol)
      return last === undefined || (last.answer !== 'throttled' && market.elapsedMs - last.ms > IDLE_MS)
    })
  }

  exemptFromThrottling(symbol: string): void {
    this.#exempt.add(symbol)
  }

  /** A hold and its release; released at the latest by {@link stop}. */
  newHold(): { promise: Promise<void>; release: () => void } {
    let release!: () => void
    const promise = new Promise<void>((resolve) => {
      release = () => {
        this.#releases.delete(release)
        resolve()
      }
    })
    this.#releases.add(release)
    return { promise, release }
  }

  #lose(session: Session, symbol: string, ids: readonly number[], how: 'withheld' | 'unreadable'): void {
    const connection = session.connection.id
    let runs = this.#open.get(connection)
    if (runs === undefined) this.#open.set(connection, (runs = new Map()))
    const run = runs.get(symbol)
    if (run !== undefined) {
      run.toId = ids.at(-1)!
      run.how.push(how)
      return
    }
    const created: LostRun = { symbol, connection, fromId: ids[0]!, toId: ids.at(-1)!, how: [how] }
    runs.set(symbol, created)
    this.market.lostRuns.push(created)
  }

  #sentReadable(connection: number, symbol: string, id: number, seq: number): void {
    this.#traded.add(symbol)
    const runs = this.#open.get(connection)
    const run = runs?.get(symbol)
    if (run === undefined) return
    run.closing = { id, seq }
    runs!.delete(symbol)
  }
}
