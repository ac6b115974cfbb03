/**
 * Field readers every Binance parser shares (spot and futures frames, REST
 * bodies): each returns the normalized value or throws a TypeError naming
 * the field, so a frame of the wrong shape is counted as a parse error and
 * skipped whole, never half-applied.
 */
import { invalidField as invalid, isPlausibleExchangeTime } from '@dccd/core'

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

/** Prices and quantities, signed rates and the error of a bad field: core's readers, shared by every adapter. */
export { decimalField as decimal, invalidField as invalid, signedDecimalField as signedDecimal } from '@dccd/core'

/** A symbol as Binance writes it in a payload: a non-empty string. */
export function symbolField(value: unknown, what: string): string {
  if (typeof value !== 'string' || value === '') invalid(what, value)
  return value
}
