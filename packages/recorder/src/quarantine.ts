/**
 * The quarantine: `<out>/.quarantine/` mirrors `<out>/.journal/` and holds
 * whatever the recorder cannot seal, so nothing is deleted that was not
 * written somewhere durable. A whole segment that cannot be read or encoded
 * is moved there under its own relative path (so, once dccd can read it,
 * moving it back into `.journal/` seals it on the next start); single records
 * that cannot be written go, as their original JSON lines, to
 * `<segment>.rejected.jsonl` beside it. `listDataFiles` skips the folder (it is
 * hidden), and nothing in dccd ever deletes from it.
 */
import { existsSync, mkdirSync, renameSync } from 'node:fs'
import { basename, dirname, join, relative } from 'node:path'
import { removeTempFiles, syncDirectory, writeFileAtomic } from './atomic-file.js'
import { JOURNAL_DIR } from './journal.js'

/** Folder (under the output folder) of files set aside. */
export const QUARANTINE_DIR = '.quarantine'

/** Path of a journal segment relative to the journal root (its base name if it lies elsewhere). */
function journalRelative(out: string, journalPath: string): string {
  const rel = relative(join(out, JOURNAL_DIR), journalPath)
  return rel.startsWith('..') || rel === '' ? basename(journalPath) : rel
}

/** Where a whole segment is moved: the same relative path under `.quarantine/`. */
export function quarantinePathOf(out: string, journalPath: string): string {
  return join(out, QUARANTINE_DIR, journalRelative(out, journalPath))
}

/** Where the rejected records of a segment go: `<segment>.rejected.jsonl` under `.quarantine/`. */
export function rejectedPathOf(out: string, journalPath: string): string {
  return quarantinePathOf(out, journalPath).replace(/(\.jsonl)?$/, '.rejected.jsonl')
}

/** `path`, or `a.1.jsonl`, `a.2.jsonl`, … when taken: a file already set aside is never overwritten. */
function freeName(path: string): string {
  if (!existsSync(path)) return path
  const stem = path.replace(/\.jsonl$/, '')
  const ext = stem === path ? '' : '.jsonl'
  for (let n = 1; ; n++) {
    const candidate = `${stem}.${n}${ext}`
    if (!existsSync(candidate)) return candidate
  }
}

/**
 * Moves a journal segment into the quarantine (a rename: `.quarantine/` is
 * on the same filesystem as `.journal/`, so this is atomic and needs no
 * free space for the data).
 *
 * @returns the new path
 */
export function moveToQuarantine(out: string, journalPath: string): string {
  const target = freeName(quarantinePathOf(out, journalPath))
  mkdirSync(dirname(target), { recursive: true })
  renameSync(journalPath, target)
  syncDirectory(dirname(target))
  syncDirectory(dirname(journalPath))
  return target
}

/**
 * Writes the rejected lines of one segment (each ending in a newline)
 * atomically and durably. Rewritten whole rather than appended: a crash
 * before the journal is removed makes the next start write the same file
 * again, not a second copy of the lines.
 *
 * @returns the file written
 */
export function writeRejectedLines(out: string, journalPath: string, lines: readonly string[]): string {
  const target = rejectedPathOf(out, journalPath)
  removeTempFiles(dirname(target))
  writeFileAtomic(target, lines.join(''))
  return target
}
