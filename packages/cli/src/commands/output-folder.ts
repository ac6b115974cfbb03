/**
 * The `--out` folder of a command that seals files into it (`record`,
 * `backfill`, `sink-to-files`): checked writable, locked for this one writer,
 * and the stop signals handled while it is held.
 */
import { accessSync, constants, mkdirSync, statSync } from 'node:fs'
import { acquireLock } from '@dccd/recorder'
import { UsageError, asUsageError } from '../errors.js'
import type { Io } from '../io.js'
import { Shutdown } from '../shutdown.js'
import { handleStopSignals } from './stop-signals.js'

/** Fails with exit 2 unless `out` is (or can be made) a writable folder. */
export function checkWritableDirectory(out: string, shown = out): void {
  try {
    mkdirSync(out, { recursive: true })
    if (!statSync(out).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' })
    accessSync(out, constants.W_OK)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error'
    const why = code === 'ENOTDIR' || code === 'EEXIST' ? 'a path component is a regular file' : code
    throw new UsageError(`cannot write --out ${JSON.stringify(shown)}: ${why}`)
  }
}

/** A locked output folder and the run's shutdown; `release()` gives back the lock and the signal handlers. */
export interface OutputClaim {
  readonly shutdown: Shutdown
  release(): void
}

/**
 * Checks `out` is writable and takes its lock (exit 2 when another writer holds it), then handles
 * the stop signals unless `handleSignals` is false (tests).
 *
 * @param shown the folder as the user wrote it, for messages
 * @param clear removes the live status line before a signal's message
 */
export async function claimOutputFolder(out: string, shown: string, io: Io, handleSignals: boolean | undefined, clear: () => void): Promise<OutputClaim> {
  checkWritableDirectory(out, shown)
  const releaseLock = await acquireLock(out).catch((error: unknown) => {
    throw asUsageError(error)
  })
  const shutdown = new Shutdown()
  const unhandleSignals = handleSignals === false ? () => {} : handleStopSignals(shutdown, io, clear)
  return {
    shutdown,
    release: () => {
      releaseLock()
      unhandleSignals()
    },
  }
}
