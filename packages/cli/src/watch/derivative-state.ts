/**
 * The derivative state `dccd watch` shows. Venues send mark price, index
 * price, funding and open interest in separate messages, and a field a
 * message does not carry is absent (core's rule), so the view keeps the last
 * value it saw per field rather than the last message.
 */
import type { DerivativeEvent } from '@dccd/core'

const FIELDS = ['markPrice', 'indexPrice', 'fundingRate', 'fundingTime', 'openInterest'] as const

/**
 * The last value seen of each derivative field (units as in core's
 * `DerivativeEvent`: `fundingTime` µs, `fundingRate` a fraction); a field
 * never seen is absent. `timestamp` is the exchange time of the last
 * derivative message, µs.
 */
export type DerivativeState = Pick<DerivativeEvent, (typeof FIELDS)[number] | 'timestamp'>

/**
 * `previous` with every field `event` carries replaced.
 *
 * @example mergeDerivative({ markPrice: 100, fundingRate: 0.0001, timestamp: 1 }, { ...event, markPrice: 101 }) // funding kept
 */
export function mergeDerivative(previous: DerivativeState | undefined, event: DerivativeEvent): DerivativeState {
  const next: { -readonly [K in keyof DerivativeState]: DerivativeState[K] } = { ...previous, timestamp: event.timestamp }
  for (const field of FIELDS) {
    const value = event[field]
    if (value !== undefined) next[field] = value
  }
  return next
}
