/**
 * `dccd record --sink nats://host:4222 [--stream NAME] [--subject-prefix dccd] [--duplicate-window 2m]
 * [--max-spool 1GiB] [--replicas 1] [--max-age 30d] [--retention limits]` (or the same keys in the config file):
 * where events go instead of files. The stream options apply when dccd creates the stream.
 */
import { parseChoice, parseDuration, parseUrl } from '../args.js'
import { UsageError } from '../errors.js'

/** A JetStream sink to publish into. */
export interface SinkPlan {
  /** `nats://host:4222` */
  readonly url: string
  readonly stream: string
  readonly subjectPrefix: string
  /** The stream's duplicate window when dccd creates it, ms. */
  readonly duplicateWindowMs: number
  /** Largest local spool, bytes. */
  readonly maxSpoolBytes: number
  /** Replicas of the stream when dccd creates it (1, or up to 5 on a cluster). */
  readonly replicas: number
  /** Oldest message the stream keeps when dccd creates it, ms; 0: no limit. */
  readonly maxAgeMs: number
  /** JetStream retention policy when dccd creates it. */
  readonly retention: 'limits' | 'interest' | 'workqueue'
}

/** The raw values, from flags or the config file. */
export interface SinkInput {
  sink?: string | undefined
  stream?: string | undefined
  subjectPrefix?: string | undefined
  duplicateWindow?: string | undefined
  maxSpool?: string | undefined
  replicas?: string | undefined
  maxAge?: string | undefined
  retention?: string | undefined
}

const UNITS: Record<string, number> = { '': 1, B: 1, KB: 1e3, MB: 1e6, GB: 1e9, KIB: 1024, MIB: 1024 ** 2, GIB: 1024 ** 3 }
const TOKEN = /^[A-Za-z0-9_-]+$/

/** `1GiB`, `500MB`, `1048576` → bytes. */
export function parseSize(value: string, option: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([A-Za-z]*)$/.exec(value.trim())
  const unit = match === null ? undefined : UNITS[match[2]!.toUpperCase()]
  if (match === null || unit === undefined || Number(match[1]) <= 0) {
    throw new UsageError(`invalid ${option} ${JSON.stringify(value)}; use a size such as 500MB or 1GiB (units: B, KB, MB, GB, KiB, MiB, GiB)`)
  }
  return Math.floor(Number(match[1]) * unit)
}

/** The sink to use, or undefined without `--sink`. @throws UsageError for a bad value, or a sink option without `--sink` */
export function parseSinkPlan(input: SinkInput): SinkPlan | undefined {
  if (input.sink === undefined) {
    const stray = (['stream', 'subjectPrefix', 'duplicateWindow', 'maxSpool', 'replicas', 'maxAge', 'retention'] as const).find((key) => input[key] !== undefined)
    if (stray !== undefined) throw new UsageError(`--${stray.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} needs --sink nats://host:4222`)
    return undefined
  }
  const url = parseUrl(input.sink, '--sink')
  if (!url.startsWith('nats://') && !url.startsWith('tls://')) throw new UsageError(`invalid --sink ${JSON.stringify(input.sink)}; use nats://host:4222`)
  const stream = input.stream ?? 'DCCD'
  if (!TOKEN.test(stream)) throw new UsageError(`invalid --stream ${JSON.stringify(stream)}; use letters, digits, - and _`)
  const subjectPrefix = input.subjectPrefix ?? 'dccd'
  if (!subjectPrefix.split('.').every((token) => TOKEN.test(token))) {
    throw new UsageError(`invalid --subject-prefix ${JSON.stringify(subjectPrefix)}; use tokens of letters, digits, - and _ joined by dots`)
  }
  return {
    url,
    stream,
    subjectPrefix,
    duplicateWindowMs: parseDuration(input.duplicateWindow ?? '2m', '--duplicate-window'),
    maxSpoolBytes: parseSize(input.maxSpool ?? '1GiB', '--max-spool'),
    replicas: parseReplicas(input.replicas ?? '1'),
    maxAgeMs: input.maxAge === undefined ? 0 : parseDuration(input.maxAge, '--max-age'),
    retention: parseChoice(input.retention ?? 'limits', '--retention', ['limits', 'interest', 'workqueue'] as const),
  }
}

/** JetStream allows 1 to 5 replicas. */
function parseReplicas(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1 || n > 5) throw new UsageError(`invalid --replicas ${JSON.stringify(value)}; use 1 to 5 (more than 1 needs a JetStream cluster)`)
  return n
}
