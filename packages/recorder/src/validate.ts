/**
 * What a row must hold before it is encoded. A journal line is whatever an
 * adapter emitted; one implausible value (a timestamp of 1e300 µs that the
 * Parquet writer's INT64 conversion refuses) must not make a whole segment,
 * and with it every later start, unsealable. Each row is checked against its
 * data type's columns, so a bad record can be set aside on its own.
 */
import type { Row } from './rows.js'
import type { Column } from './schema.js'

/** Earliest timestamp accepted: 1970-01-01T00:00:00Z, µs. Nothing dccd records predates the Unix epoch. */
export const MIN_TIMESTAMP_MICROS = 0

/**
 * First timestamp no longer accepted: 2200-01-01T00:00:00Z, µs
 * (7 258 118 400 000 000). Far beyond any real receive or exchange time, yet
 * below 2^53, so every accepted value is an exact integer in a double, an
 * INT64 and a JavaScript `Date`.
 */
export const MAX_TIMESTAMP_MICROS = Date.UTC(2200, 0, 1) * 1000

/** A value as it appears in a message: strings quoted, numbers as JavaScript prints them. */
function show(value: unknown): string {
  return typeof value === 'number' ? String(value) : JSON.stringify(value) ?? String(value)
}

/** Why `value` cannot go into `column`, or undefined when it can. */
export function valueProblem(column: Column, value: unknown): string | undefined {
  if (value === null || value === undefined) return column.nullable ? undefined : `${column.name} is missing`
  switch (column.kind) {
    case 'timestamp':
      return Number.isSafeInteger(value) && (value as number) >= MIN_TIMESTAMP_MICROS && (value as number) < MAX_TIMESTAMP_MICROS
        ? undefined
        : `${column.name} ${show(value)} is not a whole number of µs between 1970 and 2200`
    case 'int64':
      return Number.isSafeInteger(value) ? undefined : `${column.name} ${show(value)} is not a whole number`
    case 'double':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : `${column.name} ${show(value)} is not a finite number`
    case 'string':
      if (typeof value !== 'string') return `${column.name} ${show(value)} is not a string`
      return column.values === undefined || column.values.includes(value) ? undefined : `${column.name} ${show(value)} is not one of ${column.values.join(', ')}`
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `${column.name} ${show(value)} is not true or false`
  }
}

/** Why a row cannot be written (the first bad column), or undefined when every column is fine. */
export function rowProblem(columns: readonly Column[], row: Row): string | undefined {
  for (const column of columns) {
    const problem = valueProblem(column, row[column.name])
    if (problem !== undefined) return problem
  }
  return undefined
}
