/** The chaos market's `recovery-terminate` and `recovery-unreadable` faults (see ./chaos-trade-faults.ts). */
import type { SeededRandom } from '@dccd/testkit'
import type { ActiveFault, Fate, TradeFaults } from './chaos-trade-faults.js'
import type { Session } from './chaos-ws-server.js'

/** How far apart the two unreadable frames of `recovery-unreadable` land, ms (wall time: the feed paces REST in wall time). */
const UNREADABLE_SPACING_MS = 250
/** Ticks for the feed to read what was just sent (a snapshot, the trade after a hole) before the fault moves on. */
const SETTLE_TICKS = 5
/** How long a recovery fault waits for the feed's REST call for its hole, ms (it may queue behind a second's pacing, or two). */
const CALL_PATIENCE_MS = 3_000

/**
 * `recovery-terminate` and `recovery-unreadable`: holds the feed's REST call for a hole in one symbol
 * and strikes while it is unanswered. `recovery-terminate` opens the hole by skipping a frame on the
 * healthy socket, then terminates it; `recovery-unreadable` terminates first (the reconnect's hole is
 * the one held), then sends the unreadable frames on the new connection.
 */
export class RecoveryFault implements ActiveFault {
  readonly #faults: TradeFaults
  readonly #kind: 'recovery-terminate' | 'recovery-unreadable'
  readonly #random: SeededRandom
  readonly #symbol: string
  /** The second unreadable frame carries the recovering symbol's trades (else the quietest other symbol's). */
  readonly #secondSame: boolean
  #second: string | undefined
  readonly #connection: number
  readonly #steps: string[] = []
  readonly #firstRun: number
  /** The connection it works on; undefined while the feed is away. */
  #live: Session | undefined
  #phase: 'open' | 'await-call' | 'held' | 'away' | 'resubscribed' | 'unreadable' | 'await-close' | 'spacing'
  #unreadableSent = 0
  #firstUnreadableAt = 0
  #callWaitSince = Date.now()
  #ticks = 0
  #held: { readonly since: string; readonly release: () => void; released: boolean } | undefined

