/**
 * Parsers for option values. Each throws a {@link UsageError} whose message
 * names the bad value and what would have been valid.
 */
import type { BookSnapshotSpec } from '@dccd/recorder'
import { UsageError } from './errors.js'

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }

/**
 * `30s`, `10m`, `1h`, `1.5h`, `500ms`, `2d` → milliseconds. A bare number means seconds.
 *
 * @throws UsageError for anything else, or zero
 */
export function parseDuration(value: string, option: string): number {
  const match = DURATION.exec(String(value).trim())
  const ms = match ? Number(match[1]) * UNIT_MS[match[2] ?? 's']! : Number.NaN
  if (!(ms > 0) || !Number.isFinite(ms)) {
    throw new UsageError(`invalid ${option} ${JSON.stringify(value)}; use a duration such as 30s, 10m, 1h`)
  }
  return Math.round(ms)
}

/** Output formats of `dccd read`. */
export type ReadFormat = 'table' | 'jsonl'

/** Checks a value against a fixed list. */
export function parseChoice<T extends string>(value: string, option: string, choices: readonly T[]): T {
  if (!choices.includes(value as T)) {
    throw new UsageError(`invalid ${option} ${JSON.stringify(value)}; valid: ${choices.join(', ')}`)
  }
  return value as T
}

/**
 * `1s:20` → every second, top 20 levels per side.
 *
 * @throws UsageError naming the value and the expected form
 */
export function parseBookSnapshots(value: string): BookSnapshotSpec {
  const [interval, depth, extra] = String(value).split(':')
  const levels = Number(depth)
  if (extra !== undefined || interval === undefined || !Number.isInteger(levels) || levels < 1 || levels > 1000) {
    throw new UsageError(
      `invalid --book-snapshots ${JSON.stringify(value)}; use interval:depth such as 1s:20 (depth 1..1000)`,
    )
  }
  return { intervalMs: parseDuration(interval, '--book-snapshots interval'), depth: levels }
}

/** A positive integer option (`--limit`, `--depth`); `allowZero` admits 0 (meaning "all"). */
export function parseCount(value: string, option: string, allowZero = false): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < (allowZero ? 0 : 1)) {
    throw new UsageError(`invalid ${option} ${JSON.stringify(value)}; use a whole number${allowZero ? ' (0 = all)' : ' ≥ 1'}`)
  }
  return n
}

/** `trades,book, bars:1m` → `['trades', 'book', 'bars:1m']`. */
export function splitList(value: string | readonly string[]): string[] {
  const parts = typeof value === 'string' ? value.split(',') : value.flatMap((v) => String(v).split(','))
  return parts.map((part) => part.trim()).filter((part) => part.length > 0)
}

/** A URL override (`--ws-url`, `--rest-url`): must parse as an absolute URL; the adapter checks the rest. */
export function parseUrl(value: string, option: string): string {
  try {
    new URL(value)
  } catch {
    throw new UsageError(`invalid ${option} ${JSON.stringify(value)}; expected an absolute URL such as ws://127.0.0.1:8080`)
  }
  return value
}
