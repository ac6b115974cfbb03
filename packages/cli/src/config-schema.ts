/**
 * The shape of a `--config` file, checked before anything reads it. A
 * misspelt key (`bookdepth:`) used to be ignored and a wrong type coerced
 * (`validateSymbols: no` is the string "no" in YAML 1.2), so a config could
 * silently record something other than what it says. Every key is listed
 * here with its type; the messages name the key, the valid keys or the
 * expected type, and the value found. Values are checked further where they
 * are used (a format name, a duration, a URL).
 */
import { UsageError } from './errors.js'
import { isSelectorShape } from './shard/selector.js'

/** A config file that passed {@link validateConfig}. */
export interface ConfigFile {
  readonly out?: string
  readonly format?: string
  /** A duration string (`30s`) or a number of seconds. */
  readonly duration?: string | number
  readonly rotate?: string | number
  /** A duration string (`6h`) or a number of seconds: how old a resume point may be and still be recovered. */
  readonly maxResumeAge?: string | number
  readonly bookSnapshots?: string
  /** `nats://host:4222`: publish to JetStream instead of writing files (and the four keys below). */
  readonly sink?: string
  readonly stream?: string
  readonly subjectPrefix?: string
  readonly duplicateWindow?: string | number
  /** A size such as `1GiB`, or a number of bytes. */
  readonly maxSpool?: string | number
  /** When dccd creates the stream: its replicas, oldest message kept, retention policy. */
  readonly replicas?: number
  readonly maxAge?: string | number
  readonly retention?: string
  readonly feeds: readonly ConfigFeed[]
}

/** One entry of `feeds`. */
export interface ConfigFeed {
  readonly exchange?: string
  /** Named symbols, or a filter on the exchange's instrument list (`{ quote: USDT, type: spot }`). */
  readonly symbols?: string | readonly string[] | Readonly<Record<string, string | readonly string[]>>
  readonly channels?: string | readonly string[]
  readonly wsUrl?: string
  readonly restUrl?: string
  readonly bookDepth?: number
  readonly validateSymbols?: boolean
}

/** One value type: a test and what the message says was expected. */
interface ValueType {
  readonly test: (value: unknown) => boolean
  readonly expected: string
}

const isString = (value: unknown): boolean => typeof value === 'string'

const STRING: ValueType = { test: isString, expected: 'a string' }
const LIST: ValueType = {
  test: (value) => isString(value) || (Array.isArray(value) && value.every(isString)),
  expected: 'a list of strings or a comma-separated string',
}
const BOOLEAN: ValueType = { test: (value) => typeof value === 'boolean', expected: 'true or false' }
const COUNT: ValueType = { test: (value) => Number.isInteger(value) && (value as number) >= 1, expected: 'a whole number ≥ 1' }
const DURATION: ValueType = {
  test: (value) => isString(value) || (typeof value === 'number' && Number.isFinite(value)),
  expected: 'a duration such as 30s, 10m or 1h (a number means seconds)',
}

// Key order is the order the messages list them in.
const TOP: Record<string, ValueType | 'feeds'> = {
  out: STRING,
  format: STRING,
  duration: DURATION,
  rotate: DURATION,
  maxResumeAge: DURATION,
  bookSnapshots: { test: isString, expected: 'a string such as 1s:20' },
  sink: { test: isString, expected: 'a URL such as nats://127.0.0.1:4222' },
  stream: STRING,
  subjectPrefix: STRING,
  duplicateWindow: DURATION,
  maxSpool: { test: (value) => isString(value) || (Number.isInteger(value) && (value as number) > 0), expected: 'a size such as 1GiB (a number means bytes)' },
  replicas: { test: (value) => Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 5, expected: 'an integer from 1 to 5' },
  maxAge: DURATION,
  retention: { test: (value) => value === 'limits' || value === 'interest' || value === 'workqueue', expected: 'limits, interest or workqueue' },
  feeds: 'feeds',
}

const FEED: Record<string, ValueType> = {
  exchange: STRING,
  symbols: {
    test: (value) => LIST.test(value) || isSelectorShape(value),
    expected: `${LIST.expected}, or an instrument filter such as {quote: USDT, type: spot} (keys: type, base, quote, settle)`,
  },
  channels: LIST,
  wsUrl: STRING,
  restUrl: STRING,
  bookDepth: COUNT,
  validateSymbols: BOOLEAN,
}

/** A value as the message shows it: JSON, cut short. */
function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 60 ? `${text.slice(0, 57)}...` : text
}

/**
 * Checks a parsed config file against the schema.
 *
 * @param value what the YAML parser returned
 * @param where how messages name the file, e.g. `config "dccd.yaml"`
 * @throws UsageError naming the first bad key or value (exit 2)
 * @example
 * validateConfig(parse(text), `config ${JSON.stringify(path)}`)
 */
export function validateConfig(value: unknown, where: string): ConfigFile {
  const fail = (message: string): never => {
    throw new UsageError(`${where}: ${message}`)
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return fail(`must be a mapping with a "feeds" list, got ${shown(value)}`)
  }
  checkKeys(value as Record<string, unknown>, TOP, 'at the top level', '', fail)
  const feeds = (value as Record<string, unknown>).feeds
  if (!Array.isArray(feeds) || feeds.length === 0) {
    return fail('"feeds" must be a non-empty list of {exchange, symbols, channels}')
  }
  feeds.forEach((feed: unknown, i) => {
    if (feed === null || typeof feed !== 'object' || Array.isArray(feed)) {
      fail(`feeds[${i}] must be a mapping with exchange, symbols and channels, got ${shown(feed)}`)
    }
    checkKeys(feed as Record<string, unknown>, FEED, `in feeds[${i}]`, `feeds[${i}].`, fail)
  })
  return value as ConfigFile
}

function checkKeys(
  mapping: Record<string, unknown>,
  schema: Record<string, ValueType | 'feeds'>,
  place: string,
  prefix: string,
  fail: (message: string) => never,
): void {
  for (const [key, value] of Object.entries(mapping)) {
    const type = schema[key]
    if (type === undefined) fail(`unknown key ${JSON.stringify(key)} ${place}; valid: ${Object.keys(schema).join(', ')}`)
    if (type === undefined || type === 'feeds') continue
    if (!type.test(value)) fail(`${prefix}${key} must be ${type.expected}, got ${shown(value)}`)
  }
}
