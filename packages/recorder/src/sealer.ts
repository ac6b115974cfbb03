/**
 * The seal queue of one recorder and the order sealing follows. Rotated
 * segments are sealed one after another, in rotation order, each only after
 * a sync (the checkpoints must cover a segment before its journal goes; see
 * segment-seal.ts, which checks that again per segment), with a pause
 * between files so the feeds drain. A segment that cannot be sealed stays
 * in the journal with a warning: close() tries it again, and so does the
 * next start (recover()).
 */
import { relative, sep } from 'node:path'
import type { Logger } from '@dccd/core'
import { isDiskWriteError } from './disk-error.js'
import type { DiskFailure } from './disk-failure.js'
import { listJournalSegments } from './journal.js'
import type { RecorderStats } from './options.js'
import type { SealResult } from './seal.js'
import { sealSegment } from './segment-seal.js'
import type { SegmentSealContext } from './segment-seal.js'

/** What a {@link Sealer} needs. */
export interface SealerOptions {
  readonly out: string
  /** The journal root, `<out>/.journal`. */
  readonly root: string
  /** Every checkpointed kind: a segment's journal goes only once they cover it (segment-seal.ts). */
  readonly ledgers: SegmentSealContext['ledgers']
  readonly stats: RecorderStats
  readonly failure: DiskFailure
  readonly logger: Logger
  /** Makes the journal durable and saves the checkpoints it covers (the recorder's sync). */
  readonly sync: () => Promise<void>
}

/** A pause between seals: one blocks for up to about a second (100k rows ≈ 0.4 s), so the feeds drain in between. */
function yieldToFeeds(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve))
}

/**
 * Recovered segments with every `status` segment after the others: a gap
 * marker names a hole in a stream's data, so that data moves the
 * checkpoints first, and a trade marker's checkpoint then keeps the exchange
 * time of the trade before the hole (see trade-ledger.ts). Otherwise in path
 * order (date, then start time).
 */
function statusLast(root: string, paths: readonly string[]): string[] {
  // `<exchange>/<type>/<symbol>/<date>/<segment>` below the root.
  const isStatus = (path: string): boolean => relative(root, path).split(sep)[1] === 'status'
  return [...paths.filter((path) => !isStatus(path)), ...paths.filter(isStatus)]
}

/** Seals closed segments in order; see the module comment. */
export class Sealer {
  readonly #options: SealerOptions
  #queue: string[] = []
  /** Rotated segments whose seal failed during the run; close() tries them again. */
  #unsealed: string[] = []
  #sealing: Promise<void> = Promise.resolve()

  constructor(options: SealerOptions) {
    this.#options = options
  }

  /**
   * Seals what a crashed run left in the journal, seeding de-duplication
   * from it. Never rejects: a segment that cannot be sealed now stays in the
   * journal with a warning.
   */
  async recover(): Promise<SealResult[]> {
    const results: SealResult[] = []
    let paths: string[]
    try {
      paths = listJournalSegments(this.#options.root)
    } catch (error) {
      this.#options.logger.warn(`cannot list the journal ${this.#options.root}: ${(error as Error).message}`)
      return results
    }
    for (const path of statusLast(this.#options.root, paths)) {
      const result = await this.#seal(path, true)
      if (result !== undefined) results.push(result)
    }
    return results
  }

  /** Queues a rotated segment (closed and fsynced); it is sealed after the ones before it. */
  enqueue(path: string): void {
    this.#queue.push(path)
    this.#sealing = this.#sealing.then(() => this.#drain()).catch((error: unknown) => {
      // A disk failure surfaces from the recorder's next call; anything else is only logged.
      if (!isDiskWriteError(this.#options.failure.fail(error, this.#options.root))) this.#options.logger.error(`sealing failed: ${(error as Error).message}`)
    })
  }

  /** Resolves when every segment queued so far is sealed (or left in the journal). */
  idle(): Promise<void> {
    return this.#sealing
  }

  /** Takes the segments not sealed yet (failed or still queued), for a last try at close. */
  takePending(): string[] {
    const paths = [...this.#unsealed, ...this.#queue]
    this.#unsealed = []
    this.#queue = []
    return paths
  }

  /**
   * Seals `paths` one by one, asking `abandon()` before each: once it turns
   * true the rest stays in the journal for the next start.
   *
   * @returns how many were left unsealed
   */
  async sealEach(paths: readonly string[], abandon: () => boolean): Promise<number> {
    let left = paths.length
    for (const path of paths) {
      if (abandon()) break
      if ((await this.#seal(path)) !== undefined) left--
      // Also lets a second signal be noticed between files.
      await yieldToFeeds()
    }
    return left
  }

  async #drain(): Promise<void> {
    if (this.#queue.length === 0) return
    await this.#options.sync()
    const paths = this.#queue
    this.#queue = []
    for (const path of paths) {
      if ((await this.#seal(path)) === undefined) this.#unsealed.push(path)
      await yieldToFeeds()
    }
  }

  /**
   * Seals one closed segment; `seed` (at start) also seeds de-duplication
   * from it. Never throws: on failure the segment stays in the journal.
   *
   * @returns the result, or undefined when the segment stays in the journal
   */
  async #seal(path: string, seed = false): Promise<SealResult | undefined> {
    const { out, logger, ledgers, stats } = this.#options
    try {
      const result = await sealSegment(path, { out, logger, ledgers, seed })
      if (result.file !== undefined) {
        stats.filesSealed++
        stats.rowsSealed += result.rows
        logger.debug(`sealed ${result.file} (${result.rows} rows)`)
      }
      return result
    } catch (error) {
      const wrapped = this.#options.failure.fail(error, path)
      logger.warn(`cannot seal ${path} now (${(wrapped as Error).message}); it stays in the journal for the next start`)
      return undefined
    }
  }
}
