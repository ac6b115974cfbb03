/**
 * Errors with stable `code`s. Code that branches on an error should check
 * `code`, which still works when two copies of `@dccd/core` are installed.
 */

/**
 * Every stable code a dccd error carries, across all dccd packages (listed in
 * core's README). Branch on these, not on classes or messages.
 */
export type DccdErrorCode =
  /** A bad symbol, channel, interval or option (core `InvalidArgumentError`). */
  | 'DCCD_INVALID_ARGUMENT'
  /** A book update did not continue the previous one (core `SequenceGapError`). */
  | 'DCCD_SEQUENCE_GAP'
  /** A book's checksum disagrees with the exchange's (core `ChecksumMismatchError`). */
  | 'DCCD_CHECKSUM_MISMATCH'
  /** The adapter does not offer what was asked (core `NoCapabilityError`). */
  | 'DCCD_NO_CAPABILITY'
  /** The exchange itself refused (core `ExchangeError`). */
  | 'DCCD_EXCHANGE_ERROR'
  /** A REST request failed after its retries (core `RequestError`). */
  | 'DCCD_REQUEST_FAILED'
  /** The feed was stopped while the operation was pending (core `FeedStoppedError`). */
  | 'DCCD_FEED_STOPPED'
  /** `stream()` or `streamRaw()` called twice on one feed (transport `StreamStateError`). */
  | 'DCCD_STREAM_STATE'
  /** Bad command-line input (cli `UsageError`, exit code 2). */
  | 'DCCD_USAGE'
  /** Another live process records into the output folder (recorder `OutputLockedError`). */
  | 'DCCD_OUTPUT_LOCKED'
  /** A path to read recorded data from is missing or not a data file (recorder `DataPathError`). */
  | 'DCCD_DATA_PATH'
  /** The JetStream sink's local spool reached its size limit while NATS was unreachable (nats `SpoolFullError`). */
  | 'DCCD_SPOOL_FULL'
  /** The JetStream stream exists with a configuration the sink cannot publish into (nats `StreamConflictError`). */
  | 'DCCD_STREAM_CONFLICT'

/** Base class of every dccd error. */
export abstract class DccdError extends Error {
  /** Stable, prefixed SCREAMING_SNAKE code. */
  abstract readonly code: DccdErrorCode

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = new.target.name
  }
}

/** True when `error` is a dccd error with the given code (works across package copies). */
export function hasErrorCode(error: unknown, code: DccdErrorCode): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code
}

/**
 * The one-line message of anything thrown: an `Error`'s first message line,
 * otherwise its string form. For logs and status reasons.
 *
 * @example errorMessage(new Error('HTTP 500\nbody…')) // 'HTTP 500'
 */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message.split('\n')[0]!
  return String(error)
}

/** A bad symbol, channel, interval or option. The message names the bad value and the valid ones. */
export class InvalidArgumentError extends DccdError {
  readonly code = 'DCCD_INVALID_ARGUMENT'

  /**
   * @param argument what was wrong (`symbol`, `channel`, `bar interval`, `option bookDepth`, …)
   * @param value the offending value
   * @param allowed the valid values, or a description of the valid format
   */
  constructor(
    readonly argument: string,
    readonly value: unknown,
    readonly allowed: readonly string[],
    detail?: string,
  ) {
    super(
      `Invalid ${argument} ${formatValue(value)}${detail ? ` (${detail})` : ''}. Valid: ${
        allowed.length > 0 ? formatAllowed(allowed) : '(none)'
      }`,
    )
  }
}

/** Quotes strings; shows numbers as JS writes them (JSON would turn NaN and Infinity into `null`); never throws. */
function formatValue(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'symbol' || value === undefined) {
    return String(value)
  }
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value) // circular objects
  }
}

function formatAllowed(allowed: readonly string[]): string {
  const shown = allowed.slice(0, 20).join(', ')
  return allowed.length > 20 ? `${shown}, … (${allowed.length} in all)` : shown
}

/** A book update did not continue the previous one. */
export class SequenceGapError extends DccdError {
  readonly code = 'DCCD_SEQUENCE_GAP'

  constructor(
    readonly symbol: string,
    readonly expected: number | string,
    readonly received: number | string,
  ) {
    super(`Sequence gap on ${symbol}: expected ${expected}, received ${received}`)
  }
}

/** A book's checksum disagrees with the exchange's. */
export class ChecksumMismatchError extends DccdError {
  readonly code = 'DCCD_CHECKSUM_MISMATCH'

  constructor(
    readonly symbol: string,
    readonly expected: number | string,
    readonly actual: number | string,
  ) {
    super(`Checksum mismatch on ${symbol}: exchange sent ${expected}, local book gives ${actual}`)
  }
}

/** The exchange (adapter) does not offer what was asked for. */
export class NoCapabilityError extends DccdError {
  readonly code = 'DCCD_NO_CAPABILITY'

  constructor(
    readonly exchange: string,
    readonly capability: string,
  ) {
    super(`Exchange ${exchange} does not support ${capability}`)
  }
}

/** An error reported by the exchange itself (REST error body or subscribe error). */
export class ExchangeError extends DccdError {
  readonly code = 'DCCD_EXCHANGE_ERROR'

  /**
   * @param exchange exchange id
   * @param exchangeCode the exchange's own error code (`-1121`) or message key, when it gives one
   */
  constructor(
    readonly exchange: string,
    readonly exchangeCode: number | string | undefined,
    message: string,
    options?: { cause?: unknown; status?: number },
  ) {
    super(`${exchange}: ${message}${exchangeCode !== undefined ? ` (code ${exchangeCode})` : ''}`, options)
    this.status = options?.status
  }

  /** HTTP status when the error came from REST. */
  readonly status: number | undefined
}

/** A REST request failed after its retries (network error, timeout, 429/5xx). */
export class RequestError extends DccdError {
  readonly code = 'DCCD_REQUEST_FAILED'

  constructor(
    readonly url: string,
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(`${message} (${url})`, options)
  }
}

/**
 * The feed was stopped while something was pending (a REST request, a
 * recovery). The reason every dccd feed aborts its work with on `stop()`:
 * code that sees it can end quietly instead of reporting a failure.
 */
export class FeedStoppedError extends DccdError {
  readonly code = 'DCCD_FEED_STOPPED'

  constructor(readonly exchange?: string) {
    super(exchange === undefined ? 'feed stopped' : `${exchange} feed stopped`)
  }
}