  constructor(faults: TradeFaults, kind: 'recovery-terminate' | 'recovery-unreadable', session: Session, random: SeededRandom) {
    this.#faults = faults
    this.#kind = kind
    this.#random = random
    this.#connection = session.connection.id
    this.#firstRun = faults.market.lostRuns.length
    // REST's quietest symbol: its call for the hole is neither held back by the feed's pacing nor queued behind an older hole.
    this.#symbol = faults.quietestFirst(random)[0]!
    // The second unreadable frame: the recovering symbol's (a third hole, queued behind the second: a second more of
    // REST pacing) or, chosen when it strikes, the quietest other one's (whose hole must not disturb the recovering symbol).
    this.#secondSame = random.chance(1 / 3)
    faults.exemptFromThrottling(this.#symbol)
    this.#live = session
    this.#phase = 'open'
    if (kind === 'recovery-unreadable') {
      this.#terminate()
      this.#phase = 'await-call'
    }
  }

  get state(): string {
    return `${this.#kind} on ${this.#symbol} from connection ${this.#connection}, phase ${this.#phase}: ${this.#steps.join('; ')}`
  }

  fate(session: Session, symbol: string, frame: object): Fate {
    if (session !== this.#live) return 'send'
    if (this.#phase === 'open' && symbol === this.#symbol) {
      this.#phase = 'await-call'
      this.#callWaitSince = Date.now()
      this.#steps.push(`tick ${this.#faults.market.ticks}: skipped a ${symbol} frame`)
      return 'withhold'
    }
    if (this.#phase !== 'unreadable' || symbol !== (this.#unreadableSent === 0 ? this.#symbol : this.#secondSymbol())) return 'send'
    this.#phase = 'await-close'
    this.#ticks = 0
    if (++this.#unreadableSent === 1) this.#firstUnreadableAt = Date.now()
    const { text, how } = unreadable(frame, this.#random)
    const pending = this.#held?.released === false ? 'first call held' : 'next call waiting for the rate limit'
    const when = this.#unreadableSent === 1 ? '' : `, ${Date.now() - this.#firstUnreadableAt} ms later,`
    this.#steps.push(`tick ${this.#faults.market.ticks}: unreadable ${symbol} frame (${how})${when} with ${this.#symbol}'s ${pending}`)
    return { unreadable: text }
  }

  #secondSymbol(): string {
    const other = (): string => this.#faults.quietestFirst(this.#random).find((symbol) => symbol !== this.#symbol) ?? this.#symbol
    this.#second ??= this.#secondSame ? this.#symbol : other()
    return this.#second
  }

  hold(symbol: string, since: string): Promise<void> | undefined {
    if (symbol !== this.#symbol) return undefined
    if (this.#held?.released === false) {
      this.#faults.market.unexpected.push(`REST Trades for ${symbol} called again (since ${since}) while its call since ${this.#held.since} was unanswered: holes must queue`)
      return undefined
    }
    if (this.#phase !== 'await-call') return undefined
    const { promise, release } = this.#faults.newHold()
    this.#held = { since, release, released: false }
    this.#phase = 'held'
    this.#steps.push(`tick ${this.#faults.market.ticks}: holding the REST call since ${since}`)
    return promise
  }

  tick(live: readonly Session[]): boolean {
    const faults = this.#faults
    const market = faults.market
    if (this.#live !== undefined && !this.#live.live) {
      market.unexpected.push(`connection ${this.#live.connection.id} closed by the feed during ${this.state}`)
      return this.#finish()
    }
    switch (this.#phase) {
      case 'await-call':
        if (Date.now() - this.#callWaitSince <= CALL_PATIENCE_MS) return false
        market.unexpected.push(`no REST Trades call for ${this.#symbol} within ${CALL_PATIENCE_MS} ms of its hole (${this.state})`)
        return this.#finish()
      case 'held':
        if (this.#kind === 'recovery-terminate') {
          this.#terminate()
          this.#phase = 'away'
          return false
        }
        this.#live = live.find((session) => faults.host.settled(session))
        if (this.#live !== undefined) this.#phase = 'unreadable'
        return false
      case 'away': {
        const next = live.find((session) => faults.host.settled(session))
        if (next === undefined || !market.tradeSnapshots.some((s) => s.symbol === this.#symbol && s.connection === next.connection.id)) return false
        this.#phase = 'resubscribed'
        this.#ticks = 0
        return false
      }
      case 'resubscribed':
        // A few ticks for the feed to read the snapshot and queue the second hole behind the held call.
        if (++this.#ticks < SETTLE_TICKS) return false
        this.#release('after the resubscription')
        return this.#finish()
      case 'await-close':
        if (faults.openRuns(this.#live!) > 0 || ++this.#ticks < SETTLE_TICKS) return false
        if (this.#unreadableSent === 2) return this.#finish()
        this.#release('after the first unreadable frame')
        this.#phase = 'spacing'
        return false
      case 'spacing':
        if (Date.now() - this.#firstUnreadableAt >= UNREADABLE_SPACING_MS) this.#phase = 'unreadable'
        return false
      default:
        return false // 'open' and 'unreadable' wait for the symbol's next trade frame
    }
  }

  #terminate(): void {
    const session = this.#live!
    session.dropped = true
    session.connection.terminate()
    this.#live = undefined
    this.#steps.push(`tick ${this.#faults.market.ticks}: terminated connection ${session.connection.id}; while away ${this.#faults.host.away(this.#random, this.#symbol)}`)
  }

  #release(when: string): void {
    if (this.#held === undefined || this.#held.released) return
    this.#steps.push(`tick ${this.#faults.market.ticks}: released the held call ${when}`)
    this.#held.released = true
    this.#held.release()
  }

  #finish(): true {
    this.#release('(fault over)')
    this.#faults.host.record({
      kind: this.#kind,
      connection: this.#connection,
      symbol: this.#symbol,
      heldSince: this.#held?.since,
      runs: this.#faults.market.lostRuns.slice(this.#firstRun),
      detail: `${this.#symbol}: ${this.#steps.join('; ')}`,
    })
    return true
  }
}

/** `frame` (a trade message) made unreadable: cut off mid-frame, or its last trade without a `trade_id` (the whole frame is then refused). */
function unreadable(frame: object, random: SeededRandom): { text: string; how: string } {
  const json = JSON.stringify(frame)
  if (random.chance(0.5)) return { text: json.slice(0, random.int(json.length >> 1, json.length - 2)), how: 'cut off' }
  const copy = structuredClone(frame) as { data: Record<string, unknown>[] }
  delete copy.data.at(-1)!.trade_id
  return { text: JSON.stringify(copy), how: 'its last trade without a trade_id' }
}
