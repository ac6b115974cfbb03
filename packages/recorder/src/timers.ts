/**
 * The recorder's periodic work. Each part of the recorder registers its own
 * jobs; the first job that throws (or rejects) stops them all and is
 * reported once, so a failure never escapes from a timer as an uncaught
 * exception and nothing keeps writing after it.
 */

/** Periodic jobs of one recorder. */
export class RecorderTimers {
  readonly #handles: NodeJS.Timeout[] = []
  #stopped = false
  #failed = false

  /** @param onError gets the first error a job throws */
  constructor(private readonly onError: (error: unknown) => void) {}

  /** Runs `job` every `intervalMs` until {@link stop}. A job still running (async) when the next is due is not awaited. */
  every(intervalMs: number, job: () => void | Promise<void>): void {
    if (this.#stopped) return
    const handle = setInterval(() => this.#run(job), intervalMs)
    // Never the only thing keeping a process alive: whoever feeds the recorder does that, and close() is theirs to call.
    handle.unref()
    this.#handles.push(handle)
  }

  /** Stops every job. A job in flight finishes; its failure is still reported if it is the first. */
  stop(): void {
    this.#stopped = true
    for (const handle of this.#handles) clearInterval(handle)
    this.#handles.length = 0
  }

  #run(job: () => void | Promise<void>): void {
    if (this.#stopped) return
    try {
      const result = job()
      if (result !== undefined) result.catch((error: unknown) => this.#fail(error))
    } catch (error) {
      this.#fail(error)
    }
  }

  #fail(error: unknown): void {
    this.stop()
    if (this.#failed) return
    this.#failed = true
    this.onError(error)
  }
}
