/**
 * Where a feed or recorder remembers how far it got (last trade id, last
 * update id, last sealed file…), so a restart resumes and can name the hole
 * it could not fill.
 */
import { mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises'
import { join } from 'node:path'

/** A JSON-serialisable checkpoint value. */
export type CheckpointValue = string | number | boolean | null | CheckpointValue[] | { [key: string]: CheckpointValue }

/** Persistence for checkpoints. `load` of an unknown key resolves `undefined`. */
export interface CheckpointStore {
  load(key: string): Promise<CheckpointValue | undefined>
  save(key: string, value: CheckpointValue): Promise<void>
}

/** Keeps checkpoints in memory (tests, and runs that need no restart). */
export class MemoryCheckpointStore implements CheckpointStore {
  readonly #values = new Map<string, string>()

  async load(key: string): Promise<CheckpointValue | undefined> {
    const raw = this.#values.get(key)
    return raw === undefined ? undefined : (JSON.parse(raw) as CheckpointValue)
  }

  async save(key: string, value: CheckpointValue): Promise<void> {
    // Stored serialised so a caller mutating its object later cannot change the checkpoint.
    this.#values.set(key, JSON.stringify(value))
  }
}

/**
 * Keeps one JSON file per key in a directory. Each save writes a temp file,
 * fsyncs it and renames it over the old one: rename is atomic on POSIX, so a
 * crash at any point leaves either the previous checkpoint or the new one,
 * never a torn file. Saves to the same key are serialised. The first save
 * also removes temp files a crashed process left behind (see
 * {@link FileCheckpointStore.removeStaleTemps}).
 *
 * @example
 * const store = new FileCheckpointStore('./data/.checkpoints')
 * await store.save('binance/trades/BTCUSDT', { lastId: '123' })
 */
export class FileCheckpointStore implements CheckpointStore {
  readonly #pending = new Map<string, Promise<void>>()
  #staleTempsRemoved: Promise<unknown> | undefined

  constructor(readonly directory: string) {}

  /**
   * Deletes the temp files of writers that no longer run: a process killed
   * mid-save leaves `<key>.json.<pid>.<n>.tmp`. A file whose pid is alive
   * (another store writing right now) is left alone. Resolves the names
   * removed; never rejects.
   */
  async removeStaleTemps(): Promise<string[]> {
    const removed: string[] = []
    let names: string[]
    try {
      names = await readdir(this.directory)
    } catch {
      return removed
    }
    for (const name of names) {
      const match = TEMP_NAME.exec(name)
      if (match === null || isProcessAlive(Number(match[1]))) continue
      try {
        await unlink(join(this.directory, name))
        removed.push(name)
      } catch {
        // Gone already, or not ours to delete: either way nothing to do.
      }
    }
    return removed
  }

  /** The file that holds `key`. Keys may contain `/` and other characters unsafe in names. */
  pathFor(key: string): string {
    return join(this.directory, `${encodeURIComponent(key)}.json`)
  }

  async load(key: string): Promise<CheckpointValue | undefined> {
    // Wait for a save in flight; its failure belongs to its caller, not to this load.
    await this.#pending.get(key)?.catch(() => {})
    try {
      return JSON.parse(await readFile(this.pathFor(key), 'utf8')) as CheckpointValue
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
      throw error
    }
  }

  save(key: string, value: CheckpointValue): Promise<void> {
    const previous = this.#pending.get(key) ?? Promise.resolve()
    const next = previous.catch(() => {}).then(() => this.#write(key, JSON.stringify(value)))
    this.#pending.set(key, next)
    const cleanup = (): void => {
      if (this.#pending.get(key) === next) this.#pending.delete(key)
    }
    next.then(cleanup, cleanup)
    return next
  }

  async #write(key: string, json: string): Promise<void> {
    await mkdir(this.directory, { recursive: true })
    // Once per store, before its first temp file exists.
    await (this.#staleTempsRemoved ??= this.removeStaleTemps())
    const target = this.pathFor(key)
    // Unique per process and per write, so two stores on one directory never share a temp file.
    const temp = `${target}.${process.pid}.${++tempSequence}.tmp`
    const handle = await open(temp, 'w')
    try {
      await handle.writeFile(json)
      await handle.sync()
    } finally {
      await handle.close()
    }
    try {
      await rename(temp, target)
    } catch (error) {
      await unlink(temp).catch(() => {})
      throw error
    }
    await syncDirectory(this.directory)
  }
}

let tempSequence = 0

/** `<key>.json.<pid>.<sequence>.tmp`, as written by {@link FileCheckpointStore}. */
const TEMP_NAME = /^.+\.json\.(\d+)\.\d+\.tmp$/

/** True when `pid` names a running process (EPERM: it runs, under another user). */
function isProcessAlive(pid: number): boolean {
  if (pid === process.pid) return true
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Makes the rename itself durable (POSIX needs an fsync of the directory).
 * Best effort: some platforms (Windows) cannot open a directory, and the
 * rename is atomic either way.
 */
async function syncDirectory(directory: string): Promise<void> {
  try {
    const handle = await open(directory, 'r')
    try {
      await handle.sync()
    } finally {
      await handle.close()
    }
  } catch {
    // Durability only; atomicity does not depend on it.
  }
}
