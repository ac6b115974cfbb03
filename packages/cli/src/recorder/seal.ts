/**
 * Sealing: a journal segment becomes one immutable data file at the mirror
 * path of the segment (`.journal/a/b/c.jsonl` → `a/b/c.parquet`). The output
 * name is fixed by the segment, so sealing the same journal twice (a crash
 * between the rename and the journal's removal) rewrites the same file
 * instead of duplicating rows. A file in the journal that is not a segment
 * this dccd can read is moved into the quarantine, never deleted.
 */
import { rmSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { silentLogger } from '@dccd/core'
import type { Logger } from '@dccd/core'
import type { RecordFormat } from '../args.js'
import { removeTempFiles, syncDirectory, writeFileAtomic } from './atomic-file.js'
import { JOURNAL_DIR, readJournal } from './journal.js'
import { encodeParquet } from './parquet-sink.js'
import { moveToQuarantine } from './quarantine.js'
import { toRows } from './rows.js'
import { columnsFor } from './schema.js'
import { encodeCsv, encodeJsonl } from './text-sink.js'

export { JOURNAL_DIR }

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
  /** Where the whole segment was moved because it could not be sealed (see quarantine.ts). */
  readonly quarantined?: string
}

/**
 * Seals one closed journal segment and removes it. Leftover temp files of
 * an earlier crashed seal in the target folder are removed first. A segment
 * holding only a torn header is removed; one that is not a readable segment
 * is moved into the quarantine with a warning.
 */
export function sealJournal(out: string, journalPath: string, logger: Logger = silentLogger): SealResult {
  const contents = readJournal(journalPath)
  if (contents.kind === 'empty') {
    rmSync(journalPath, { force: true })
    syncDirectory(dirname(journalPath))
    return { file: undefined, rows: 0, torn: true }
  }
  if (contents.kind === 'foreign') {
    const moved = moveToQuarantine(out, journalPath)
    logger.warn(`cannot read journal file ${journalPath}: ${contents.reason}; moved it to ${moved}`)
    return { file: undefined, rows: 0, torn: false, quarantined: moved }
  }
  const { header, torn } = contents
  if (contents.unreadable.length > 0) throw new Error(`corrupt journal ${journalPath} at line ${contents.unreadable[0]!.line}`)
  const records = contents.records.map((record) => record.value)
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
