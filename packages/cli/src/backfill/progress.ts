/**
 * How far a backfill got. Each stream (a symbol's trades, or its bars at one
 * interval) covers its time range in order, so the share of the range behind
 * its latest record is its progress; the download's is the mean over streams.
 * Rows per second and the ETA come from the change since the previous line.
 */
import { formatClock } from '../record/progress.js'

/** One stream being downloaded. */
export interface StreamProgress {
  /** `BTCUSDT trades`, `BTCUSDT bars:1m`. */
  readonly label: string
  /** The range, µs. */
  readonly from: number
  readonly to: number
  /** Exchange time the stream has reached, µs. */
  position: number
  /** Rows written (trades or bars). */
  rows: number
  gaps: number
  done: boolean
}

/** What one status line shows. */
export interface BackfillSnapshot {
  readonly elapsedMs: number
  /** Share done, 0..1. */
  readonly fraction: number
  /** µs of history covered and in all, summed over streams. */
  readonly covered: number
  readonly total: number
  readonly rows: number
  readonly gaps: number
}

/** The progress of every stream of one download. */
export class BackfillProgress {
  readonly streams: StreamProgress[] = []

  /** A stream to download `from`..`to`, already covered up to `start` (a resumed run). */
  add(label: string, from: number, to: number, start = from): StreamProgress {
    const stream: StreamProgress = { label, from, to, position: Math.max(from, Math.min(start, to)), rows: 0, gaps: 0, done: start >= to }
    this.streams.push(stream)
    return stream
  }

  snapshot(elapsedMs: number): BackfillSnapshot {
    let covered = 0
    let total = 0
    let rows = 0
    let gaps = 0
    for (const stream of this.streams) {
      const span = stream.to - stream.from
      total += span
      covered += stream.done ? span : Math.max(0, Math.min(span, stream.position - stream.from))
      rows += stream.rows
      gaps += stream.gaps
    }
    return { elapsedMs, fraction: total > 0 ? covered / total : 1, covered, total, rows, gaps }
  }
}

const BAR_WIDTH = 20

/** `1h05m`, `3d02h`, `45s` for a span of history, µs. */
export function formatSpan(micros: number): string {
  const s = Math.floor(micros / 1_000_000)
  const d = Math.floor(s / 86_400)
  const h = Math.floor((s % 86_400) / 3600)
  const m = Math.floor((s % 3600) / 60)
  if (d > 0) return `${d}d${String(h).padStart(2, '0')}h`
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m`
  if (m > 0) return `${m}m${String(s % 60).padStart(2, '0')}s`
  return `${s}s`
}

/**
 * One status line: a bar, the share done, history covered of the whole,
 * rows per second since the previous line, the ETA at the recent pace.
 *
 * @example formatBackfillStatus(now, prev) // "[########............] 42% 10h05m/24h00m of history | 1210 rows/s | ETA 03:10 | 43561 rows | 0 gaps"
 */
export function formatBackfillStatus(now: BackfillSnapshot, previous?: BackfillSnapshot): string {
  const filled = Math.round(now.fraction * BAR_WIDTH)
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}]`
  const windowMs = now.elapsedMs - (previous?.elapsedMs ?? 0)
  const rate = windowMs > 0 ? ((now.rows - (previous?.rows ?? 0)) * 1000) / windowMs : 0
  const pace = windowMs > 0 ? (now.fraction - (previous?.fraction ?? 0)) / windowMs : 0
  const eta = now.fraction >= 1 ? 'done' : pace > 0 ? `ETA ${formatClock(Math.ceil((1 - now.fraction) / pace / 1000) * 1000)}` : 'ETA --:--'
  return [
    `${bar} ${Math.floor(now.fraction * 100)}% ${formatSpan(now.covered)}/${formatSpan(now.total)} of history`,
    `${Math.round(rate)} rows/s`,
    eta,
    `${now.rows} rows`,
    `${now.gaps} gaps`,
  ].join(' | ')
}
