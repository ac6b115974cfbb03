import { DccdError } from '@dccd/core'

/** A feed was used out of order: a second `stream()`/`streamRaw()` on the same instance. */
export class StreamStateError extends DccdError {
  readonly code = 'DCCD_STREAM_STATE'
}
