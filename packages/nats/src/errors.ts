/**
 * The sink's two failures that a caller must act on: a spool at its size
 * limit (NATS gone or slow for too long) and a stream that exists but does
 * not take the sink's subjects. Both are core `DccdError`s: branch on `code`.
 */
import { DccdError } from '@dccd/core'

/**
 * The local spool reached `maxSpoolBytes` while NATS was unreachable or slower than the feed. Nothing was dropped:
 * the event that did not fit was refused by `write()`, which throws this; what the spool holds is drained on the
 * next start. Stop feeding the sink and `close()` it.
 *
 * @example if (hasErrorCode(error, 'DCCD_SPOOL_FULL')) process.exitCode = 3
 */
export class SpoolFullError extends DccdError {
  readonly code = 'DCCD_SPOOL_FULL'

  constructor(
    readonly spoolDir: string,
    readonly maxSpoolBytes: number,
    readonly spooledBytes: number,
  ) {
    super(`spool ${spoolDir} is full (${spooledBytes} of ${maxSpoolBytes} bytes) while NATS is unreachable or slow`)
  }
}

/**
 * The stream exists, but its subjects do not include every subject the sink publishes on (another application
 * owns the name, or it was created with other subjects). The sink never changes an existing stream.
 *
 * @example new StreamConflictError('DCCD', ['orders.>'], ['dccd.>'])
 */
export class StreamConflictError extends DccdError {
  readonly code = 'DCCD_STREAM_CONFLICT'

  constructor(
    readonly stream: string,
    readonly subjects: readonly string[],
    readonly wanted: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(
      `JetStream stream ${JSON.stringify(stream)} exists with subjects ${JSON.stringify(subjects)}, which do not include ${JSON.stringify(wanted)}; ` +
        'choose another stream name (--stream) or subject prefix',
      options,
    )
  }
}
