/**
 * The recorder's errors with stable codes (listed in core's README). A disk
 * that refuses a write is a {@link DiskWriteError} instead (see disk-error.ts):
 * its `code` is the errno code, which is what a caller branches on there.
 */
import { DccdError } from '@dccd/core'

/**
 * Another live process holds the lock of the output folder (see lock.ts).
 *
 * @example
 * try { await acquireLock('./data') } catch (error) { if (hasErrorCode(error, 'DCCD_OUTPUT_LOCKED')) … }
 */
export class OutputLockedError extends DccdError {
  readonly code = 'DCCD_OUTPUT_LOCKED'

  /**
   * @param out the output folder
   * @param lockPath its lock (`<out>/.dccd.lock`)
   * @param pid the holder's process id; undefined when the lock kept vanishing under every claim (try again)
   */
  constructor(
    readonly out: string,
    readonly lockPath: string,
    readonly pid: number | undefined,
  ) {
    super(
      pid === undefined
        ? `could not take the lock ${lockPath}; try again`
        : `${JSON.stringify(out)} is in use by ${pid === process.pid ? 'another recording in this process' : 'another dccd'} (pid ${pid}); stop it or record into another folder`,
    )
  }
}

/** Why a path holds no recorded data to read: it does not exist, or it is a file of another type. */
export type DataPathProblem = 'missing' | 'not-a-data-file'

/**
 * A path given to {@link listDataFiles} does not exist, or is a file that is not `.parquet`, `.jsonl` or `.csv`.
 *
 * @example
 * listDataFiles('./nowhere') // throws DataPathError: no such file or folder "./nowhere"
 */
export class DataPathError extends DccdError {
  readonly code = 'DCCD_DATA_PATH'

  constructor(
    readonly path: string,
    readonly reason: DataPathProblem,
    validExtensions: readonly string[],
  ) {
    super(
      reason === 'missing'
        ? `no such file or folder ${JSON.stringify(path)}`
        : `cannot read ${JSON.stringify(path)}; valid file types: ${validExtensions.join(', ')}`,
    )
  }
}
