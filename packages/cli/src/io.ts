/**
 * Where commands write. Commands never touch `process.stdout` directly, so
 * tests can capture output and the status line can share stderr with logs.
 */
import type { Logger } from '@dccd/core'

/** Output channels of a command. */
export interface Io {
  /** Data (tables, JSON lines). */
  out(text: string): void
  /** Messages, logs and the status line. */
  err(text: string): void
  /** stderr is a terminal (live status line instead of periodic log lines). */
  readonly errIsTTY: boolean
  /** stdout is a terminal (watch draws in place). */
  readonly outIsTTY: boolean
  /** Terminal width in columns, when known. */
  readonly columns?: number
  readonly rows?: number
}

const writers = new WeakMap<NodeJS.WriteStream, (text: string) => void>()

/**
 * A writer to `stream` that never throws and falls silent once the stream
 * fails. A reader that goes away (`dccd record … 2>&1 | head -1`, a closed SSH
 * session) makes writes fail with EPIPE or EIO; unhandled, that 'error'
 * event would end the process with the journal unsealed and the lock left
 * behind. Logging must never take a recording down. One writer per stream, so
 * repeated calls (tests run `main` many times) add one listener in all.
 */
function safeWriter(stream: NodeJS.WriteStream): (text: string) => void {
  let writer = writers.get(stream)
  if (writer !== undefined) return writer
  let failed = false
  stream.on('error', () => {
    failed = true
  })
  writer = (text) => {
    if (failed || stream.destroyed) return
    try {
      stream.write(text)
    } catch {
      failed = true
    }
  }
  writers.set(stream, writer)
  return writer
}

/** The real process streams; writes to a closed stdout or stderr are dropped. */
export function processIo(): Io {
  const out = safeWriter(process.stdout)
  const err = safeWriter(process.stderr)
  return {
    out,
    err,
    errIsTTY: process.stderr.isTTY === true,
    outIsTTY: process.stdout.isTTY === true,
    get columns() {
      return process.stdout.columns
    },
    get rows() {
      return process.stdout.rows
    },
  }
}

/**
 * A logger for feeds and the recorder: warnings and errors always, info and
 * debug with `--verbose`. `beforeWrite` lets a live status line clear itself first.
 */
export function cliLogger(io: Io, verbose: boolean, beforeWrite: () => void = () => {}): Logger {
  const write =
    (level: string) =>
    (message: string, context?: Record<string, unknown>): void => {
      beforeWrite()
      io.err(`dccd ${level}: ${message}${context && Object.keys(context).length > 0 ? ` ${JSON.stringify(context)}` : ''}\n`)
    }
  const quiet = (): void => {}
  return {
    debug: verbose ? write('debug') : quiet,
    info: verbose ? write('info') : quiet,
    warn: write('warn'),
    error: write('error'),
  }
}
