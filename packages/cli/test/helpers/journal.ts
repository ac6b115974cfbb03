// Reading an --out folder from the outside, as a test of the real process does.
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { listDataFiles, readDataFile } from '@dccd/recorder'

/** Trade ids currently in the journal files (complete lines only). */
export function journaledIds(data: string): string[] {
  const dir = join(data, '.journal')
  if (!existsSync(dir)) return []
  const ids: string[] = []
  for (const name of readdirSync(dir, { recursive: true }).map(String).filter((n) => n.includes('trades') && n.endsWith('.jsonl'))) {
    let text: string
    try {
      text = readFileSync(join(dir, name), 'utf8')
    } catch {
      continue // sealed and removed meanwhile
    }
    for (const line of text.split('\n').slice(1, -1)) ids.push((JSON.parse(line) as { id: string }).id) // header; last may be torn
  }
  return ids
}

/** Every row of one data type in the sealed files below `data`. */
export async function recordedRows(data: string, type: string): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = []
  for (const file of listDataFiles(data).filter((f) => f.includes(`/${type}/`))) rows.push(...(await readDataFile(file)).rows)
  return rows
}

/** Ids that occur more than once, with their counts. */
export function repeated(ids: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>()
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1)
  for (const [id, count] of counts) if (count === 1) counts.delete(id)
  return counts
}
