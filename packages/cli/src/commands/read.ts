/** `dccd read <path>`: prints recorded files as a table or JSON Lines. */
import { listDataFiles, readDataFile } from '@dccd/recorder'
import type { FileRows } from '@dccd/recorder'
import type { ReadFormat } from '../args.js'
import { ExitCode, asUsageError, errorMessage } from '../errors.js'
import type { Io } from '../io.js'
import { formatTable } from '../read/table.js'

/** Options of `dccd read`. */
export interface ReadOptions {
  readonly format: ReadFormat
  /** Rows to print in all; 0 = all. */
  readonly limit: number
}

/**
 * Prints rows from a file or a whole output folder; resolves the exit code:
 * 0, or 1 when a file (or folder) could not be read. Each such file is
 * named in a warning on stderr and the others are still printed, so one
 * damaged file does not hide a whole recording.
 */
export async function runRead(path: string, options: ReadOptions, io: Io): Promise<number> {
  let unreadable = 0
  const warn = (file: string, error: unknown): void => {
    unreadable++
    io.err(`dccd: warning: cannot read ${file}: ${errorMessage(error)}\n`)
  }
  let files: string[]
  try {
    files = listDataFiles(path, warn)
  } catch (error) {
    throw asUsageError(error)
  }
  if (files.length === 0) {
    io.err(`dccd: no data files under ${JSON.stringify(path)}\n`)
    return unreadable > 0 ? ExitCode.failure : ExitCode.ok
  }
  let remaining = options.limit === 0 ? Number.POSITIVE_INFINITY : options.limit
  for (const file of files) {
    if (remaining <= 0) break
    let data: FileRows
    try {
      data = await readDataFile(file, Number.isFinite(remaining) ? remaining : undefined)
    } catch (error) {
      warn(file, error)
      continue
    }
    remaining -= data.rows.length
    if (options.format === 'jsonl') {
      for (const row of data.rows) io.out(`${JSON.stringify(row)}\n`)
    } else {
      const shown = data.rows.length < data.totalRows ? `, first ${data.rows.length} shown` : ''
      io.out(`# ${file} (${data.totalRows} rows${shown})\n${formatTable(data.columns, data.rows, data.timestampColumns)}\n\n`)
    }
  }
  return unreadable > 0 ? ExitCode.failure : ExitCode.ok
}
