/**
 * The continuity engine shared by trades and bars. A stream is a series of
 * items per key whose sequence numbers grow by one: trade ids per symbol,
 * closed bars per symbol and interval (counted in intervals) — or, for a
 * venue that only promises increasing numbers, grow (then a hole is looked
 * for only where the stream broke: see `SequenceRule.consecutive`). Every item is
 * compared with the last one received for its key — one comparison — so an
 * item lost anywhere (between connections, in an unreadable frame, skipped on
 * a healthy socket, or while the process was not running, given a resume
 * point) shows up as a hole at the very next item, and an item seen twice is
 * dropped.
 *
 * A hole is recovered from the exchange's history when there is one: the
 * key's later live items are held, the recovered items go out in order, then
 * the held ones. Numbers nobody could supply become exactly one gap marker
 * per range, in stream order. A new hole found while one is being recovered
 * queues behind it, so holes never hide each other.
 *
 * Bounded both ways by `maxRecovered`: a hole recovers at most that many
 * numbers (its oldest; the newer rest is one gap naming the option), and at
 * most that many live items are held per key (then recovery stops where it
 * is, the unfetched numbers become gaps, and the held items go out). A
 * resume point older than `maxResumeAgeMicros` is not recovered at all.
 *
 * Items that are not final (a bar still open) pass through in order — held
 * like the others during a recovery — and account for the numbers before
 * theirs: those bars should have closed, so they are a hole.
 */
import { FeedStoppedError } from './errors.js'
import type { MarketEvent } from './events.js'
import type { Logger } from './logger.js'
import { silentLogger } from './logger.js'
import { microsToIso, nowMicros } from './time.js'

/** How one kind of item is keyed, numbered and reported. */
export interface SequenceRule<T> {
  /** Which series the item belongs to (`BTCUSDT`, `BTCUSDT 1m`). */
  key(item: T): string
  /** Its integer sequence number (a trade id; a bar's index). NaN counts as a duplicate, never as a hole. */
  seq(item: T): number
  /**
   * The first number the item stands for, when one item covers several (an OKX trade row is the
   * last of `count` fills): numbers from it to `seq` are not a hole. Default: `seq`.
   */
  first?(item: T): number
  /** False for an item that will be superseded by a final one with the same number (an open bar). */
  final(item: T): boolean
  /** The exchange time an item is checked for age against (a trade's time; the end of a bar). */
  time(item: T): number
  /** The marker for numbers `from`..`to` of `key` that are missing for good. */
  gap(key: string, from: number, to: number, reason: string, localTimestamp?: number): MarketEvent
  /**
   * True when a number the history skipped is missing (trade ids are all
   * served); false when it does not exist (an interval without trades has no
   * bar) — then only numbers past the last one the history answered for are missing.
   */
  readonly skippedAreMissing: boolean
  /**
   * True when numbers grow by exactly one per item (Binance and Kraken trade
   * ids, bar indexes): any jump is a hole. False when they only increase
   * (OKX trade ids): a jump is a hole only after an interruption the caller
   * reports with `interrupted()` or a resume point, since items may have
   * been lost there; elsewhere it is the venue's numbering.
   */
  readonly consecutive: boolean
  /**
   * With `consecutive` and `skippedAreMissing` false (numbers expected to grow by one but not
   * promised to: every jump is checked, the history decides): after this many checks in a row
   * that found nothing missing, a key's jumps are taken as the venue's numbering and only checked
   * after an interruption, so a venue that does skip numbers does not cost a request per item.
   * Default: never.
   */
  readonly trustAfterEmptyChecks?: number
  /** Numbers `from`..`to` of `key` in words, for gap reasons (`2..9`; bars: their open times). */
  range(key: string, from: number, to: number): string
  /** Names the cap in gap reasons (`maxRecoveredTrades`). */
  readonly capName: string
  /** What is counted, plural (`trades`, `bars`), for gap reasons. */
  readonly noun: string
}

