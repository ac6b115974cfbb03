/**
 * Field readers for adapters' parsers: each returns the normalized value or
 * throws a TypeError naming the field and showing the value, so a frame of
 * the wrong shape is counted as a parse error and skipped whole, never
 * half-applied. Shared so every adapter rejects the same things alike.
 */
import { decimalToNumber } from './decimal.js'
import { isPlausibleExchangeTime } from './time.js'

/**
 * A price or quantity: an unsigned decimal string whose value is finite and ≥ 0.
 *
 * @example decimalField('0.0100', 'trade price') // 0.01
 * @throws TypeError for anything else (a number, `''`, `'1e5'`, `'-1'`)
 */
export function decimalField(text: unknown, what: string): number {
  const value = typeof text === 'string' && text !== '' ? decimalToNumber(text) : Number.NaN
  // Written so NaN fails too.
  if (!(value >= 0 && value < Infinity)) invalidField(what, text)
  return value
}

/**
 * A decimal string that may be negative (a funding rate: `"-0.00010000"`).
 *
 * @throws TypeError for anything but an optionally signed decimal string
 */
export function signedDecimalField(text: unknown, what: string): number {
  if (typeof text !== 'string') invalidField(what, text)
  const negative = text.charCodeAt(0) === 45 /* - */
  const value = decimalToNumber(negative ? text.slice(1) : text)
  if (!(value >= 0 && value < Infinity)) invalidField(what, text)
  return negative ? -value : value
}

/**
 * An exchange time in integer ms, as a number or a digit string (OKX `"1652459199958"`),
 * → µs, when plausible (core's `isPlausibleExchangeTime`: from 2009 to a day after
 * the receive time).
 *
 * @throws TypeError for anything else
 */
export function msTimeField(ms: unknown, localTimestamp: number, what: string): number {
  const value = typeof ms === 'string' ? (ms === '' ? Number.NaN : Number(ms)) : typeof ms === 'number' ? ms : Number.NaN
  const micros = value * 1000
  if (!Number.isInteger(value) || !isPlausibleExchangeTime(micros, localTimestamp)) invalidField(what, ms)
  return micros
}

/** Throws the TypeError of a field of the wrong shape: `<what> is <value as JSON, 100 chars at most>`. */
export function invalidField(what: string, value: unknown): never {
  throw new TypeError(`${what} is ${(JSON.stringify(value) ?? String(value)).slice(0, 100)}`)
}
