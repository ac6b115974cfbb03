// What a recording left in its --out folder: journal segments, the lock, sealed rows.
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { listDataFiles, readDataFile } from '@dccd/recorder'

/** Journal segments (`.jsonl`) still waiting to be sealed, relative to `.journal`. */
export function journalSegments(data: string): string[] {
  const dir = join(data, '.journal')
  if (!existsSync(dir)) return []
  return readdirSync(dir, { recursive: true }).map(String).filter((name) => name.endsWith('.jsonl'))
}

/** Records currently in the journal (complete lines only) of one data type. */
export function journaledRecords(data: string, type: string): Record<string, unknown>[] {
  const records: Record<string, unknown>[] = []
  for (const name of journalSegments(data).filter((n) => n.startsWith(`fakex/${type}/`))) {
    const lines = readFileSync(join(data, '.journal', name), 'utf8').split('\n').slice(1, -1) // header; last may be torn
    for (const line of lines) records.push(JSON.parse(line) as Record<string, unknown>)
  }
  return records
}

/** True while the `--out` lock exists. */
export function locked(data: string): boolean {
  return existsSync(join(data, '.dccd.lock'))
}

/** Every sealed row of one data type, file by file in name order. */
export async function sealedRows(data: string, type: string): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = []
  for (const file of listDataFiles(data).filter((f) => f.includes(`/${type}/`))) rows.push(...(await readDataFile(file)).rows)
  return rows
}
