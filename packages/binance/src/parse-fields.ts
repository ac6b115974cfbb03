/**
 * Field readers every Binance parser shares (spot and futures frames, REST
 * bodies): each returns the normalized value or throws a TypeError naming
 * the field, so a frame of the wrong shape is counted as a parse error and
 * skipped whole, never half-applied.
 */
import { decimalToNumber, isPlausibleExchangeTime } from '@dccd/core'

/**
 * An exchange time in ms → µs, when it is plausible (core's `isPlausibleExchangeTime`:
 * an integer from 2009 to a day after the receive time). `1e300` or a negative time
 * would otherwise reach books and recordings (the Parquet writer cannot store them).
 */
export function exchangeTime(ms: unknown, localTimestamp: number, what: string): number {
  const micros = (ms as number) * 1000
  if (typeof ms !== 'number' || !isPlausibleExchangeTime(micros, localTimestamp)) invalid(what, ms)
  return micros
}

/** A price or quantity: a decimal string whose value is finite and ≥ 0. */
export function decimal(text: unknown, what: string): number {
  const value = typeof text === 'string' && text !== '' ? decimalToNumber(text) : Number.NaN
  // Written so NaN fails too.
  if (!(value >= 0 && value < Infinity)) invalid(what, text)
  return value
}

/** A decimal string that may be negative (a funding rate: `"-0.00010000"`). */
export function signedDecimal(text: unknown, what: string): number {
  if (typeof text === 'string' && text.charCodeAt(0) === 45 /* - */) return -decimal(text.slice(1), what)
  return decimal(text, what)
}

/** A symbol as Binance writes it in a payload: a non-empty string. */
export function symbolField(value: unknown, what: string): string {
  if (typeof value !== 'string' || value === '') invalid(what, value)
  return value
}

export function invalid(what: string, value: unknown): never {
  throw new TypeError(`${what} is ${(JSON.stringify(value) ?? String(value)).slice(0, 100)}`)
}
