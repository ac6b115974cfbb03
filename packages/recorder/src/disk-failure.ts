/**
 * The first write the disk refused, shared by every part of one recorder.
 * From then on the recorder is failed: its calls throw that error, and no
 * checkpoint is saved from memory (a trade may have been accepted without
 * reaching its journal). Only a close() still seals what is on disk.
 */
import { asDiskWriteError, isDiskWriteError } from './disk-error.js'
import type { DiskWriteError } from './disk-error.js'

/** Remembers the first disk failure of one recorder. */
export class DiskFailure {
  #error: DiskWriteError | undefined

  /** The first disk failure, if any. */
  get error(): DiskWriteError | undefined {
    return this.#error
  }

  /** Wraps an errno error as a {@link DiskWriteError} naming `path`, remembers the first, and returns what to throw. */
  fail(error: unknown, path: string): unknown {
    const wrapped = asDiskWriteError(error, path)
    if (isDiskWriteError(wrapped)) this.#error ??= wrapped
    return wrapped
  }

  /** @throws DiskWriteError once a write was refused */
  throwIfFailed(): void {
    if (this.#error !== undefined) throw this.#error
  }

  /**
   * Runs `work` unless a write was refused before; what it throws is wrapped by {@link fail}.
   *
   * @throws DiskWriteError when the disk refused a write (this time or before)
   */
  run<T>(path: string, work: () => T): T {
    this.throwIfFailed()
    try {
      return work()
    } catch (error) {
      throw this.fail(error, path)
    }
  }
}