/** Numbers `from`..`to` (inclusive) of `key` that must be fetched. */
export interface SequenceHole {
  readonly key: string
  readonly from: number
  readonly to: number
  /** Exchange time of the last item received before the hole, µs (for venues that page history by time). */
  readonly afterTimestamp: number
}

/** Where missed items come from. */
export interface SequenceHistory<T> {
  /** Names the endpoint in gap reasons. */
  readonly name: string
  /**
   * Pages covering `hole`, each ascending. Items outside the hole are not
   * emitted; with `skippedAreMissing` false one past the hole proves it
   * complete. Rejects on failure; iteration stops once the hole is covered.
   */
  fetch(hole: SequenceHole, signal: AbortSignal): AsyncIterable<readonly T[]>
}

/** What every continuity check (the engine, trades, bars) is given besides its rule, history and bound. */
export interface ContinuityCommonOptions {
  /** Exchange id, for gap markers and the stop error. */
  readonly exchange: string
  /** A resume point older than this (µs, against the clock when its first hole is found) is not recovered. Default: no bound. */
  readonly maxResumeAgeMicros?: number
  /** The reason of a gap reported without trying to recover it (no history, or a recovery bound of 0). */
  readonly unrecoveredReason: string
  /** Emits events produced after a recovery answered (outside any frame): recovered, released and gap events. */
  readonly emit: (event: MarketEvent) => void
  readonly logger?: Logger
  /** Clock, µs. Default `nowMicros`. */
  readonly now?: () => number
}

/** Options of {@link SequenceContinuity}. */
export interface SequenceContinuityOptions<T> extends ContinuityCommonOptions {
  readonly rule: SequenceRule<T>
  /** Where holes are recovered from; undefined: a hole is only reported as a gap. */
  readonly history?: SequenceHistory<T>
  /** Most numbers recovered per hole and most live items held per key meanwhile; 0: recover nothing. */
  readonly maxRecovered: number
  /** Names the age bound in gap reasons. Default `maxResumeAgeMs`. */
  readonly maxResumeAgeName?: string
}

/** The common options alone (a wrapper's options carry more), without keys left undefined. */
export function commonOptions(options: ContinuityCommonOptions): ContinuityCommonOptions {
  const { exchange, maxResumeAgeMicros, unrecoveredReason, emit, logger, now } = options
  return {
    exchange,
    unrecoveredReason,
    emit,
    ...(maxResumeAgeMicros === undefined ? {} : { maxResumeAgeMicros }),
    ...(logger === undefined ? {} : { logger }),
    ...(now === undefined ? {} : { now }),
  }
}

/** The last number received for a key. */
export interface SequencePosition {
  readonly seq: number
  /** Exchange time of that item, µs. */
  readonly timestamp: number
}

/** A hole waiting in (or being fetched for) a key's queue. */
interface Hole {
  readonly from: number
  readonly to: number
  /** Last number fetched: `to`, or less when the hole is larger than the cap. */
  readonly lastFetched: number
  readonly afterTimestamp: number
  /** First number not emitted yet, as an item or inside a gap. */
  next: number
}

/** A key's held items and holes, in stream order; `items[head]` goes out next. */
interface Queue<T> {
  items: (Held<T> | Hole)[]
  head: number
  /** Held live items from `head` on. */
  held: number
}

/** A live item waiting behind a recovery (boxed: an item may itself be any object). */
interface Held<T> {
  readonly item: T
}

interface KeyState<T> {
  /** Last number accounted for: emitted, held, inside a hole already queued or reported, or passed by an open item. */
  last: number
  /** Exchange time of the last item received, µs. */
  lastTimestamp: number
  /** Set by `resume()` until the first item arrives: its first hole is checked for age. */
  resumed: boolean
  /** Set by `resume()` and `interrupted()` until the next item: with increasing (not consecutive) numbers, a jump there is a hole. */
  suspect: boolean
  /** Checked jumps in a row that the history showed to hide nothing (see `trustAfterEmptyChecks`). */
  emptyChecks: number
  /** The key's jumps are its venue's numbering: checked only after an interruption. */
  trusted: boolean
  /** Present while the key recovers; replaced or removed when it stops (an answer in flight then sees it is stale). */
  queue: Queue<T> | undefined
}

