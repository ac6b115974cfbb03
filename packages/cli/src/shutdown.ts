/**
 * Ctrl-C handling for long-running commands. The first stop signal asks
 * for a graceful stop (seal everything); a second one asks to exit now
 * (finish only the file being written). Under `pnpm dccd` one Ctrl-C reaches
 * both pnpm and dccd, so dccd may receive the same Ctrl-C twice within
 * milliseconds: signals closer together than `repeatWindowMs` count as one.
 */

/**
 * Signals that ask a run to stop. SIGHUP is what a closed terminal or SSH
 * session sends, SIGQUIT is Ctrl-\ on a terminal; left to their defaults they would end the
 * process on the spot with nothing sealed, so they count like SIGTERM.
 */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'] as const

/** Why a run is stopping. */
export type StopReason = 'signal' | 'duration' | 'ended' | 'error'

/** Tracks the stop request of one run. */
export class Shutdown {
  #stopReason: StopReason | undefined
  #abandoned = false
  #firstSignalAt = 0
  #resolveStop!: (reason: StopReason) => void
  #resolveAbandon!: () => void
  /** Resolves with the reason on the first stop request. */
  readonly stopped: Promise<StopReason> = new Promise((resolve) => (this.#resolveStop = resolve))
  /** Resolves when a second signal asks to exit at once. */
  readonly abandonedPromise: Promise<void> = new Promise((resolve) => (this.#resolveAbandon = resolve))

  constructor(
    private readonly repeatWindowMs = 300,
    private readonly now: () => number = Date.now,
  ) {}

  get reason(): StopReason | undefined {
    return this.#stopReason
  }

  get abandoned(): boolean {
    return this.#abandoned
  }

  /** Requests a graceful stop; later calls keep the first reason. */
  stop(reason: StopReason): void {
    if (this.#stopReason !== undefined) return
    this.#stopReason = reason
    this.#resolveStop(reason)
  }

  /**
   * Handles one stop signal (any of {@link STOP_SIGNALS}).
   *
   * @returns what it did: `stop` (graceful), `abandon` (exit now) or `repeat` (same Ctrl-C delivered twice)
   */
  signal(): 'stop' | 'abandon' | 'repeat' {
    const now = this.now()
    if (this.#firstSignalAt === 0) {
      this.#firstSignalAt = now
      this.stop('signal')
      return 'stop'
    }
    if (now - this.#firstSignalAt < this.repeatWindowMs || this.#abandoned) return 'repeat'
    this.#abandoned = true
    this.#resolveAbandon()
    return 'abandon'
  }
}
