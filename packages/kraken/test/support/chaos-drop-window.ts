/** The chaos market's `drop-trades` fault (see ./chaos-trade-faults.ts). */
import type { SeededRandom } from '@dccd/testkit'
import { lostRunText } from './chaos-records.js'
import type { LostRun } from './chaos-records.js'
import type { ActiveFault, Fate, TradeFaults } from './chaos-trade-faults.js'
import type { Session } from './chaos-ws-server.js'

/** Chance a drop window skips a symbol's next trade frame too (the two runs merge into one hole). */
const MERGE_RATE = 0.3
/** Ticks the window runs on after its last hole was closed, so the feed reads on past it before the next fault. */
const SETTLE_TICKS = 5

/** `drop-trades`: skips trade frames on the live socket for a while; over once every skipped run was followed by a readable trade. */
export class DropWindow implements ActiveFault {
  readonly #faults: TradeFaults
  readonly #session: Session
  readonly #random: SeededRandom
  /** Index of its first run in the market's `lostRuns` (no other fault loses trades meanwhile). */
  readonly #firstRun: number
  readonly #from: number
  /** The symbols whose frames it skips. */
  readonly #symbols: readonly string[]
  #ticksLeft: number
  #settle = 0
  /** Trade frames sent or skipped on its connection during the window. */
  #frames = 0
  #skipped = 0

  constructor(faults: TradeFaults, session: Session, random: SeededRandom) {
    this.#faults = faults
    this.#session = session
    this.#random = random
    this.#from = faults.market.ticks
    this.#firstRun = faults.market.lostRuns.length
    this.#ticksLeft = random.int(10, 25)
    // Symbols whose holes are fetched at once (a queued hole costs a second of the feed's REST pacing); none: the quietest.
    const idle = faults.idle()
    this.#symbols = idle.length > 0 ? idle : faults.quietestFirst(random).slice(0, 1)
  }

  get state(): string {
    const where = `connection ${this.#session.connection.id}, ${this.#symbols.join(' and ')} since tick ${this.#from}`
    return `drop-trades on ${where}, ${this.#ticksLeft} ticks left; skipped ${this.#runs().map(lostRunText).join('; ') || 'nothing yet'}`
  }

  fate(session: Session, symbol: string): Fate {
    if (session !== this.#session || (this.#ticksLeft === 0 && this.#skipped > 0)) return 'send'
    this.#frames++
    if (!this.#symbols.includes(symbol)) return 'send'
    const open = this.#faults.openRun(session, symbol) !== undefined
    // A symbol's first frame in the window; then its next ones while the run is open (they merge into one
    // hole); then no more: a second hole of the symbol would wait a second for the feed's REST pacing.
    const skip = open ? this.#random.chance(MERGE_RATE) : !this.#runs().some((run) => run.symbol === symbol)
    if (skip) this.#skipped++
    return skip ? 'withhold' : 'send'
  }

  tick(): boolean {
    const session = this.#session
    const market = this.#faults.market
    if (!session.live) {
      market.unexpected.push(`connection ${session.connection.id} closed by the feed during a trade-drop window (${this.state}): a hole on a healthy socket must not cost a reconnect`)
      this.#finish()
      return true
    }
    // At least its seeded length, and until it has skipped something (a symbol may not trade for a while).
    if (this.#ticksLeft > 0 || this.#skipped === 0) {
      this.#ticksLeft = Math.max(0, this.#ticksLeft - 1)
      return false
    }
    if (this.#faults.openRuns(session) > 0 || this.#settle++ < SETTLE_TICKS) return false
    this.#finish()
    return true
  }

  #runs(): LostRun[] {
    return this.#faults.market.lostRuns.slice(this.#firstRun)
  }

  #finish(): void {
    const runs = this.#runs()
    this.#faults.host.record({
      kind: 'drop-trades',
      connection: this.#session.connection.id,
      runs,
      detail: `ticks ${this.#from}..${this.#faults.market.ticks}, ${this.#skipped} of ${this.#frames} trade frames skipped: ${runs.map(lostRunText).join('; ') || 'none'}`,
    })
  }
}
