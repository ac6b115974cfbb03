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
 * The columns every row starts with, after checking that the record carries
 * the event type of its data type (the optional fields alone would fit
 * almost anything).
 */
function commonColumns(record: Fields, type: string): Row {
  if (record.type !== type) throw new TypeError(`its type is ${JSON.stringify(record.type)}, not "${type}"`)
  const { timestamp, localTimestamp, exchange, symbol } = record as unknown as QuoteEvent | DerivativeEvent | LiquidationEvent
  return { timestamp, localTimestamp, exchange, symbol }
}

/** The value of an optional field: null when absent; throws when present as null. */
function optional(record: Fields, key: string): Row[string] {
  if (!Object.hasOwn(record, key)) return null
  const value = record[key]
  if (value === null) throw new TypeError(`${key} is null, which JSON makes of a number that is not finite; a value not sent is left out`)
  return value as Row[string]
}

/** The row of a `quote` record. */
export function quoteRow(value: object): Row {
  const record = value as Fields
  const e = value as QuoteEvent
  return { ...commonColumns(record, 'quote'), bidPrice: e.bidPrice, bidAmount: e.bidAmount, askPrice: e.askPrice, askAmount: e.askAmount }
}

/** The row of a `derivative` record: NULL for every field the message did not carry. */
export function derivativeRow(value: object): Row {
  const record = value as Fields
  return {
    ...commonColumns(record, 'derivative'),
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
  const e = value as LiquidationEvent
  return { ...commonColumns(record, 'liquidation'), id: optional(record, 'id'), side: e.side, price: e.price, amount: e.amount }
}
