/**
 * `dccd sink-to-files` flags → a checked plan, before any network use:
 * every mistake here is exit 2 with a message naming the bad value.
 */
import type { RecordFormat } from '@dccd/recorder'
import { parseChoice, parseCount, parseDuration } from '../args.js'
import { parseTime } from '../backfill/plan.js'
import { UsageError } from '../errors.js'

/** The flags as commander gives them. */
export interface SinkFlags {
  from?: string
  out: string
  stream: string
  durable: string
  format: string
  filter?: string
  subjectPrefix: string
  fromTime?: string
  toTime?: string
  rotate: string
  batch: string
  drain?: boolean
  verbose?: boolean
}

/** What a run does. */
export interface SinkPlan {
  /** `nats://host:port` */
  readonly from: string
  readonly out: string
  readonly stream: string
  readonly durable: string
  readonly format: RecordFormat
  readonly filter: string | undefined
  /** First subject token(s) the stream's events carry (`dccd record --subject-prefix`). */
  readonly subjectPrefix: string
  /** Replay window start, µs (stored time). */
  readonly fromTime: number | undefined
  /** Replay window end (exclusive), µs. */
  readonly toTime: number | undefined
  readonly rotateMs: number
  readonly batchSize: number
  /** Exit once caught up with the stream. */
  readonly drain: boolean
}

// Stream and consumer names: no `.`, `*`, `>`, whitespace or path separators (they name files on the server).
const NAME = /^[A-Za-z0-9_-]+$/
const TOKEN = /^[^\s.*>]+$/

/** @throws UsageError naming the bad flag and value */
export function buildSinkPlan(flags: SinkFlags): SinkPlan {
  if (flags.from === undefined) throw new UsageError('--from is required: the NATS server to read from, e.g. --from nats://127.0.0.1:4222')
  const from = parseNatsUrl(flags.from)
  for (const [option, value] of [['--stream', flags.stream], ['--durable', flags.durable]] as const) {
    if (!NAME.test(value)) throw new UsageError(`invalid ${option} ${JSON.stringify(value)}; use letters, digits, - and _`)
  }
  if (flags.filter !== undefined) checkFilter(flags.filter)
  if (!flags.subjectPrefix.split('.').every((token) => /^[A-Za-z0-9_-]+$/.test(token))) {
    throw new UsageError(`invalid --subject-prefix ${JSON.stringify(flags.subjectPrefix)}; use tokens of letters, digits, - and _ joined by dots`)
  }
  const fromTime = flags.fromTime === undefined ? undefined : parseTime(flags.fromTime, '--from-time')
  const toTime = flags.toTime === undefined ? undefined : parseTime(flags.toTime, '--to-time')
  if (toTime !== undefined && fromTime === undefined) throw new UsageError('--to-time needs --from-time: it ends a replay window')
  if (fromTime !== undefined && toTime !== undefined && toTime <= fromTime) {
    throw new UsageError(`--from-time ${flags.fromTime} is not before --to-time ${flags.toTime}; the window is empty`)
  }
  const batchSize = parseCount(flags.batch, '--batch')
  if (batchSize > 10_000) throw new UsageError(`invalid --batch ${JSON.stringify(flags.batch)}; use 1..10000`)
  return {
    from,
    out: flags.out,
    stream: flags.stream,
    durable: flags.durable,
    format: parseChoice(flags.format, '--format', ['parquet', 'jsonl', 'csv'] as const),
    filter: flags.filter,
    subjectPrefix: flags.subjectPrefix,
    fromTime,
    toTime,
    rotateMs: parseDuration(flags.rotate, '--rotate'),
    batchSize,
    drain: flags.drain === true || fromTime !== undefined,
  }
}

/** `nats://host:port` (or `tls://`); a bare `host:port` is taken as nats://. */
function parseNatsUrl(value: string): string {
  const text = /^[a-z]+:\/\//i.test(value) ? value : `nats://${value}`
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new UsageError(`invalid --from ${JSON.stringify(value)}; expected a NATS URL such as nats://127.0.0.1:4222`)
  }
  if ((url.protocol !== 'nats:' && url.protocol !== 'tls:') || url.hostname === '') {
    throw new UsageError(`invalid --from ${JSON.stringify(value)}; expected a NATS URL such as nats://127.0.0.1:4222 (nats:// or tls://)`)
  }
  return text
}

/** A subject filter: dot-separated tokens, `*` for one token, `>` only last. */
function checkFilter(filter: string): void {
  const tokens = filter.split('.')
  const ok = tokens.every((token, i) => token === '*' || (token === '>' && i === tokens.length - 1) || TOKEN.test(token))
  if (!ok) throw new UsageError(`invalid --filter ${JSON.stringify(filter)}; use a subject such as dccd.binance.> or dccd.*.trade.*`)
}
