/**
 * Rows of the records derivatives markets brought: quotes (best bid/offer,
 * which spot venues send too), derivative state and liquidations.
 *
 * Their optional fields follow core's rule "absent, never 0": a field the
 * record leaves out becomes NULL. A field that is present but null is not
 * absent. The journal is JSON, and JSON writes NaN and ±Infinity as null, so
 * a null there means the adapter emitted a number that is not finite; filing
 * it as "not sent" would hide that. Such a record is set aside instead, like
 * any other value its column cannot hold.
 */
import type { DerivativeEvent, LiquidationEvent, QuoteEvent } from '@dccd/core'
import type { Row } from './rows.js'

type Fields = Readonly<Record<string, unknown>>

/**
 * Checks that the record carries the event type of its data type (the
 * optional fields alone would fit almost anything).
 */
function checkType(record: Fields, type: string): void {
  if (record.type !== type) throw new TypeError(`its type is ${JSON.stringify(record.type)}, not "${type}"`)
}

/** The value of an optional field: null when absent; throws when present as null. */
function optional(record: Fields, key: string): Row[string] {
  if (!Object.hasOwn(record, key)) return null
  const value = record[key]
  if (value === null) throw new TypeError(`${key} is null, which JSON makes of a number that is not finite; a value not sent is left out`)
  return value as Row[string]
}

// Each row is one object literal with the leading columns of every data type (as rows.ts writes them): quotes can
// be the busiest stream a recorder seals, so no intermediate object per row.

/** The row of a `quote` record. */
export function quoteRow(value: object): Row {
  checkType(value as Fields, 'quote')
  const e = value as QuoteEvent
  return {
    timestamp: e.timestamp,
    localTimestamp: e.localTimestamp,
    exchange: e.exchange,
    symbol: e.symbol,
    bidPrice: e.bidPrice,
    bidAmount: e.bidAmount,
    askPrice: e.askPrice,
    askAmount: e.askAmount,
  }
}

/** The row of a `derivative` record: NULL for every field the message did not carry. */
export function derivativeRow(value: object): Row {
  const record = value as Fields
  checkType(record, 'derivative')
  const e = value as DerivativeEvent
  return {
    timestamp: e.timestamp,
    localTimestamp: e.localTimestamp,
    exchange: e.exchange,
    symbol: e.symbol,
    markPrice: optional(record, 'markPrice'),
    indexPrice: optional(record, 'indexPrice'),
    fundingRate: optional(record, 'fundingRate'),
    fundingTime: optional(record, 'fundingTime'),
    openInterest: optional(record, 'openInterest'),
  }
}

/** The row of a `liquidation` record: `id` NULL where the venue gives none. */
export function liquidationRow(value: object): Row {
  const record = value as Fields
  checkType(record, 'liquidation')
  const e = value as LiquidationEvent
  return {
    timestamp: e.timestamp,
    localTimestamp: e.localTimestamp,
    exchange: e.exchange,
    symbol: e.symbol,
    id: optional(record, 'id'),
    side: e.side,
    price: e.price,
    amount: e.amount,
  }
}
