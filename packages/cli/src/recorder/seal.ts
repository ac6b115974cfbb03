/**
 * Sealing: a journal segment becomes one immutable data file at the mirror
 * path of the segment (`.journal/a/b/c.jsonl` → `a/b/c.parquet`). The output
 * name is fixed by the segment, so sealing the same journal twice (a crash
 * between the rename and the journal's removal) rewrites the same file
 * instead of duplicating rows.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import type { RecordFormat } from '../args.js'
import { TEMP_SUFFIX, syncDirectory, writeFileAtomic } from './atomic-file.js'
import { readJournal } from './journal.js'
import { encodeParquet } from './parquet-sink.js'
import { toRows } from './rows.js'
import { columnsFor } from './schema.js'
import { encodeCsv, encodeJsonl } from './text-sink.js'

/** Folder (under `--out`) holding journal segments. */
export const JOURNAL_DIR = '.journal'

/** File extension per format. */
export function extensionOf(format: RecordFormat): string {
  return format === 'parquet' ? 'parquet' : format
}

/** The data file a segment seals into. */
export function sealedPathOf(out: string, journalPath: string, format: RecordFormat): string {
  const rel = relative(join(out, JOURNAL_DIR), journalPath).replace(/\.jsonl$/, '')
  return join(out, `${rel}.${extensionOf(format)}`)
}

/** What one seal produced. */
export interface SealResult {
  /** Written file, or undefined when the segment held no rows. */
  readonly file: string | undefined
  readonly rows: number
  /** The segment ended in a torn line (a crash); that line was dropped. */
  readonly torn: boolean
}

/**
 * Seals one closed journal segment and removes it. Leftover temp files of
 * an earlier crashed seal in the target folder are removed first.
 */
export function sealJournal(out: string, journalPath: string): SealResult {
  const contents = readJournal(journalPath)
  if (contents === undefined) {
    rmSync(journalPath, { force: true })
    return { file: undefined, rows: 0, torn: true }
  }
  const { header, records, torn } = contents
  const file = sealedPathOf(out, journalPath, header.format)
  removeTempFiles(dirname(file))
  const columns = columnsFor(header.type, header.depth ?? 0)
  const rows = toRows(header.type, records, header.depth ?? 0)
  if (rows.length > 0) {
    const metadata = { 'dccd.type': header.type, 'dccd.version': '1' }
    const data =
      header.format === 'parquet'
        ? encodeParquet(columns, rows, metadata)
        : header.format === 'csv'
          ? encodeCsv(columns, rows)
          : encodeJsonl(columns, rows)
    writeFileAtomic(file, data)
  }
  // Only after the data file is durable may the journal go.
  rmSync(journalPath, { force: true })
  syncDirectory(dirname(journalPath))
  return { file: rows.length > 0 ? file : undefined, rows: rows.length, torn }
}

/** Removes `*.tmp` leftovers of crashed seals in one folder. */
export function removeTempFiles(dir: string): void {
  if (!existsSync(dir)) return
  for (const name of readdirSync(dir)) {
    if (name.endsWith(TEMP_SUFFIX)) rmSync(join(dir, name), { force: true })
  }
}