const isHeld = <T>(entry: Held<T> | Hole): entry is Held<T> => 'item' in entry

/**
 * @example
 * const bars = new SequenceContinuity({ rule: barRule, exchange: 'binance', history, maxRecovered: 10_000,
 *   unrecoveredReason: 'bars missed', emit: (event) => push(event) })
 * bars.accept(bar, out) // in stream order
 */
export class SequenceContinuity<T extends MarketEvent> {
  /** Items dropped because their number was not after the last one received. */
  duplicates = 0
  readonly #options: SequenceContinuityOptions<T>
  readonly #rule: SequenceRule<T>
  readonly #logger: Logger
  readonly #now: () => number
  readonly #keys = new Map<string, KeyState<T>>()
  readonly #abort = new AbortController()

  constructor(options: SequenceContinuityOptions<T>) {
    this.#options = options
    this.#rule = options.rule
    this.#logger = options.logger ?? silentLogger
    this.#now = options.now ?? nowMicros
  }

  /**
   * Starts `key` from a consumer's resume point: number `seq` (exchange time
   * `timestamp`, µs) and everything before it are held already. Its first
   * item is then checked against it like any other. Ignored once the key has
   * items.
   */
  resume(key: string, seq: number, timestamp: number): void {
    if (this.#keys.has(key)) return
    this.#keys.set(key, { last: seq, lastTimestamp: timestamp, resumed: true, suspect: true, emptyChecks: 0, trusted: false, queue: undefined })
  }

  /**
   * Items of `key` may have been lost since its last one (the stream carrying
   * it broke): the next item is checked for a hole even where numbers are
   * only increasing. Where they are consecutive every jump is checked anyway.
   */
  interrupted(key: string): void {
    const state = this.#keys.get(key)
    if (state !== undefined) state.suspect = true
  }

  /**
   * One live item, in stream order. Appends what may go out now to `out`: the
   * item (unless it is a duplicate or held behind a recovery) and, when
   * nothing can recover a hole, the gap marker before it.
   */
  accept(item: T, out: MarketEvent[]): void {
    const rule = this.#rule
    const seq = rule.seq(item)
    const final = rule.final(item)
    const key = rule.key(item)
    const state = this.#keys.get(key)
    if (state === undefined) {
      this.#keys.set(key, { last: final ? seq : seq - 1, lastTimestamp: rule.time(item), resumed: false, suspect: false, emptyChecks: 0, trusted: false, queue: undefined })
      out.push(item)
      return
    }
    // Written so an unreadable number (NaN) is a duplicate, never a hole of unknown size.
    if (!(seq > state.last)) {
      this.duplicates++
      return
    }
    const first = rule.first === undefined ? seq : rule.first(item)
    if (first > state.last + 1 && ((rule.consecutive && !state.trusted) || state.suspect)) this.#hole(key, state, first - 1, item.localTimestamp, out)
    state.resumed = false
    state.suspect = false
    state.last = final ? seq : seq - 1
    state.lastTimestamp = rule.time(item)
    const queue = state.queue
    if (queue === undefined) {
      out.push(item)
      return
    }
    queue.items.push({ item })
    if (++queue.held >= this.#options.maxRecovered) this.#abandon(key, state, out)
  }

  /** True once `key` has had an item or a resume point. */
  has(key: string): boolean {
    return this.#keys.has(key)
  }

  /** True while `key` has a hole being recovered (its live items are held). */
  recovering(key: string): boolean {
    return this.#keys.get(key)?.queue !== undefined
  }

  /** The last number accounted for on `key` (emitted, held, or covered by a gap) and the time of the last item. */
  position(key: string): SequencePosition | undefined {
    const state = this.#keys.get(key)
    return state === undefined ? undefined : { seq: state.last, timestamp: state.lastTimestamp }
  }

  /** Drops everything held and cancels recoveries; answers still in flight are ignored. */
  stop(): void {
    this.#abort.abort(new FeedStoppedError(this.#options.exchange))
    for (const state of this.#keys.values()) state.queue = undefined
  }

  /** Numbers after `state.last` up to `to` are missing: queue them for recovery, or report them. */
  #hole(key: string, state: KeyState<T>, to: number, localTimestamp: number, out: MarketEvent[]): void {
    const from = state.last + 1
    const { maxRecovered, history } = this.#options
    const rule = this.#rule
    if (history === undefined || maxRecovered <= 0) {
      out.push(rule.gap(key, from, to, this.#options.unrecoveredReason, localTimestamp))
      return
    }
    const maxAge = this.#options.maxResumeAgeMicros
    if (state.resumed && maxAge !== undefined && this.#now() - state.lastTimestamp > maxAge) {
      const name = this.#options.maxResumeAgeName ?? 'maxResumeAgeMs'
      const reason = `not recovered: the resume point (${microsToIso(state.lastTimestamp)}) is older than ${name} (${maxAge / 1000} ms)`
      this.#logger.warn('resume point too old; reporting the missed range as a gap', { key, from, to })
      out.push(rule.gap(key, from, to, reason, localTimestamp))
      return
    }
    const hole: Hole = { from, to, lastFetched: Math.min(to, from + maxRecovered - 1), afterTimestamp: state.lastTimestamp, next: from }
    if (hole.lastFetched < to) {
      this.#logger.warn(`${rule.noun} hole larger than ${rule.capName}; recovering its oldest part only`, { key, from, to, recovering: maxRecovered })
    }
    if (state.queue !== undefined) {
      state.queue.items.push(hole)
      return
    }
    const queue: Queue<T> = { items: [hole], head: 0, held: 0 }
    state.queue = queue
    void this.#drain(key, state, queue)
  }

  /** Works through a key's queue: fills each hole, releases held items, then ends the recovery. */
  async #drain(key: string, state: KeyState<T>, queue: Queue<T>): Promise<void> {
    while (queue.head < queue.items.length) {
      const entry = queue.items[queue.head]!
      if (isHeld(entry)) {
        queue.head++
        queue.held--
        this.#options.emit(entry.item)
        continue
      }
      // Let what went out be collected while this hole is fetched (an index, not `shift()`,
      // which is O(n) per call: 100,000 held trades took seconds to release that way).
      if (queue.head > 0) {
        queue.items.splice(0, queue.head)
        queue.head = 0
      }
      const filled = await this.#fill(key, entry, state, queue)
      // The key may have been abandoned between the fill's end and here: its held items went out then.
      if (!filled || state.queue !== queue) return
      queue.head++
    }
    state.queue = undefined
  }

  /**
   * Emits the hole's items in order, page by page, with a gap for every range not
   * returned or not fetched. False when the recovery stopped being current meanwhile
   * (abandoned or stopped). Never rejects.
   */
  async #fill(key: string, hole: Hole, state: KeyState<T>, queue: Queue<T>): Promise<boolean> {
    const source = this.#options.history!
    const rule = this.#rule
    const emit = this.#options.emit
    let reason = `not returned by ${source.name}`
    let emitted = 0
    try {
      const request: SequenceHole = { key, from: hole.next, to: hole.lastFetched, afterTimestamp: hole.afterTimestamp }
      for await (const page of source.fetch(request, this.#abort.signal)) {
        if (state.queue !== queue) return false
        for (const item of ascending(page, rule)) {
          const seq = rule.seq(item)
          if (!(seq >= hole.next)) continue
          if (seq > hole.lastFetched) {
            // Past the hole: with numbers that may not exist, the history answered for all of it.
            if (!rule.skippedAreMissing) hole.next = hole.lastFetched + 1
            break
          }
          if (seq > hole.next && rule.skippedAreMissing) emit(rule.gap(key, hole.next, seq - 1, reason, item.localTimestamp))
          if (rule.final(item)) {
            emit(item)
            emitted++
          }
          hole.next = seq + 1
        }
        if (hole.next > hole.lastFetched) break
      }
    } catch (error) {
      if (state.queue !== queue) return false
      reason = `${source.name} failed: ${error instanceof Error ? error.message : String(error)}`
      this.#logger.warn(`${rule.noun} recovery failed`, { key, from: hole.next, to: hole.to, error: reason })
    }
    if (state.queue !== queue) return false
    const unrecovered = this.#unrecovered(key, hole, reason)
    this.#countCheck(key, state, emitted === 0 && unrecovered.length === 0)
    for (const event of unrecovered) emit(event)
    return true
  }

  /** After a hole: a check that found nothing missing counts towards trusting the key's numbering. */
  #countCheck(key: string, state: KeyState<T>, empty: boolean): void {
    const limit = this.#rule.trustAfterEmptyChecks
    if (limit === undefined) return
    state.emptyChecks = empty ? state.emptyChecks + 1 : 0
    if (state.emptyChecks >= limit && !state.trusted) {
      state.trusted = true
      this.#logger.warn(`${this.#rule.noun} numbers of a key skip without anything missing; checking them only after interruptions from now on`, {
        key,
        emptyChecks: state.emptyChecks,
      })
    }
  }

