/**
 * What `dccd record` should do, from the command line or from a YAML config
 * file (`--config dccd.yaml`) that lists several feeds for one process:
 *
 * ```yaml
 * out: ./data                # optional; --out wins
 * format: parquet            # optional; --format wins
 * bookSnapshots: 1s:20       # optional
 * rotate: 1h                 # optional
 * feeds:
 *   - exchange: binance
 *     symbols: [BTCUSDT, ETHUSDT]
 *     channels: [trades, book, bars:1m]
 *   - exchange: kraken
 *     symbols: [BTC/USD]
 *     channels: trades,book
 *     wsUrl: ws://127.0.0.1:8080      # optional per-feed overrides (base URLs)
 *   - exchange: binance
 *     symbols: { quote: USDT, type: spot }   # from the instrument list (shard/selector.ts)
 * ```
 *
 * An unknown key or a value of the wrong type is bad input (exit 2), named
 * with the valid keys or the expected type: see `config-schema.ts`.
 */
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import type { BookSnapshotSpec, RecordFormat } from '@dccd/recorder'
import { parseBookSnapshots, parseChoice, parseDuration, parseUrl, splitList } from './args.js'
import { validateConfig } from './config-schema.js'
import type { ConfigFile } from './config-schema.js'
import { UsageError } from './errors.js'
import { parseSinkPlan } from './record/sink-plan.js'
import type { SinkPlan } from './record/sink-plan.js'
import { feedSelector } from './shard/selector.js'
import type { InstrumentSelector } from './shard/selector.js'
import { parseShard } from './shard/shard.js'
import type { ShardSpec } from './shard/shard.js'

/** One feed to record. */
export interface FeedPlan {
  readonly exchange: string
  readonly symbols: string[]
  readonly channels: string[]
  readonly wsUrl?: string
  readonly restUrl?: string
  /** Book depth to subscribe to, where the exchange offers a choice. */
  readonly bookDepth?: number
  /** Check symbols against the exchange's list even with URL overrides. Default: the adapter's (on for real endpoints). */
  readonly validateSymbols?: boolean
  /** Symbols from the exchange's instrument list; `symbols` is empty until `resolveRecordSymbols` fills it. */
  readonly symbolsFrom?: InstrumentSelector
}

/** A whole recording. */
export interface RecordPlan {
  readonly out: string
  readonly format: RecordFormat
  /** Stop after this long, ms; undefined = until Ctrl-C. */
  readonly durationMs?: number
  /** Seal files at least this often, ms. */
  readonly rotateMs: number
  /**
   * A resume point older than this is not recovered from the exchange (one `gap` instead), ms; undefined: each
   * adapter's default (24 h).
   */
  readonly maxResumeAgeMs?: number
  readonly bookSnapshots?: BookSnapshotSpec
  /** `--shard i/n`: record only each feed's symbols of that shard. */
  readonly shard?: ShardSpec
  readonly feeds: FeedPlan[]
  /** Publish to this JetStream sink instead of writing files (`out` then holds the spool and the checkpoints). */
  readonly sink?: SinkPlan
}

/** Options of `dccd record` as commander hands them over. */
export interface RecordFlags {
  channels?: string
  out?: string
  format?: string
  duration?: string
  bookSnapshots?: string
  bookDepth?: string
  rotate?: string
  maxResumeAge?: string
  wsUrl?: string
  restUrl?: string
  validateSymbols?: boolean
  config?: string
  sink?: string
  stream?: string
  subjectPrefix?: string
  duplicateWindow?: string
  maxSpool?: string
  replicas?: string
  maxAge?: string
  retention?: string
  shard?: string
  symbolsFrom?: string
}

const FORMATS = ['parquet', 'jsonl', 'csv'] as const
const DEFAULT_CHANNELS = 'trades,book'

