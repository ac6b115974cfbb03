/**
 * The append-only journal: every accepted record is appended as one JSON
 * line to its segment file before anything else happens to it. Lines are
 * written to the file at least every {@link JournalSegment.flush} call (the
 * recorder calls it several times a second) and fsynced by
 * {@link JournalSegment.sync} (at least once a second), so a `kill -9`
 * loses at most the last unflushed fraction of a second. A write the disk
 * refuses (full, quota, I/O error) is cut back to the last whole line and
 * kept in memory for the next flush, so the file never holds a torn line
 * except at its end, after a crash. A torn last line
 * (the process died mid-write) is ignored on reading; see {@link readJournal}
 * for what else a file in the journal may turn out to be.
 */
import {
  closeSync,
  existsSync,
  fdatasyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeSync,
} from 'node:fs'
import { dirname, join } from 'node:path'
import type { RecordFormat } from './options.js'
import { asDiskWriteError } from './disk-error.js'
import { isDataType } from './partition.js'
import type { DataType } from './partition.js'

/** Folder (under the output folder) holding journal segments. */
export const JOURNAL_DIR = '.journal'

/** First line of every segment: what the lines are and how to seal them. */
export interface JournalHeader {
  readonly dccd: 'journal'
  readonly version: 1
  readonly type: DataType
  readonly format: RecordFormat
  /** Levels per side, for `book-snapshots`. */
  readonly depth?: number
}

/** One open journal segment. Not safe to share between processes (the lock file prevents that). */
export class JournalSegment {
  #fd: number | undefined
  #pending: string[] = []
  /** Bytes of whole lines in the file: every write goes here, and a failed one is cut back to it. */
  #offset = 0
  #unsynced = false
  /** A failed write could not be cut back: the file may end in a torn line, so nothing more goes after it. */
  #broken: unknown
  #records = 0
  #rows = 0

  private constructor(
    readonly path: string,
    readonly header: JournalHeader,
    fd: number,
  ) {
    this.#fd = fd
  }

  /**
   * Creates the file (and its folders) and writes the header line at once.
   *
   * @throws DiskWriteError when the disk refuses (the half-made file is removed)
   */
  static create(path: string, header: JournalHeader): JournalSegment {
    let fd: number | undefined
    try {
      mkdirSync(dirname(path), { recursive: true })
      fd = openSync(path, 'wx')
      const segment = new JournalSegment(path, header, fd)
      segment.#write(`${JSON.stringify(header)}\n`)
      segment.#unsynced = true
      return segment
    } catch (error) {
      if (fd !== undefined) {
        closeSync(fd)
        // A segment without a whole header holds nothing; leaving it would only take space.
        rmSync(path, { force: true })
      }
      throw asDiskWriteError(error, path)
    }
  }

  /** Records appended so far (not counting the header). */
  get records(): number {
    return this.#records
  }

  /** Table rows the records will become (a book message is one row per level). */
  get rows(): number {
    return this.#rows
  }

  /** Records appended but not yet in the file (kept for the next flush after a failed write). */
  get pending(): number {
    return this.#pending.length
  }

  /** Queues one record worth `rows` table rows; it reaches the file at the next {@link flush}. */
  append(record: unknown, rows = 1): void {
    this.#pending.push(`${JSON.stringify(record)}\n`)
    this.#records++
    this.#rows += rows
  }

