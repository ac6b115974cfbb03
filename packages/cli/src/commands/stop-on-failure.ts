/**
 * The recorder's failures during `dccd record`, from its own timers (its
 * `onFailure`) and from the feed pumps' `write()` calls: the first one stops
 * the run instead of escaping as an uncaught exception (a stack trace,
 * exit 1, nothing sealed). A disk that refuses a write is said at once, in
 * one line naming the file and the disk, and the run then seals what it can
 * and exits 1; any other failure is rethrown after sealing.
 */
import { isDiskWriteError } from '@dccd/recorder'
import { hasErrorCode } from '@dccd/core'
import { diskFailureMessage } from '../record/disk-message.js'
import { spoolFullMessage } from '../record/nats-sink.js'

/** Guards recorder calls; see the module comment. */
export class StopOnFailure {
  #error: unknown
  #failed = false

  /**
   * @param say prints one line (the status line must clear itself first)
   * @param stop asks the run to stop
   */
  constructor(
    private readonly say: (line: string) => void,
    private readonly stop: () => void,
  ) {}

  /** The first failure, if any. */
  get error(): unknown {
    return this.#error
  }

  /** True once a call failed. */
  get failed(): boolean {
    return this.#failed
  }

  /** Runs `work` unless the run already failed; a throw stops the run. Returns false once failed. */
  run(work: () => void): boolean {
    if (this.#failed) return false
    try {
      work()
      return true
    } catch (error) {
      this.fail(error)
      return false
    }
  }

  /** Stops the run with `error`, unless an earlier failure did. */
  fail(error: unknown): void {
    if (this.#failed) return
    this.#failed = true
    this.#error = error
    if (isDiskWriteError(error)) this.say(`dccd: error: ${diskFailureMessage(error)}; stopping\n`)
    if (hasErrorCode(error, 'DCCD_SPOOL_FULL')) this.say(`dccd: error: ${spoolFullMessage(error as never)}\n`)
    this.stop()
  }
}
