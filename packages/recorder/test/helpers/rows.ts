// Reading an output folder back the way a user would: the sealed files, through readDataFile.
import { listDataFiles, readDataFile } from '../../src/data-files.js'

/** Every row of one data type in the sealed files below `out`, file by file in name order. */
export async function recordedRows(out: string, type: string): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = []
  for (const file of listDataFiles(out).filter((f) => f.includes(`/${type}/`))) rows.push(...(await readDataFile(file)).rows)
  return rows
}

/** Ids that occur more than once, with their counts. */
export function repeated(ids: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>()
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1)
  for (const [id, count] of counts) if (count === 1) counts.delete(id)
  return counts
}
