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
import type { RecordFormat } from './options.js'
import { removeTempFiles, syncDirectory, writeFileAtomic } from './atomic-file.js'
import { JOURNAL_DIR, readJournal } from './journal.js'
import type { DataType } from './partition.js'
import { encodeParquet } from './parquet-sink.js'
import { moveToQuarantine, writeRejectedLines } from './quarantine.js'
import type { Row } from './rows.js'
import { planSeal } from './seal-plan.js'
import type { RejectedLine } from './seal-plan.js'
import { columnsFor } from './schema.js'
import type { Column } from './schema.js'
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
  /** Lines set aside in the segment's `.rejected.jsonl` in the quarantine (see seal-plan.ts). */
  readonly rejected: number
  /** Where the whole segment was moved because it could not be sealed (see quarantine.ts). */
  readonly quarantined?: string
}

/** Turns rows into file contents; a parameter of {@link sealJournal} only so tests can make it fail. */
export type Encoder = (format: RecordFormat, columns: readonly Column[], rows: readonly Row[], metadata: Record<string, string>) => Uint8Array | string

/** The encoders of each {@link RecordFormat}. */
export const encodeRows: Encoder = (format, columns, rows, metadata) =>
  format === 'parquet' ? encodeParquet(columns, rows, metadata) : format === 'csv' ? encodeCsv(columns, rows) : encodeJsonl(columns, rows)

/** Lines named one by one in warnings; the rest of a segment's are summed up in one more. */
const NAMED_LINES = 5

function warnRejected(logger: Logger, journalPath: string, file: string, rejected: readonly RejectedLine[]): void {
  for (const { line, reason } of rejected.slice(0, NAMED_LINES)) {
    logger.warn(`set aside line ${line} of ${journalPath}: ${reason}; kept in ${file}`)
  }
  const more = rejected.length - NAMED_LINES
  if (more > 0) logger.warn(`${more} more lines of ${journalPath} set aside in ${file}`)
}

/** A segment whose data file is written; its journal may go once whatever depends on it is durable. */
export interface WrittenSeal {
  readonly result: SealResult
  /** Data type of the segment; undefined when it was not a readable segment. */
  readonly type: DataType | undefined
  /** Values of the records that became rows, in order (checkpoints are derived from them). */
  readonly accepted: readonly unknown[]
  /** The journal file is gone already (it held nothing, or it was moved into the quarantine). */
  readonly journalGone: boolean
}

/**
 * First half of sealing: writes the data file of one closed segment and sets
 * aside what cannot be written, but leaves the journal in place. Leftover
 * temp files of an earlier crashed seal in the target folder are removed
 * first.
 *
 * Nothing is lost on the way: lines that cannot be written are set aside
 * first (see seal-plan.ts); a segment holding only a torn header is removed;
 * a file that is not a readable segment, or whose rows fail to encode after
 * all, is moved into the quarantine. Each is named in a warning.
 *
 * @throws only for I/O errors (the disk refused a write); the journal is then left in place
 */
export function writeSealedFile(out: string, journalPath: string, logger: Logger = silentLogger, encode: Encoder = encodeRows): WrittenSeal {
  const contents = readJournal(journalPath)
  if (contents.kind === 'empty') {
    removeJournal(journalPath)
    return { result: { file: undefined, rows: 0, torn: true, rejected: 0 }, type: undefined, accepted: [], journalGone: true }
  }
  if (contents.kind === 'foreign') {
    const moved = moveToQuarantine(out, journalPath)
    logger.warn(`cannot read journal file ${journalPath}: ${contents.reason}; moved it to ${moved}`)
    return { result: { file: undefined, rows: 0, torn: false, rejected: 0, quarantined: moved }, type: undefined, accepted: [], journalGone: true }
  }
  const { header, torn } = contents
  const { rows, accepted, rejected } = planSeal(contents)
  if (rejected.length > 0) {
    const file = writeRejectedLines(out, journalPath, rejected.map((line) => `${line.text}\n`))
    warnRejected(logger, journalPath, file, rejected)
  }
  const file = sealedPathOf(out, journalPath, header.format)
  removeTempFiles(dirname(file))
  if (rows.length > 0) {
    let data: Uint8Array | string
    try {
      data = encode(header.format, columnsFor(header.type, header.depth ?? 0), rows, { 'dccd.type': header.type, 'dccd.version': '1' })
    } catch (error) {
      // Every row passed validation, so this is a bug; still, it must not block this folder.
      const moved = moveToQuarantine(out, journalPath)
      logger.warn(`cannot encode ${journalPath} (${(error as Error).message}); moved it to ${moved}`)
      const result = { file: undefined, rows: 0, torn, rejected: rejected.length, quarantined: moved }
      return { result, type: header.type, accepted: [], journalGone: true }
    }
    writeFileAtomic(file, data)
  }
  const result = { file: rows.length > 0 ? file : undefined, rows: rows.length, torn, rejected: rejected.length }
  return { result, type: header.type, accepted, journalGone: false }
}

/** Second half of sealing: removes a journal segment durably (its folder is fsynced). */
export function removeJournal(journalPath: string): void {
  rmSync(journalPath, { force: true })
  syncDirectory(dirname(journalPath))
}

/**
 * Seals one closed journal segment and removes it, for callers with no
 * checkpoint to move first (the recorder uses the two halves itself).
 *
 * @throws only for I/O errors; the journal is then left in place
 */
export function sealJournal(out: string, journalPath: string, logger: Logger = silentLogger, encode: Encoder = encodeRows): SealResult {
  const written = writeSealedFile(out, journalPath, logger, encode)
  // Only after the data file is durable may the journal go.
  if (!written.journalGone) removeJournal(journalPath)
  return written.result
}
