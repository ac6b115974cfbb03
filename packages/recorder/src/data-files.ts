/**
 * Reading recorded files back: Parquet through hyparquet, plus the JSON
 * Lines and CSV the recorder writes in the other formats. Timestamps come back
 * as integer µs, as they were written.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { extname, join } from 'node:path'
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet'
import { isoToMicros } from '@dccd/core'
import { DataPathError } from './errors.js'
import { TIMESTAMP_COLUMN_NAMES } from './schema.js'

/** Extensions of the files the recorder writes (and reads back). */
export const DATA_EXTENSIONS = ['.parquet', '.jsonl', '.csv'] as const

/** A value read back: µs for timestamps, numbers, strings, booleans, null. */
export type Cell = string | number | boolean | null

/** Rows of one file. */
export interface FileRows {
  readonly file: string
  /** Column names in file order. */
  readonly columns: string[]
  /** Columns holding µs timestamps. */
  readonly timestampColumns: Set<string>
  readonly rows: Record<string, Cell>[]
  /** Rows in the whole file (may exceed `rows.length` when limited). */
  readonly totalRows: number
}

function rethrow(_: string, error: unknown): never {
  throw error
}

/**
 * Data files at `path`: the file itself, or every data file below a folder
 * (skipping hidden folders such as `.journal`, `.checkpoints` and
 * `.quarantine`), sorted. A subfolder that cannot be listed is passed to
 * `onError` (default: throw) and skipped.
 *
 * @throws DataPathError when the path does not exist or is a file of another type
 * @example
 * listDataFiles('./data') // ['data/binance/trades/BTCUSDT/2026-11-25/120000000000-ab12.parquet', …]
 */
export function listDataFiles(path: string, onError: (folder: string, error: unknown) => void = rethrow): string[] {
  let stats
  try {
    stats = statSync(path)
  } catch {
    throw new DataPathError(path, 'missing', DATA_EXTENSIONS)
  }
  if (stats.isFile()) {
    if (!(DATA_EXTENSIONS as readonly string[]).includes(extname(path))) {
      throw new DataPathError(path, 'not-a-data-file', DATA_EXTENSIONS)
    }
    return [path]
  }
  const found: string[] = []
  const walk = (dir: string): void => {
    let entries
    try {
      entries = readdirSync(dir, { withFileTypes: true })
    } catch (error) {
      onError(dir, error)
      return
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue
      const full = join(dir, entry.name)
      if (entry.isDirectory()) walk(full)
      else if ((DATA_EXTENSIONS as readonly string[]).includes(extname(entry.name))) found.push(full)
    }
  }
  walk(path)
  return found.sort()
}

/**
 * Reads up to `limit` rows (all when undefined) of one data file.
 *
 * @throws Error saying why when the file cannot be read or is not what its extension says
 * @example
 * const { columns, rows, totalRows } = await readDataFile(file, 10) // timestamps as integer µs
 */
export async function readDataFile(file: string, limit?: number): Promise<FileRows> {
  const ext = extname(file)
  if (ext === '.parquet') return readParquet(file, limit)
  const text = readFileSync(file, 'utf8')
  return ext === '.csv' ? parseCsvFile(file, text, limit) : parseJsonlFile(file, text, limit)
}

async function readParquet(file: string, limit?: number): Promise<FileRows> {
  const buffer = await asyncBufferFromFile(file)
  const metadata = await parquetMetadataAsync(buffer)
  const leaves = metadata.schema.slice(1)
  const columns = leaves.map((element) => element.name)
  const timestampColumns = new Set(
    leaves
      .filter((e) => e.logical_type?.type === 'TIMESTAMP' || e.converted_type === 'TIMESTAMP_MICROS' || e.converted_type === 'TIMESTAMP_MILLIS')
      .map((e) => e.name),
  )
  const totalRows = Number(metadata.num_rows)
  const raw = await parquetReadObjects({
    file: buffer,
    metadata,
    ...(limit === undefined ? {} : { rowEnd: Math.min(limit, totalRows) }),
    parsers: {
      // Keep µs exact instead of Dates (which hold ms).
      timestampFromMicroseconds: (micros: bigint | number) => Number(micros),
      timestampFromMilliseconds: (millis: bigint | number) => Number(millis) * 1000,
    } as never,
  })
  const rows = raw.map((row) => {
    const out: Record<string, Cell> = {}
    for (const name of columns) {
      const value = (row as Record<string, unknown>)[name]
      out[name] = typeof value === 'bigint' ? Number(value) : (value as Cell) ?? null
    }
    return out
  })
  return { file, columns, timestampColumns, rows, totalRows }
}

function parseJsonlFile(file: string, text: string, limit?: number): FileRows {
  const lines = text.split('\n').filter((line) => line !== '')
  const rows = lines.slice(0, limit ?? lines.length).map((line, i) => {
    try {
      return JSON.parse(line) as Record<string, Cell>
    } catch {
      // Blank lines were dropped above, so count them back in to name the line as an editor shows it.
      throw new Error(`line ${lineNumber(text, i)} is not JSON`)
    }
  })
  const columns = rows.length > 0 ? Object.keys(rows[0]!) : []
  const timestampColumns = new Set(columns.filter((c) => TIMESTAMP_COLUMN_NAMES.has(c)))
  return { file, columns, timestampColumns, rows, totalRows: lines.length }
}

/** 1-based line number of the `index`-th non-empty line of `text`. */
function lineNumber(text: string, index: number): number {
  let seen = -1
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== '' && ++seen === index) return i + 1
  }
  return lines.length
}

/** Splits RFC 4180 CSV text into records of fields. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = []
  let field = ''
  let record: string[] = []
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"'
        i++
      } else if (ch === '"') quoted = false
      else field += ch
    } else if (ch === '"') quoted = true
    else if (ch === ',') {
      record.push(field)
      field = ''
    } else if (ch === '\n') {
      record.push(field)
      records.push(record)
      record = []
      field = ''
    } else if (ch !== '\r') field += ch
  }
  if (field !== '' || record.length > 0) records.push([...record, field])
  return records
}

const ISO_LIKE = /^\d{4}-\d{2}-\d{2}T/

function parseCsvFile(file: string, text: string, limit?: number): FileRows {
  const [header = [], ...records] = parseCsv(text)
  const timestampColumns = new Set<string>()
  const rows = records.slice(0, limit ?? records.length).map((fields) => {
    const row: Record<string, Cell> = {}
    header.forEach((name, i) => {
      const value = fields[i] ?? ''
      if (value === '') row[name] = null
      else if (ISO_LIKE.test(value)) {
        row[name] = isoToMicros(value)
        timestampColumns.add(name)
      } else if (value === 'true' || value === 'false') row[name] = value === 'true'
      else if (/^-?\d+(\.\d+)?(e[-+]?\d+)?$/i.test(value) && name !== 'id' && !name.endsWith('Id')) row[name] = Number(value)
      else row[name] = value
    })
    return row
  })
  return { file, columns: header, timestampColumns, rows, totalRows: records.length }
}
