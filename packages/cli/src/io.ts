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

/** The real process streams. */
export function processIo(): Io {
  return {
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
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