  /** Too many live items held: everything queued goes to `out` now, the unfetched numbers as gaps. */
  #abandon(key: string, state: KeyState<T>, out: MarketEvent[]): void {
    const queue = state.queue!
    state.queue = undefined
    const rule = this.#rule
    const reason = `recovery abandoned: ${queue.held} live ${rule.noun} held meanwhile (${rule.capName} is ${this.#options.maxRecovered})`
    this.#logger.warn(`${rule.noun} recovery abandoned; live items held too long`, { key, held: queue.held })
    for (let i = queue.head; i < queue.items.length; i++) {
      const entry = queue.items[i]!
      if (isHeld(entry)) out.push(entry.item)
      else out.push(...this.#unrecovered(key, entry, reason))
    }
  }

  /**
   * Gaps for the hole's numbers not emitted yet: up to `lastFetched` for `reason`; the rest for the
   * cap. None once the hole is accounted for: a recovery given up after its fill reported the hole
   * (held items not released yet) must not report the capped numbers again.
   */
  #unrecovered(key: string, hole: Hole, reason: string): MarketEvent[] {
    const rule = this.#rule
    const out: MarketEvent[] = []
    if (hole.next > hole.to) return out
    if (hole.next <= hole.lastFetched) out.push(rule.gap(key, hole.next, hole.lastFetched, reason))
    if (hole.lastFetched < hole.to) {
      const max = this.#options.maxRecovered
      const size = hole.to - hole.from + 1
      const capReason = `not recovered: ${rule.capName} (${max}) reached; the hole ${rule.range(key, hole.from, hole.to)} has ${size} ${rule.noun} and only its first ${max} are fetched`
      out.push(rule.gap(key, hole.lastFetched + 1, hole.to, capReason))
    }
    hole.next = hole.to + 1
    return out
  }
}

/** The page itself when already ascending (the usual case), else a sorted copy. */
function ascending<T>(page: readonly T[], rule: SequenceRule<T>): readonly T[] {
  for (let i = 1; i < page.length; i++) {
    if (rule.seq(page[i]!) < rule.seq(page[i - 1]!)) return [...page].sort((a, b) => rule.seq(a) - rule.seq(b))
  }
  return page
}
