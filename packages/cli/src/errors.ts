/**
 * How the CLI turns failures into exit codes. Bad input (exit 2) is anything
 * the user can fix by changing the command line, the config file or the
 * environment (`--out`); everything else is an unexpected failure (exit 1).
 */
import { DccdError, hasErrorCode } from '@dccd/core'
import type { OutputLockedError } from '@dccd/recorder'

/** Exit codes of every `dccd` command. */
export const ExitCode = {
  /** Finished: `--duration` ended, or Ctrl-C sealed everything. */
  ok: 0,
  /** Unexpected failure. */
  failure: 1,
  /** Bad input: unknown exchange, channel, interval, symbol, option or unwritable `--out`. */
  usage: 2,
  /** `record --sink`: the local spool reached `--max-spool` while NATS was unreachable or slow. */
  spoolFull: 3,
  /** A second Ctrl-C cut sealing short; the journal is sealed on the next start. */
  interrupted: 130,
} as const

/**
 * Bad input: the message names the bad value and the valid ones. Exit code 2.
 *
 * @example throw new UsageError(`invalid --limit "x"; use a whole number ≥ 1`)
 */
export class UsageError extends DccdError {
  readonly code = 'DCCD_USAGE'
}

/** True for errors that mean "the user asked for something invalid" (exit 2). */
export function isUsageError(error: unknown): boolean {
  return hasErrorCode(error, 'DCCD_USAGE') || hasErrorCode(error, 'DCCD_INVALID_ARGUMENT')
}

/**
 * The recorder's input errors in the CLI's words, as {@link UsageError}s
 * (exit 2): a locked output folder is named as `--out`, and a missing or
 * unreadable `dccd read` path keeps its message. Anything else is returned
 * as it is.
 */
export function asUsageError(error: unknown): unknown {
  if (hasErrorCode(error, 'DCCD_OUTPUT_LOCKED')) {
    const { out, lockPath, pid } = error as OutputLockedError
    if (pid === undefined) return new UsageError(`could not take the lock ${lockPath}; try again`, { cause: error })
    const holder = pid === process.pid ? 'another recording in this process' : 'another dccd'
    return new UsageError(`--out ${JSON.stringify(out)} is in use by ${holder} (pid ${pid}); stop it or choose another --out`, { cause: error })
  }
  if (hasErrorCode(error, 'DCCD_DATA_PATH')) return new UsageError((error as Error).message, { cause: error })
  return error
}

/** The one-line message shown for an error. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message.split('\n')[0]!
  return String(error)
}
