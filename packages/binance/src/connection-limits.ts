/**
 * Binance allows 300 connection attempts per 5 minutes per IP
 * (https://developers.binance.com/docs/binance-spot-api-docs/web-socket-streams).
 * With every connection failing at once and reconnecting as fast as its
 * backoff allows, the feed must stay under that; this bounds it up front.
 */
import { InvalidArgumentError } from '@dccd/core'
import type { ConnectionOptions } from '@dccd/core'
import { CONNECTION_ATTEMPT_WINDOW_MS, MAX_CONNECTION_ATTEMPTS } from './symbols.js'

/** The backoff settings that bound reconnect attempts (transport defaults apply when unset). */
export type BackoffSettings = Pick<ConnectionOptions, 'initialBackoffMs' | 'backoffFactor' | 'maxBackoffMs'> & {
  jitter?: number
}

/**
 * Most attempts one connection can make within `windowMs` while every attempt
 * fails at once: the first, then one per shortest backoff delay
 * (`delay × (1 − jitter)`, the delay growing by `backoffFactor` up to `maxBackoffMs`).
 */
export function worstCaseAttempts(settings: BackoffSettings, windowMs = CONNECTION_ATTEMPT_WINDOW_MS): number {
  const initial = settings.initialBackoffMs ?? 1000
  const factor = settings.backoffFactor ?? 2
  const max = settings.maxBackoffMs ?? 60_000
  const jitter = settings.jitter ?? 0.5
  let delay = Math.min(initial, max)
  let elapsed = 0
  let attempts = 1
  for (;;) {
    const shortest = delay * (1 - jitter)
    if (!(shortest > 0)) return Infinity
    elapsed += shortest
    if (elapsed >= windowMs) return attempts
    attempts++
    delay = Math.min(delay * factor, max)
  }
}

/**
 * @throws InvalidArgumentError when `connections` sockets reconnecting at once could exceed
 *   300 attempts in 5 minutes (raise `maxBackoffMs`, lower `jitter`, or carry more streams per connection)
 */
export function checkConnectionAttempts(connections: number, settings: BackoffSettings): void {
  const attempts = connections * worstCaseAttempts(settings)
  if (attempts <= MAX_CONNECTION_ATTEMPTS) return
  throw new InvalidArgumentError(
    'option maxBackoffMs',
    settings.maxBackoffMs ?? 60_000,
    [`a backoff that keeps ${connections} connections under ${MAX_CONNECTION_ATTEMPTS} attempts per 5 min`],
    `${connections} connections could make ${attempts === Infinity ? 'unbounded' : attempts} connection attempts per 5 min; Binance allows ${MAX_CONNECTION_ATTEMPTS}`,
  )
}
