/**
 * Rows → JSON Lines (timestamps as integer µs, like the event contract) or
 * CSV with a header (timestamps as ISO-8601 with µs, which DuckDB and pandas
 * parse as timestamps).
 */
import { microsToIso } from '@dccd/core'
import type { Column } from './schema.js'
import type { Row } from './rows.js'

/** One JSON object per line, columns in schema order. */
export function encodeJsonl(columns: readonly Column[], rows: readonly Row[]): string {
  let out = ''
  for (const row of rows) {
    const ordered: Row = {}
    for (const column of columns) ordered[column.name] = row[column.name] ?? null
    out += `${JSON.stringify(ordered)}\n`
  }
  return out
}

function csvField(value: string | number | boolean | null, column: Column): string {
  if (value === null) return ''
  if (column.kind === 'timestamp') return microsToIso(value as number)
  const text = String(value)
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** RFC 4180 CSV with a header line. */
export function encodeCsv(columns: readonly Column[], rows: readonly Row[]): string {
  let out = `${columns.map((column) => column.name).join(',')}\n`
  for (const row of rows) {
    out += `${columns.map((column) => csvField(row[column.name] ?? null, column)).join(',')}\n`
  }
  return out
}
