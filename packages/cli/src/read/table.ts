/** Plain-text tables for `dccd read --format table`. */
import { microsToIso } from '@dccd/core'
import type { Cell } from '@dccd/recorder'

/** Formats one cell: µs timestamps as ISO-8601, null as empty. */
export function formatCell(value: Cell, isTimestamp: boolean): string {
  if (value === null) return ''
  if (isTimestamp && typeof value === 'number') return microsToIso(value)
  return String(value)
}

/**
 * Left-aligned columns separated by two spaces, with a header line.
 *
 * @example formatTable(['a', 'b'], [{ a: 1, b: 'x' }], new Set())
 */
export function formatTable(columns: readonly string[], rows: readonly Record<string, Cell>[], timestampColumns: ReadonlySet<string>): string {
  const cells = rows.map((row) => columns.map((name) => formatCell(row[name] ?? null, timestampColumns.has(name))))
  const widths = columns.map((name, i) => Math.max(name.length, ...cells.map((line) => line[i]!.length)))
  const line = (values: readonly string[]): string => values.map((value, i) => value.padEnd(widths[i]!)).join('  ').trimEnd()
  return [line(columns), ...cells.map(line)].join('\n')
}
