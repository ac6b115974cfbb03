/**
 * What `dccd backfill` should do, checked offline: the time range (ISO dates
 * or date-times, UTC unless they say otherwise), the output, the REST knobs.
 * Exchange-specific checks (symbols, channels, how far back the exchange
 * serves) are the adapter's `ExchangeHistory.check`, run next.
 */
import { microsToIso } from '@dccd/core'
import type { RecordFormat } from '@dccd/recorder'
import { parseChoice, parseUrl, splitList } from '../args.js'
import { UsageError } from '../errors.js'

/** A download. */
export interface BackfillPlan {
  readonly exchange: string
  readonly symbols: string[]
  /** `trades`, `bars:<interval>`. */
  readonly channels: string[]
  /** Start, µs (inclusive). */
  readonly from: number
  /** End, µs (exclusive); at most the time the run started. */
  readonly to: number
  readonly out: string
  readonly format: RecordFormat
  readonly restUrl?: string
  /** Share of the exchange's REST weight limit to spend. */
  readonly weightShare?: number
}

/** Options of `dccd backfill` as commander hands them over. */
export interface BackfillFlags {
  channels?: string
  from?: string
  to?: string
  out?: string
  format?: string
  restUrl?: string
  weightShare?: string
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?(Z|[+-]\d{2}:\d{2})?$/

/**
 * `2026-12-01` (midnight UTC), `2026-12-01T12:30`, `2026-12-01T12:30:00.5Z`,
 * `2026-12-01T12:30:00+01:00` → µs. A time without a zone is UTC.
 *
 * @throws UsageError naming the option and the accepted forms
 */
export function parseTime(value: string, option: string): number {
  const match = ISO.exec(String(value).trim())
  const invalid = (): UsageError =>
    new UsageError(`invalid ${option} ${JSON.stringify(value)}; use an ISO date or date-time such as 2026-12-01 or 2026-12-01T12:30:00Z (UTC unless a zone is given)`)
  if (match === null) throw invalid()
  const [, y, mo, d, h = '00', mi = '00', s = '00', fraction = '', zone = 'Z'] = match
  const ms = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}${zone}`)
  // Date.parse rolls 2026-02-30 over to March: reject calendar dates that do not exist.
  const day = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)))
  if (!Number.isFinite(ms) || day.getUTCMonth() !== Number(mo) - 1 || day.getUTCDate() !== Number(d)) throw invalid()
  return ms * 1000 + Number(fraction.padEnd(6, '0'))
}

/**
 * Builds the plan from the command line.
 *
 * @param now the time the run starts, µs: `--to` defaults to it, `--from` must be before it
 * @throws UsageError for a missing or bad value, naming it
 */
export function buildBackfillPlan(exchange: string, symbols: readonly string[], flags: BackfillFlags, now: number): BackfillPlan {
  if (symbols.length === 0) throw new UsageError('name at least one symbol, e.g. dccd backfill binance BTCUSDT --from 2026-12-01')
  const channels = splitList(flags.channels ?? 'trades')
  if (channels.length === 0) throw new UsageError('--channels is empty; valid: trades, bars:<interval>')
  if (flags.from === undefined) throw new UsageError('--from is required: the start of the history to download, e.g. --from 2026-12-01')
  const from = parseTime(flags.from, '--from')
  if (from >= now) throw new UsageError(`--from ${flags.from} is in the future (now is ${microsToIso(now)}); there is no history there yet`)
  let to = flags.to === undefined ? now : parseTime(flags.to, '--to')
  if (to <= from) throw new UsageError(`--from ${flags.from} is not before --to ${flags.to ?? microsToIso(to)}; the range is empty`)
  // History ends now: a later end would only wait for data that does not exist yet.
  if (to > now) to = now
  const weightShare = flags.weightShare === undefined ? undefined : Number(flags.weightShare)
  if (weightShare !== undefined && !(weightShare > 0 && weightShare <= 1)) {
    throw new UsageError(`invalid --weight-share ${JSON.stringify(flags.weightShare)}; use a number in (0, 1], e.g. 0.5`)
  }
  return {
    exchange,
    symbols: [...symbols],
    channels,
    from,
    to,
    out: flags.out ?? './data',
    format: parseChoice(flags.format ?? 'parquet', '--format', ['parquet', 'jsonl', 'csv'] as const),
    ...(flags.restUrl === undefined ? {} : { restUrl: parseUrl(flags.restUrl, '--rest-url') }),
    ...(weightShare === undefined ? {} : { weightShare }),
  }
}
