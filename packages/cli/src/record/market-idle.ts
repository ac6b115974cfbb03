/**
 * Notices a feed (or some of its symbols) that stopped sending market data
 * while the recording goes on. A socket can answer pings and stay open yet
 * deliver nothing; before, that only showed in the numbers at the end of the
 * run. This only reports: it never reconnects, since a quiet market looks
 * exactly the same from here.
 *
 * Cheap on the hot path: an event only sets a flag; the clock is read by
 * {@link MarketIdleTracker.check}, about once a second, so times are exact to
 * that period.
 */

/** One feed as the tracker sees it. */
export interface TrackedFeed {
  /** How messages name it: the exchange id, or `binance[1]` when a config records one exchange twice. */
  readonly label: string
  readonly symbols: readonly string[]
}

/** Something to tell the user, from {@link MarketIdleTracker.check}. */
export interface IdleNotice {
  /** `idle`: no market data for `idleMs`, still waiting; `resumed`: data again after `idleMs` without. */
  readonly kind: 'idle' | 'resumed'
  readonly feed: string
  /** The quiet symbols while the rest of the feed flows; empty when the whole feed is quiet. */
  readonly symbols: readonly string[]
  /** ms without market data (for several symbols: the shortest of them). */
  readonly idleMs: number
  /** From the feed's last status event; undefined before any. */
  readonly connected?: boolean
}

/** A line of the status display: what is quiet and for how long. */
export interface IdleEntry {
  readonly label: string
  readonly idleMs: number
}

/** Settings of a {@link MarketIdleTracker}. */
export interface MarketIdleOptions {
  /** Quiet this long before the first warning, ms. Default 60 000. */
  readonly thresholdMs?: number
  /** Warnings repeat at doubling quiet times (1m, 2m, 4m, …), at least this often once the doubling gets there, ms. Default 1 h. */
  readonly maxRepeatMs?: number
  /** Clock, ms. Default `Date.now`. */
  readonly now?: () => number
}

/** The quiet-time bookkeeping of one feed or one symbol. */
class Quiet {
  seen = false
  lastAt: number
  /** Quiet time at which the next warning is due, ms. */
  nextWarnAt: number
  warned = false

  constructor(
    at: number,
    private readonly thresholdMs: number,
  ) {
    this.lastAt = at
    this.nextWarnAt = thresholdMs
  }

  /** Folds the flag into the clock; returns how long it had been quiet when data came back, if it did. */
  settle(now: number): number | undefined {
    if (!this.seen) return undefined
    const was = now - this.lastAt
    this.seen = false
    this.lastAt = now
    this.nextWarnAt = this.thresholdMs
    const resumed = this.warned ? was : undefined
    this.warned = false
    return resumed
  }

  /** True when a warning is due now (and schedules the next one). */
  due(now: number, maxRepeatMs: number): boolean {
    const quiet = now - this.lastAt
    if (quiet < this.nextWarnAt) return false
    this.warned = true
    while (this.nextWarnAt <= quiet) this.nextWarnAt += Math.min(this.nextWarnAt, maxRepeatMs)
    return true
  }
}

interface FeedState {
  readonly label: string
  readonly quiet: Quiet
  readonly symbols: Map<string, Quiet>
  connected: boolean | undefined
}

/**
 * Time since the last market event (trades, books, bars; not status
 * events), per feed and per symbol.
 *
 * @example
 * const idle = new MarketIdleTracker([{ label: 'binance', symbols: ['BTCUSDT'] }])
 * idle.observe(0, event)                  // for every event of feed 0
 * setInterval(() => report(idle.check()), 1000)
 */
export class MarketIdleTracker {
  readonly #feeds: FeedState[]
  readonly #thresholdMs: number
  readonly #maxRepeatMs: number
  readonly #now: () => number