  /**
   * Writes queued lines to the file (the OS cache: survives a crash of this
   * process). All or nothing: when the disk refuses part of them, the file is
   * cut back to its last whole line and every line stays queued, so a later
   * flush can try again and the file never holds a torn line in its middle.
   *
   * @throws DiskWriteError when the disk refuses
   */
  flush(): void {
    if (this.#fd === undefined || this.#pending.length === 0) return
    if (this.#broken !== undefined) throw asDiskWriteError(this.#broken, this.path)
    try {
      this.#write(this.#pending.join(''))
    } catch (error) {
      throw asDiskWriteError(error, this.path)
    }
    this.#pending = []
    this.#unsynced = true
  }

  /** Writes `text` at the end of the whole lines, looping over short writes; cuts back on failure. */
  #write(text: string): void {
    const data = Buffer.from(text)
    let written = 0
    try {
      // writeSync may write less than asked (a disk filling up does that before it fails): loop.
      while (written < data.length) written += writeSync(this.#fd!, data, written, data.length - written, this.#offset + written)
    } catch (error) {
      if (written > 0) {
        try {
          ftruncateSync(this.#fd!, this.#offset)
        } catch {
          this.#broken = error
        }
      }
      throw error
    }
    this.#offset += data.length
  }

  /**
   * Flushes, then forces the data to disk (survives a power cut). When the
   * flush fails, what is already in the file is still forced to disk.
   *
   * @throws DiskWriteError when the disk refuses
   */
  sync(): void {
    let failure: unknown
    try {
      this.flush()
    } catch (error) {
      failure = error
    }
    if (this.#fd !== undefined && this.#unsynced) {
      try {
        fdatasyncSync(this.#fd)
        this.#unsynced = false
      } catch (error) {
        failure ??= asDiskWriteError(error, this.path)
      }
    }
    if (failure !== undefined) throw failure
  }

  /**
   * Syncs and closes. The file is closed even when the sync fails; records
   * still queued then are dropped (they were never acknowledged: no
   * checkpoint covers them) and the error is rethrown.
   *
   * @throws DiskWriteError when the disk refuses the last lines
   */
  close(): void {
    if (this.#fd === undefined) return
    try {
      this.sync()
    } finally {
      closeSync(this.#fd)
      this.#fd = undefined
    }
  }
}

/** One record line read back. */
export interface JournalRecord {
  /** 1-based line number in the file (the header is line 1). */
  readonly line: number
  /** The line as written, without its newline. */
  readonly text: string
  readonly value: unknown
}

/** A complete line that is not JSON: the file was damaged there. */
export interface UnreadableLine {
  readonly line: number
  readonly text: string
  readonly reason: string
}

/** A segment read back. */
export interface JournalContents {
  readonly kind: 'journal'
  readonly header: JournalHeader
  readonly records: JournalRecord[]
  /** Complete lines other than the header that are not JSON, in file order. */
  readonly unreadable: UnreadableLine[]
  /** True when the file ends in an incomplete line (the writer died mid-line); it is skipped. */
  readonly torn: boolean
}

/**
 * What a file under the journal root turned out to be:
 * - `journal`: a segment this dccd can seal;
 * - `empty`: the writer died before its header line was complete. The rule
 *   that allows removing such a file is strict: it holds no complete line
 *   at all (no newline) and its bytes are the beginning of a journal header
 *   line (or empty). Anything else is never deleted;
 * - `foreign`: not a segment this dccd can read (another version, another
 *   program, damage in the first line); `reason` says why. It must be moved
 *   aside, not removed.
 */
export type JournalRead = JournalContents | { readonly kind: 'empty' } | { readonly kind: 'foreign'; readonly reason: string }

/** How every header line begins: `JSON.stringify` keeps the key order of {@link JournalSegment.create}. */
const HEADER_START = '{"dccd":"journal"'
const FORMATS: readonly string[] = ['parquet', 'jsonl', 'csv']

/** Why a parsed first line is not a header this dccd can seal from, or undefined when it is. */
function headerProblem(value: unknown): string | undefined {
  const header = value as Partial<Record<keyof JournalHeader, unknown>> | null
  if (typeof header !== 'object' || header === null || header.dccd !== 'journal') return 'its first line is not a dccd journal header'
  if (header.version !== 1) return `journal version ${JSON.stringify(header.version)} (this dccd reads version 1)`
  if (!isDataType(header.type)) return `unknown data type ${JSON.stringify(header.type)} in its header`
  if (!FORMATS.includes(header.format as string)) return `unknown format ${JSON.stringify(header.format)} in its header`
  if (header.type === 'book-snapshots' && !(Number.isSafeInteger(header.depth) && (header.depth as number) > 0)) {
    return 'book-snapshots header without a valid depth'
  }
  return undefined
}

/** Reads a segment; never throws for what the file holds (only for I/O errors). */
export function readJournal(path: string): JournalRead {
  const text = readFileSync(path, 'utf8')
  const end = text.lastIndexOf('\n')
  if (end === -1) {
    const headerStart = HEADER_START.startsWith(text) || text.startsWith(HEADER_START)
    return headerStart ? { kind: 'empty' } : { kind: 'foreign', reason: 'it holds no complete line and is not the start of a journal header' }
  }
  // Everything up to the last newline was written whole; what follows it is a torn last line.
  const lines = text.slice(0, end).split('\n')
  const torn = end < text.length - 1
  let header: JournalHeader | undefined
  const records: JournalRecord[] = []
  const unreadable: UnreadableLine[] = []
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    if (line === '') continue // nothing to keep or lose
    let value: unknown
    try {
      value = JSON.parse(line)
    } catch (error) {
      if (header === undefined) return { kind: 'foreign', reason: 'its first line is not JSON' }
      unreadable.push({ line: i + 1, text: line, reason: `not JSON (${(error as Error).message})` })
      continue
    }
    if (header === undefined) {
      const problem = headerProblem(value)
      if (problem !== undefined) return { kind: 'foreign', reason: problem }
      header = value as JournalHeader
    } else records.push({ line: i + 1, text: line, value })
  }
  return { kind: 'journal', header: header!, records, unreadable, torn }
}

/** Every `*.jsonl` segment under a journal root, sorted by path (date, then start time). */
export function listJournalSegments(root: string): string[] {
  if (!existsSync(root)) return []
  const found: string[] = []
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) walk(path)
      else if (entry.name.endsWith('.jsonl')) found.push(path)
    }
  }
  walk(root)
  return found.sort()
}
