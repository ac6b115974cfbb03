/**
 * The append-only journal: every accepted record is appended as one JSON
 * line to its segment file before anything else happens to it. Lines are
 * written to the file at least every {@link JournalSegment.flush} call (the
 * recorder calls it several times a second) and fsynced by
 * {@link JournalSegment.sync} (at least once a second), so a `kill -9`
 * loses at most the last unflushed fraction of a second. A torn last line
 * (the process died mid-write) is ignored on reading.
 */
import {
  closeSync,
  existsSync,
  fdatasyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  writeSync,
} from 'node:fs'
import { dirname, join } from 'node:path'
import type { RecordFormat } from '../args.js'
import type { DataType } from './partition.js'

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
  #unsynced = false
  #records = 0
  #rows = 0

  private constructor(
    readonly path: string,
    readonly header: JournalHeader,
    fd: number,
  ) {
    this.#fd = fd
  }

  /** Creates the file (and its folders) and writes the header line at once. */
  static create(path: string, header: JournalHeader): JournalSegment {
    mkdirSync(dirname(path), { recursive: true })
    const fd = openSync(path, 'wx')
    const segment = new JournalSegment(path, header, fd)
    writeSync(fd, `${JSON.stringify(header)}\n`)
    segment.#unsynced = true
    return segment
  }

  /** Records appended so far (not counting the header). */
  get records(): number {
    return this.#records
  }

  /** Table rows the records will become (a book message is one row per level). */
  get rows(): number {
    return this.#rows
  }

  /** Queues one record worth `rows` table rows; it reaches the file at the next {@link flush}. */
  append(record: unknown, rows = 1): void {
    this.#pending.push(`${JSON.stringify(record)}\n`)
    this.#records++
    this.#rows += rows
  }

  /** Writes queued lines to the file (the OS cache: survives a crash of this process). */
  flush(): void {
    if (this.#fd === undefined || this.#pending.length === 0) return
    const chunk = this.#pending.join('')
    this.#pending = []
    writeSync(this.#fd, chunk)
    this.#unsynced = true
  }

  /** Flushes, then forces the data to disk (survives a power cut). */
  sync(): void {
    this.flush()
    if (this.#fd === undefined || !this.#unsynced) return
    fdatasyncSync(this.#fd)
    this.#unsynced = false
  }

  /** Syncs and closes; further appends are dropped silently only if called after close by mistake. */
  close(): void {
    if (this.#fd === undefined) return
    this.sync()
    closeSync(this.#fd)
    this.#fd = undefined
  }
}

/** A segment read back. */
export interface JournalContents {
  readonly header: JournalHeader
  readonly records: unknown[]
  /** True when the last line was cut short (the writer died mid-line); it is skipped. */
  readonly torn: boolean
}

/**
 * Reads a segment. Returns undefined when not even the header made it to disk.
 *
 * @throws Error when a line other than the last one is not JSON (the file is not a journal)
 */
export function readJournal(path: string): JournalContents | undefined {
  const lines = readFileSync(path, 'utf8').split('\n')
  const records: unknown[] = []
  let header: JournalHeader | undefined
  let torn = false
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    if (line === '') continue
    let value: unknown
    try {
      value = JSON.parse(line)
    } catch (error) {
      // Only the final line can be torn: everything before it was written whole.
      if (i >= lines.length - 2) {
        torn = true
        continue
      }
      throw new Error(`corrupt journal ${path} at line ${i + 1}`, { cause: error })
    }
    if (header === undefined) header = value as JournalHeader
    else records.push(value)
  }
  if (header === undefined || header.dccd !== 'journal') return undefined
  return { header, records, torn }
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
