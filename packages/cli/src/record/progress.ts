/**
 * Feedback while recording: on a terminal one status line redrawn in place;
 * elsewhere (CI logs, `nohup`) a plain log line every few seconds.
 */
import type { Io } from '../io.js'
import { formatQuietTime } from './market-idle.js'
import type { IdleEntry } from './market-idle.js'

/** Numbers the status line shows. */
export interface ProgressSnapshot {
  /** Records per data type since the start. */
  readonly records: ReadonlyMap<string, number>
  readonly filesSealed: number
  readonly reconnects: number
  readonly resyncs: number
  readonly gaps: number
  /** Since the start, ms. */
  readonly elapsedMs: number
  /** Total planned duration, ms, if any. */
  readonly durationMs?: number
  /** Feeds or symbols without market data past the warning threshold (see `MarketIdleTracker`). */
  readonly idle?: readonly IdleEntry[]
  /** `dccd record --sink`: the JetStream sink's state, in flight, queued and spooled. */
  readonly sink?: string
}

/** `75000` → `01:15`; hours when needed (`1:02:03`). */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000))
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = total % 60
  const mm = String(m).padStart(2, '0')
  const ss = String(s).padStart(2, '0')
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`
}

/**
 * One status line. Rates are per second over the window since `previous`.
 * Quiet feeds come right after the rates, where a narrow terminal still shows them.
 *
 * @example formatStatus(now, prev) // "00:12/00:30 trades 12.0/s book 40.5/s | 1234 events | 3 files | 0 reconnects | 0 resyncs | 0 gaps"
 * @example formatStatus(quiet, prev) // "01:10 trades 0.0/s | idle 1m05s binance | 1234 events | …"
 */
export function formatStatus(now: ProgressSnapshot, previous?: ProgressSnapshot): string {
  const windowMs = previous === undefined ? now.elapsedMs : now.elapsedMs - previous.elapsedMs
  const rates: string[] = []
  let total = 0
  for (const [type, count] of [...now.records].sort(([a], [b]) => a.localeCompare(b))) {
    total += count
    if (type === 'status') continue
    const delta = count - (previous?.records.get(type) ?? 0)
    const rate = windowMs > 0 ? (delta * 1000) / windowMs : 0
    rates.push(`${type} ${rate.toFixed(1)}/s`)
  }
  const clock =
    now.durationMs === undefined
      ? formatClock(now.elapsedMs)
      : `${formatClock(now.elapsedMs)}/${formatClock(now.durationMs)} (${formatClock(now.durationMs - now.elapsedMs + 999)} left)`
  const idle = now.idle !== undefined && now.idle.length > 0 ? [`idle ${now.idle.map((e) => `${formatQuietTime(e.idleMs)} ${e.label}`).join(', ')}`] : []
  return [
    `${clock} ${rates.length > 0 ? rates.join(' ') : 'waiting for data'}`,
    ...idle,
    `${total} events`,
    `${now.filesSealed} files`,
    `${now.reconnects} reconnects`,
    `${now.resyncs} resyncs`,
    `${now.gaps} gaps`,
    ...(now.sink === undefined ? [] : [now.sink]),
  ].join(' | ')
}

/**
 * Draws a status line (TTY) or logs it periodically (not a TTY). `format`
 * turns a snapshot (and the one shown before it, for rates) into the line:
 * `dccd record`'s by default, `dccd backfill` brings its own.
 */
export class ProgressReporter<S extends { readonly elapsedMs: number } = ProgressSnapshot> {
  #previous: S | undefined
  #lastLogAt = 0
  #lineShown = false

  constructor(
    private readonly io: Io,
    private readonly logEveryMs = 5000,
    private readonly format: (now: S, previous?: S) => string = formatStatus as unknown as (now: S, previous?: S) => string,
  ) {}

  /** Called about once a second. */
  update(snapshot: S): void {
    if (this.io.errIsTTY) {
      const width = Math.max(20, (this.io.columns || 120) - 1)
      this.io.err(`\r\x1b[2K${this.format(snapshot, this.#previous).slice(0, width)}`)
      this.#lineShown = true
      this.#previous = snapshot
    } else if (snapshot.elapsedMs - this.#lastLogAt >= this.logEveryMs) {
      this.io.err(`dccd: ${this.format(snapshot, this.#previous)}\n`)
      this.#lastLogAt = snapshot.elapsedMs
      this.#previous = snapshot
    }
  }

  /** Removes the live line so a log message prints on a clean line. */
  clear(): void {
    if (!this.#lineShown) return
    this.io.err('\r\x1b[2K')
    this.#lineShown = false
  }
}