/** Builds the plan from arguments (and the config file when given). */
export function buildRecordPlan(exchange: string | undefined, symbols: string[], flags: RecordFlags): RecordPlan {
  const file = flags.config === undefined ? undefined : readConfig(flags.config)
  const pick = (
    flag: string | undefined,
    key:
      | 'out'
      | 'format'
      | 'duration'
      | 'rotate'
      | 'maxResumeAge'
      | 'bookSnapshots'
      | 'sink'
      | 'stream'
      | 'subjectPrefix'
      | 'duplicateWindow'
      | 'maxSpool'
      | 'replicas'
      | 'maxAge'
      | 'retention',
  ): string | undefined =>
    flag ?? (file?.[key] === undefined ? undefined : String(file[key]))
  const format = parseChoice(pick(flags.format, 'format') ?? 'parquet', '--format', FORMATS)
  const duration = pick(flags.duration, 'duration')
  const maxResumeAge = pick(flags.maxResumeAge, 'maxResumeAge')
  const snapshots = pick(flags.bookSnapshots, 'bookSnapshots')
  const bookDepth = flags.bookDepth === undefined ? undefined : parseBookDepth(flags.bookDepth)
  const sink = parseSinkPlan({
    sink: pick(flags.sink, 'sink'),
    stream: pick(flags.stream, 'stream'),
    subjectPrefix: pick(flags.subjectPrefix, 'subjectPrefix'),
    duplicateWindow: pick(flags.duplicateWindow, 'duplicateWindow'),
    maxSpool: pick(flags.maxSpool, 'maxSpool'),
    replicas: pick(flags.replicas, 'replicas'),
    maxAge: pick(flags.maxAge, 'maxAge'),
    retention: pick(flags.retention, 'retention'),
  })
  const feeds: FeedPlan[] = []
  if (exchange !== undefined) {
    if (symbols.length === 0 && flags.symbolsFrom === undefined) throw new UsageError(`missing symbol; e.g. dccd record ${exchange} <symbol…>`)
    feeds.push(
      feedPlan(
        { exchange, symbols, symbolsFrom: flags.symbolsFrom, channels: flags.channels ?? DEFAULT_CHANNELS, wsUrl: flags.wsUrl, restUrl: flags.restUrl, bookDepth, validateSymbols: flags.validateSymbols },
        'command line',
      ),
    )
  }
  if (file !== undefined) {
    file.feeds.forEach((feed, i) => {
      feeds.push(
        feedPlan(
          {
            exchange: feed.exchange,
            symbols: feed.symbols,
            channels: feed.channels ?? flags.channels ?? DEFAULT_CHANNELS,
            wsUrl: feed.wsUrl ?? flags.wsUrl,
            restUrl: feed.restUrl ?? flags.restUrl,
            bookDepth: feed.bookDepth ?? bookDepth,
            validateSymbols: feed.validateSymbols ?? flags.validateSymbols,
          },
          `config feeds[${i}]`,
        ),
      )
    })
  }
  if (feeds.length === 0) throw new UsageError('missing exchange; e.g. dccd record binance BTCUSDT, or --config dccd.yaml')
  if (snapshots !== undefined && !feeds.some((feed) => feed.channels.includes('book'))) {
    throw new UsageError(`--book-snapshots ${JSON.stringify(snapshots)} needs the book channel; add it to --channels (e.g. trades,book)`)
  }
  return {
    out: pick(flags.out, 'out') ?? './data',
    format,
    ...(duration === undefined ? {} : { durationMs: parseDuration(duration, '--duration') }),
    rotateMs: parseDuration(pick(flags.rotate, 'rotate') ?? '1h', '--rotate'),
    ...(maxResumeAge === undefined ? {} : { maxResumeAgeMs: parseDuration(maxResumeAge, '--max-resume-age') }),
    ...(snapshots === undefined ? {} : { bookSnapshots: parseBookSnapshots(snapshots) }),
    ...(flags.shard === undefined ? {} : { shard: parseShard(flags.shard) }),
    feeds,
    ...(sink === undefined ? {} : { sink }),
  }
}

function parseBookDepth(value: string): number {
  const depth = Number(value)
  if (!Number.isInteger(depth) || depth < 1) throw new UsageError(`invalid --book-depth ${JSON.stringify(value)}; use a whole number ≥ 1`)
  return depth
}

function feedPlan(raw: Record<string, unknown>, where: string): FeedPlan {
  if (typeof raw.exchange !== 'string' || raw.exchange === '') throw new UsageError(`${where}: missing exchange`)
  const symbolsFrom = feedSelector(raw.symbols, raw.symbolsFrom, where)
  const symbols = symbolsFrom === undefined && (typeof raw.symbols === 'string' || Array.isArray(raw.symbols)) ? splitList(raw.symbols as string) : []
  if (symbols.length === 0 && symbolsFrom === undefined) throw new UsageError(`${where}: missing symbols for ${raw.exchange}`)
  const channels = typeof raw.channels === 'string' || Array.isArray(raw.channels) ? splitList(raw.channels as string) : []
  if (channels.length === 0) throw new UsageError(`${where}: missing channels for ${raw.exchange}`)
  return {
    exchange: raw.exchange,
    symbols,
    channels,
    ...(typeof raw.wsUrl === 'string' ? { wsUrl: parseUrl(raw.wsUrl, '--ws-url') } : {}),
    ...(typeof raw.restUrl === 'string' ? { restUrl: parseUrl(raw.restUrl, '--rest-url') } : {}),
    ...(typeof raw.bookDepth === 'number' ? { bookDepth: raw.bookDepth } : {}),
    ...(typeof raw.validateSymbols === 'boolean' ? { validateSymbols: raw.validateSymbols } : {}),
    ...(symbolsFrom === undefined ? {} : { symbolsFrom }),
  }
}

function readConfig(path: string): ConfigFile {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    throw new UsageError(`cannot read --config ${JSON.stringify(path)}: ${(error as NodeJS.ErrnoException).code ?? error}`)
  }
  let value: unknown
  try {
    value = parse(text)
  } catch (error) {
    throw new UsageError(`invalid YAML in --config ${JSON.stringify(path)}: ${(error as Error).message.split('\n')[0]}`)
  }
  return validateConfig(value, `config ${JSON.stringify(path)}`)
}
