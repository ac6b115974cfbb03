/** `dccd read <path>`: prints recorded files as a table or JSON Lines. */
import type { ReadFormat } from '../args.js'
import type { Io } from '../io.js'
import { listDataFiles, readDataFile } from '../read/files.js'
import { formatTable } from '../read/table.js'

/** Options of `dccd read`. */
export interface ReadOptions {
  readonly format: ReadFormat
  /** Rows to print in all; 0 = all. */
  readonly limit: number
}

/** Prints rows from a file or a whole output folder; resolves the exit code. */
export async function runRead(path: string, options: ReadOptions, io: Io): Promise<number> {
  const files = listDataFiles(path)
  if (files.length === 0) {
    io.err(`dccd: no data files under ${JSON.stringify(path)}\n`)
    return 0
  }
  let remaining = options.limit === 0 ? Number.POSITIVE_INFINITY : options.limit
  for (const file of files) {
    if (remaining <= 0) break
    const data = await readDataFile(file, Number.isFinite(remaining) ? remaining : undefined)
    remaining -= data.rows.length
    if (options.format === 'jsonl') {
      for (const row of data.rows) io.out(`${JSON.stringify(row)}\n`)
    } else {
      const shown = data.rows.length < data.totalRows ? `, first ${data.rows.length} shown` : ''
      io.out(`# ${file} (${data.totalRows} rows${shown})\n${formatTable(data.columns, data.rows, data.timestampColumns)}\n\n`)
    }
  }
  return 0
}
