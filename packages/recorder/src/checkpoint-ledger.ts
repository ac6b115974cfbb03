/**
 * What one recorder knows about each stream of one checkpointed kind
 * (trades, bars): the last record accounted for, in memory, for
 * de-duplication; which streams moved since their checkpoint was last
 * saved; and the saved checkpoints themselves (checkpoint-book.ts). Saving
 * is left to the caller's sync, which must only save what the journal
 * already holds on disk. Sealing goes through {@link CheckpointLedger.coverSealed},
 * which derives checkpoints from the segment's own lines.
 */
import type { CheckpointStore } from '@dccd/core'
import { CheckpointBook } from './checkpoint-book.js'
import type { CheckpointOrder } from './checkpoint-book.js'
import type { DataType } from './partition.js'

/** The in-memory side of a ledger: its de-duplication's last record per stream. */
export interface LastRecords<T> {
  /** Seeds a stream from a checkpoint or a recovered journal segment; keeps whichever is later. */
  restore(key: string, checkpoint: T): void
  last(key: string): T | undefined
}

/** Last records and checkpoints of every stream of one kind; `M` is the kind's de-duplication. */
export abstract class CheckpointLedger<T extends object, M extends LastRecords<T> = LastRecords<T>> {
  readonly book: CheckpointBook<T>
  /** Streams whose last record moved since their checkpoint was last saved. */
  readonly #dirty = new Set<string>()

  constructor(
    store: CheckpointStore,
    order: CheckpointOrder<T>,
    protected readonly memory: M,
  ) {
    this.book = new CheckpointBook(store, order)
  }

  /**
   * Per stream, what the records of a sealed segment of `type` account for,
   * as the checkpoint to make durable before the segment's journal goes.
   */
  protected abstract accountedFor(type: DataType, records: readonly unknown[]): Promise<Map<string, T>>

  /** Marks a stream whose last record moved: it is saved at the next {@link saveDirty}. */
  protected moved(key: string): void {
    this.#dirty.add(key)
  }

  /** Seeds a stream from a checkpoint or a recovered journal segment; keeps whichever is later. */
  restore(key: string, checkpoint: T): void {
    this.memory.restore(key, checkpoint)
  }

  /** Loads the saved checkpoints of these streams into de-duplication. */
  async load(keys: Iterable<string>): Promise<void> {
    for (const key of keys) {
      const value = await this.book.load(key)
      if (value !== undefined) this.memory.restore(key, value)
    }
  }

  /** Last record accounted for on a stream (from this run, a recovered journal or a checkpoint). */
  last(key: string): T | undefined {
    return this.memory.last(key)
  }

  /**
   * Saves the checkpoint of every stream that moved, and waits for those
   * saves and for any an earlier call started. A stream whose save fails is
   * saved again next time.
   *
   * @throws the first save failure
   */
  async saveDirty(): Promise<void> {
    const saves: Promise<void>[] = []
    for (const key of this.#dirty) {
      const last = this.memory.last(key)
      if (last === undefined) continue
      saves.push(
        this.book.save(key, last).catch((error: unknown) => {
          this.#dirty.add(key) // the next sync tries again
          throw error
        }),
      )
    }
    this.#dirty.clear()
    // Also wait for saves an earlier sync started: close() must not return before they land.
    await Promise.all([...saves, this.book.settled()])
  }

  /** Resolves when every save asked for so far has settled (failed or not). */
  settled(): Promise<void> {
    return this.book.settled()
  }

  /**
   * Makes the stored checkpoints cover what a sealed segment accounts for
   * (segment-seal.ts calls it before removing the journal). With `seed` (at
   * start) de-duplication is first seeded from it: a crashed run's last
   * records may be newer than its checkpoints.
   *
   * @throws when a checkpoint cannot be saved; the journal must then stay
   */
  async coverSealed(type: DataType, records: readonly unknown[], seed: boolean): Promise<void> {
    for (const [key, value] of await this.accountedFor(type, records)) {
      if (seed) this.memory.restore(key, value)
      await this.book.cover(key, value)
    }
  }
}