  constructor(feeds: readonly TrackedFeed[], options: MarketIdleOptions = {}) {
    this.#thresholdMs = options.thresholdMs ?? 60_000
    this.#maxRepeatMs = options.maxRepeatMs ?? 3_600_000
    this.#now = options.now ?? Date.now
    const at = this.#now()
    this.#feeds = feeds.map((feed) => ({
      label: feed.label,
      quiet: new Quiet(at, this.#thresholdMs),
      symbols: new Map(feed.symbols.map((symbol) => [symbol, new Quiet(at, this.#thresholdMs)])),
      connected: undefined,
    }))
  }

  /** Notes one event of feed number `feed` (its index in the constructor's list). Call for every event. */
  observe(feed: number, event: { readonly type: string; readonly symbol?: string; readonly status?: string }): void {
    const state = this.#feeds[feed]
    if (state === undefined) return
    if (event.type === 'status') {
      if (event.status === 'connected') state.connected = true
      else if (event.status === 'disconnected') state.connected = false
      return
    }
    state.quiet.seen = true
    const symbol = event.symbol === undefined ? undefined : state.symbols.get(event.symbol)
    if (symbol !== undefined) symbol.seen = true
  }

  /** What to tell the user now: warnings that are due, and data that came back after one. Call about once a second. */
  check(): IdleNotice[] {
    const now = this.#now()
    const notices: IdleNotice[] = []
    for (const feed of this.#feeds) {
      const connected = feed.connected === undefined ? {} : { connected: feed.connected }
      const resumedAfter = feed.quiet.settle(now)
      if (resumedAfter !== undefined) notices.push({ kind: 'resumed', feed: feed.label, symbols: [], idleMs: resumedAfter, ...connected })
      const resumed: string[] = []
      let resumedMs = Number.POSITIVE_INFINITY
      for (const [symbol, quiet] of feed.symbols) {
        const after = quiet.settle(now)
        if (after === undefined) continue
        resumed.push(symbol)
        resumedMs = Math.min(resumedMs, after)
      }
      // A whole feed coming back already says so for each of its symbols.
      if (resumed.length > 0 && resumedAfter === undefined) {
        notices.push({ kind: 'resumed', feed: feed.label, symbols: resumed, idleMs: resumedMs, ...connected })
      }
      if (feed.quiet.due(now, this.#maxRepeatMs)) {
        notices.push({ kind: 'idle', feed: feed.label, symbols: [], idleMs: now - feed.quiet.lastAt, ...connected })
        continue
      }
      // Quiet as a whole: its own schedule speaks for it. One symbol: the feed is the symbol.
      if (now - feed.quiet.lastAt >= this.#thresholdMs || feed.symbols.size < 2) continue
      const quiet: string[] = []
      let quietMs = Number.POSITIVE_INFINITY
      for (const [symbol, state] of feed.symbols) {
        if (!state.due(now, this.#maxRepeatMs)) continue
        quiet.push(symbol)
        quietMs = Math.min(quietMs, now - state.lastAt)
      }
      if (quiet.length > 0) notices.push({ kind: 'idle', feed: feed.label, symbols: quiet, idleMs: quietMs, ...connected })
    }
    return notices
  }

  /** What is quiet past the threshold now, for the status line (as of the last {@link check}). */
  idle(): IdleEntry[] {
    const now = this.#now()
    const entries: IdleEntry[] = []
    for (const feed of this.#feeds) {
      const feedQuiet = now - feed.quiet.lastAt
      if (feedQuiet >= this.#thresholdMs && !feed.quiet.seen) {
        entries.push({ label: feed.label, idleMs: feedQuiet })
        continue
      }
      if (feed.symbols.size < 2) continue
      const quiet = [...feed.symbols].filter(([, state]) => !state.seen && now - state.lastAt >= this.#thresholdMs)
      if (quiet.length === 0) continue
      const idleMs = Math.min(...quiet.map(([, state]) => now - state.lastAt))
      // Past three, a count keeps the line short.
      const label = quiet.length > 3 ? `${feed.label} (${quiet.length} symbols)` : `${feed.label} ${quiet.map(([symbol]) => symbol).join(',')}`
      entries.push({ label, idleMs })
    }
    return entries
  }
}

/** `65000` → `1m05s`; `45000` → `45s`; `7380000` → `2h03m`. */
export function formatQuietTime(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000))
  if (s < 60) return `${s}s`
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`
}

/**
 * One log line for a notice (without the `dccd warn:` prefix).
 *
 * @example formatIdleNotice({ kind: 'idle', feed: 'binance', symbols: [], idleMs: 60_000, connected: true })
 * // "binance: no market data for 1m00s (connection open); still waiting"
 */
export function formatIdleNotice(notice: IdleNotice): string {
  const who = notice.symbols.length === 0 ? notice.feed : `${notice.feed} ${notice.symbols.join(', ')}`
  const time = formatQuietTime(notice.idleMs)
  if (notice.kind === 'resumed') return `${who}: market data again after ${time} without`
  if (notice.symbols.length > 0) return `${who}: no market data for ${time} while other symbols flow; still waiting`
  const connection = notice.connected === undefined ? '' : notice.connected ? ' (connection open)' : ' (not connected; the feed reconnects by itself)'
  return `${who}: no market data for ${time}${connection}; still waiting`
}
