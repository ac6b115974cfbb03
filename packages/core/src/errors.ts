/**
 * Errors with stable `code`s. Code that branches on an error should check
 * `code`, which still works when two copies of `@dccd/core` are installed.
 */

/** Base class of every dccd error. */
export abstract class DccdError extends Error {
  /** Stable, prefixed SCREAMING_SNAKE code. */
  abstract readonly code: string

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = new.target.name
  }
}

/** True when `error` is a dccd error with the given code (works across package copies). */
export function hasErrorCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code
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
