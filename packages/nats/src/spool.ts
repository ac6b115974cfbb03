/**
 * The sink's overflow: an append-only queue of events on disk, in
 * `<spoolDir>/<number>.jsonl` segments (one JSON event a line), for when
 * NATS is unreachable or slower than the feed. Read back strictly in order;
 * a segment is deleted only once every event in it was acknowledged
 * ({@link Spool.release}). Writes are buffered and synchronous (the sink's
 * `write()` is), fsynced by {@link Spool.sync}. A spool left by a previous
 * run is read first. The size limit counts every byte on disk and buffered.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, readdirSync, statSync, unlinkSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { SpoolFullError } from './errors.js'

/** A segment being read: its lines, and how many of them are not acknowledged yet. */
export interface SpoolSegment {
  readonly name: string
  /** Lines not yet acknowledged; the segment is deleted when it reaches 0 after it was read whole. */
  unacked: number
  readonly bytes: number
}

/** One line read back, with the segment to {@link Spool.release} it from. */
export interface SpooledLine {
  readonly line: string
  readonly segment: SpoolSegment
}

const SEGMENT = /^(\d{16})\.jsonl$/
/** Segment numbers start here, so a segment can be placed before the first one ({@link Spool.prepend}). */
const FIRST_NUMBER = 1_000_000_000_000
const BUFFER_BYTES = 64 * 1024

/** See the module comment. */
export class Spool {
  /** Closed segments not read yet, oldest first. */
  readonly #closed: number[] = []
  #writing: { number: number; fd: number; bytes: number } | undefined
  #buffer = ''
  #bufferBytes = 0
  #reading: { segment: SpoolSegment; lines: string[]; next: number } | undefined
  #bytes = 0
  #nextNumber: number

  constructor(
    readonly directory: string,
    readonly maxBytes: number,
    private readonly segmentBytes = 4 * 1024 * 1024,
  ) {
    mkdirSync(directory, { recursive: true })
    for (const name of readdirSync(directory).sort()) {
      const match = SEGMENT.exec(name)
      if (match === null) continue
      this.#closed.push(Number(match[1]))
      this.#bytes += statSync(join(directory, name)).size
    }
    this.#nextNumber = Math.max(FIRST_NUMBER, ...this.#closed.map((n) => n + 1))
  }

  /** Bytes on disk and buffered. */
  get bytes(): number {
    return this.#bytes
  }

  /** True when nothing is left to read (segments being acknowledged may still be on disk). */
  get isEmpty(): boolean {
    return this.#closed.length === 0 && (this.#writing === undefined || this.#writing.bytes === 0) && (this.#reading === undefined || this.#reading.next >= this.#reading.lines.length)
  }

  /** Appends one line (no newline in it). @throws SpoolFullError when it would pass `maxBytes` */
  append(line: string): void {
    const bytes = Buffer.byteLength(line) + 1
    if (this.#bytes + bytes > this.maxBytes) throw new SpoolFullError(this.directory, this.maxBytes, this.#bytes)
    if (this.#writing === undefined) {
      const number = this.#nextNumber++
      this.#writing = { number, fd: openSync(this.#path(number), 'a'), bytes: 0 }
    }
    this.#buffer += `${line}\n`
    this.#bufferBytes += bytes
    this.#writing.bytes += bytes
    this.#bytes += bytes
    if (this.#bufferBytes >= BUFFER_BYTES) this.#flush()
    if (this.#writing.bytes >= this.segmentBytes) this.#closeWriting()
  }

  /** The next line in order, or undefined when the spool is empty. */
  next(): SpooledLine | undefined {
    while (this.#reading === undefined || this.#reading.next >= this.#reading.lines.length) {
      if (this.#closed.length === 0) {
        if (this.#writing === undefined || this.#writing.bytes === 0) return undefined
        this.#closeWriting()
      }
      const number = this.#closed.shift()!
      const text = readFileSync(this.#path(number), 'utf8')
      // A crash can leave a torn last line: what is not whole JSON is not an event (the feed's resume refetches trades and bars).
      const lines = text.split('\n').filter((line) => line.endsWith('}'))
      const segment: SpoolSegment = { name: segmentName(number), unacked: lines.length, bytes: Buffer.byteLength(text) }
      this.#reading = { segment, lines, next: 0 }
      if (lines.length === 0) this.#delete(segment)
    }
    const reading = this.#reading
    return { line: reading.lines[reading.next++]!, segment: reading.segment }
  }

  /** One line of `segment` was acknowledged; the segment is deleted once all were and it was read whole. */
  release(segment: SpoolSegment): void {
    segment.unacked--
    if (segment.unacked === 0 && !(this.#reading?.segment === segment && this.#reading.next < this.#reading.lines.length)) this.#delete(segment)
  }

  /**
   * Writes `lines` as a segment read before every other (events older than what the spool holds, not acknowledged
   * when the sink closed). Not counted against the limit: they were accepted already.
   */
  prepend(lines: readonly string[]): void {
    if (lines.length === 0) return
    const number = Math.min(FIRST_NUMBER, ...this.#closed, ...(this.#reading ? [Number(this.#reading.segment.name.slice(0, 16))] : [])) - 1
    const fd = openSync(this.#path(number), 'w')
    const text = `${lines.join('\n')}\n`
    writeSync(fd, text)
    fsyncSync(fd)
    closeSync(fd)
    this.#bytes += Buffer.byteLength(text)
    this.#closed.unshift(number)
  }

  /** Writes buffered lines and fsyncs the segment being written. */
  sync(): void {
    this.#flush()
    if (this.#writing !== undefined) fsyncSync(this.#writing.fd)
  }

  /** Syncs and closes the segment being written (it stays for the next start). */
  close(): void {
    this.#closeWriting()
  }

  #flush(): void {
    if (this.#writing === undefined || this.#buffer === '') return
    writeSync(this.#writing.fd, this.#buffer)
    this.#buffer = ''
    this.#bufferBytes = 0
  }

  #closeWriting(): void {
    const writing = this.#writing
    if (writing === undefined) return
    this.sync()
    closeSync(writing.fd)
    this.#writing = undefined
    if (writing.bytes > 0) this.#closed.push(writing.number)
    else unlinkSync(this.#path(writing.number))
  }

  #delete(segment: SpoolSegment): void {
    try {
      unlinkSync(join(this.directory, segment.name))
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    }
    this.#bytes -= segment.bytes
  }

  #path(number: number): string {
    return join(this.directory, segmentName(number))
  }
}

function segmentName(number: number): string {
  return `${String(number).padStart(16, '0')}.jsonl`
}
