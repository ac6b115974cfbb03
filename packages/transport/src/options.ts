/**
 * Options of {@link WebSocketBase}: the shared `ConnectionOptions` from core
 * plus transport-only knobs, with defaults and validation.
 */
import { InvalidArgumentError, numberOption, silentLogger } from '@dccd/core'
import type { ConnectionOptions, Logger } from '@dccd/core'

/** Options of `WebSocketBase`. Every field is optional; defaults are listed per field. */
export interface WebSocketOptions extends ConnectionOptions {
  /** 0..1: share of each backoff delay that is randomised. Default 0.5. */
  jitter?: number
  /** Pace for `connection.send()` (subscriptions), messages per second per connection. Default: unlimited. */
  sendRatePerSecond?: number
  /** Rotate a connection before it reaches this age, ms (Binance drops sockets at 24 h). Default 0 (off). */
  maxConnectionAgeMs?: number
  /** Keep the old socket this long after the replacement got its first frame, ms. Default 5000. */
  rotationOverlapMs?: number
  /** Random delay in [0, connectSpreadMs) before every (re)connect, ms, so many slots do not stampede. Default 0. */
  connectSpreadMs?: number
  /** Give up an opening handshake that has not completed after this long, ms, and retry. Default 10000. */
  connectTimeoutMs?: number
}

/** {@link WebSocketOptions} with every default filled in. */
export interface ResolvedWebSocketOptions {
  readonly initialBackoffMs: number
  readonly backoffFactor: number
  readonly maxBackoffMs: number
  readonly pingIntervalMs: number
  readonly staleTimeoutMs: number
  readonly closeTimeoutMs: number
  readonly maxQueueSize: number
  readonly stableAfterMs: number
  readonly jitter: number
  readonly sendRatePerSecond: number
  readonly maxConnectionAgeMs: number
  readonly rotationOverlapMs: number
  readonly connectSpreadMs: number
  readonly connectTimeoutMs: number
  readonly signal: AbortSignal | undefined
  readonly logger: Logger
}

const DEFAULTS = {
  initialBackoffMs: 1000,
  backoffFactor: 2,
  maxBackoffMs: 60_000,
  pingIntervalMs: 10_000,
  staleTimeoutMs: 10_000,
  closeTimeoutMs: 1000,
  maxQueueSize: 10_000,
  stableAfterMs: 10_000,
  jitter: 0.5,
  sendRatePerSecond: Number.POSITIVE_INFINITY,
  maxConnectionAgeMs: 0,
  rotationOverlapMs: 5000,
  connectSpreadMs: 0,
  connectTimeoutMs: 10_000,
} as const

type NumericOption = keyof typeof DEFAULTS

/**
 * Fills defaults and validates. Throws `InvalidArgumentError` (code
 * `DCCD_INVALID_ARGUMENT`) naming the option and the valid range.
 */
export function resolveWebSocketOptions(options: WebSocketOptions = {}): ResolvedWebSocketOptions {
  const read = (name: NumericOption, valid: (n: number) => boolean, range: string): number =>
    numberOption(name, options[name], DEFAULTS[name], valid, range)
  const nonNegative = (n: number): boolean => n >= 0 && Number.isFinite(n)
  const positive = (n: number): boolean => n > 0 && Number.isFinite(n)
  const resolved: ResolvedWebSocketOptions = {
    initialBackoffMs: read('initialBackoffMs', positive, 'a number > 0'),
    backoffFactor: read('backoffFactor', (n) => n >= 1 && Number.isFinite(n), 'a number >= 1'),
    maxBackoffMs: read('maxBackoffMs', positive, 'a number > 0'),
    pingIntervalMs: read('pingIntervalMs', nonNegative, 'a number >= 0 (0 turns heartbeats off)'),
    staleTimeoutMs: read('staleTimeoutMs', positive, 'a number > 0'),
    closeTimeoutMs: read('closeTimeoutMs', nonNegative, 'a number >= 0'),
    maxQueueSize: read('maxQueueSize', (n) => Number.isInteger(n) && n >= 1, 'an integer >= 1'),
    stableAfterMs: read('stableAfterMs', nonNegative, 'a number >= 0'),
    jitter: read('jitter', (n) => n >= 0 && n <= 1, 'a number from 0 to 1'),
    sendRatePerSecond: read('sendRatePerSecond', (n) => n > 0, 'a number > 0 (Infinity: unlimited)'),
    maxConnectionAgeMs: read('maxConnectionAgeMs', nonNegative, 'a number >= 0 (0 turns rotation off)'),
    rotationOverlapMs: read('rotationOverlapMs', nonNegative, 'a number >= 0'),
    connectSpreadMs: read('connectSpreadMs', nonNegative, 'a number >= 0'),
    connectTimeoutMs: read('connectTimeoutMs', positive, 'a number > 0'),
    signal: options.signal,
    logger: options.logger ?? silentLogger,
  }
  if (resolved.maxBackoffMs < resolved.initialBackoffMs) {
    throw new InvalidArgumentError('option maxBackoffMs', resolved.maxBackoffMs, [
      `a number >= initialBackoffMs (${resolved.initialBackoffMs})`,
    ])
  }
  return resolved
}

/**
 * Most connection attempts one slot can make within `windowMs` while every
 * attempt fails at once: the first, then one per shortest backoff delay
 * (`delay × (1 − jitter)`, growing by `backoffFactor` up to `maxBackoffMs`),
 * with this transport's defaults for what `options` leaves out. For exchanges
 * that limit connection attempts per IP (Binance: 300 per 5 minutes).
 *
 * @example worstCaseConnectAttempts({}, 5 * 60_000) // 15 with the defaults
 */
export function worstCaseConnectAttempts(options: WebSocketOptions, windowMs: number): number {
  const { initialBackoffMs, backoffFactor, maxBackoffMs, jitter } = resolveWebSocketOptions(options)
  let delay = Math.min(initialBackoffMs, maxBackoffMs)
  let elapsed = 0
  let attempts = 1
  for (;;) {
    const shortest = delay * (1 - jitter)
    if (!(shortest > 0)) return Infinity
    elapsed += shortest
    if (elapsed >= windowMs) return attempts
    attempts++
    delay = Math.min(delay * backoffFactor, maxBackoffMs)
  }
}
