/**
 * Promises that resolve when a condition over mutable state becomes true.
 * The owner calls `notify()` after every change; nothing polls.
 */
export class Waiters {
  readonly #pending = new Set<{ check: () => boolean; resolve: () => void; reject: (error: Error) => void }>()

  /** Resolves once `check()` is true (checked now and after each `notify()`). */
  until(check: () => boolean): Promise<void> {
    if (check()) return Promise.resolve()
    return new Promise((resolve, reject) => {
      this.#pending.add({ check, resolve, reject })
    })
  }

  notify(): void {
    for (const waiter of this.#pending) {
      let done: boolean
      try {
        done = waiter.check()
      } catch (error) {
        this.#pending.delete(waiter)
        waiter.reject(error as Error)
        continue
      }
      if (done) {
        this.#pending.delete(waiter)
        waiter.resolve()
      }
    }
  }

  /**
   * Forgets every pending waiter (the owner shut down). They stay pending rather than
   * rejecting: a test that left one unawaited must not fail with an unhandled rejection.
   */
  clear(): void {
    this.#pending.clear()
  }
}
