/**
 * Rows → Parquet bytes with hyparquet-writer: typed columns, timestamps as
 * INT64 TIMESTAMP(MICROS, UTC), strings as UTF8, snappy-compressed, which
 * DuckDB, pyarrow/pandas and polars read as-is.
 */
import { parquetWriteBuffer } from 'hyparquet-writer'
import type { Column } from './schema.js'
import type { Row } from './rows.js'

type SchemaElement = NonNullable<Parameters<typeof parquetWriteBuffer>[0]['schema']>[number]

function schemaElement(column: Column): SchemaElement {
  const repetition_type = column.nullable ? 'OPTIONAL' : 'REQUIRED'
  switch (column.kind) {
    case 'timestamp':
      return {
        name: column.name,
        type: 'INT64',
        repetition_type,
        converted_type: 'TIMESTAMP_MICROS',
        logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' },
      }
    case 'int64':
      return { name: column.name, type: 'INT64', repetition_type }
    case 'double':
      return { name: column.name, type: 'DOUBLE', repetition_type }
    case 'boolean':
      return { name: column.name, type: 'BOOLEAN', repetition_type }
    case 'string':
      return {
        name: column.name,
        type: 'BYTE_ARRAY',
        repetition_type,
        converted_type: 'UTF8',
        logical_type: { type: 'STRING' },
      }
  }
}

function columnValues(column: Column, rows: readonly Row[]): unknown[] {
  const values = new Array<unknown>(rows.length)
  const integer = column.kind === 'timestamp' || column.kind === 'int64'
  for (let i = 0; i < rows.length; i++) {
    const value = rows[i]![column.name] ?? null
    // INT64 columns take bigint; µs timestamps are safe integers, so the conversion is exact.
    values[i] = integer && value !== null ? BigInt(value as number) : value
  }
  return values
}

/**
 * Encodes rows as one Parquet file.
 *
 * @param metadata extra key/value pairs stored in the footer (e.g. the data type)
 */
export function encodeParquet(columns: readonly Column[], rows: readonly Row[], metadata: Record<string, string> = {}): Uint8Array {
  const buffer = parquetWriteBuffer({
    columnData: columns.map((column) => ({ name: column.name, data: columnValues(column, rows) as never })),
    schema: [{ name: 'root', num_children: columns.length }, ...columns.map(schemaElement)],
    kvMetadata: Object.entries(metadata).map(([key, value]) => ({ key, value })),
    createdBy: 'dccd',
    rowGroupSize: 100_000,
  })
  return new Uint8Array(buffer)
}
