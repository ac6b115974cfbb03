/**
 * Makes sure the stream the sink publishes into exists: created with the
 * configured subjects, retention, limits, replicas and duplicate window if
 * missing; left as it is if it exists and captures the sink's subjects
 * (an operator may have tuned it); refused with a clear error otherwise.
 */
import { JetStreamApiCodes, JetStreamApiError, RetentionPolicy, StorageType } from '@nats-io/jetstream'
import type { JetStreamManager, StreamInfo } from '@nats-io/jetstream'
import { StreamConflictError } from './errors.js'
import type { ResolvedSinkOptions } from './options.js'

const NANOS_PER_MS = 1_000_000

/** Creates the stream if missing; resolves its info. @throws StreamConflictError when it exists without the sink's subjects */
export async function ensureStream(jsm: JetStreamManager, options: ResolvedSinkOptions): Promise<StreamInfo> {
  const probe = `${options.subjectPrefix}.x.trade.x`
  let info: StreamInfo
  try {
    info = await jsm.streams.info(options.stream)
  } catch (error) {
    if (!(error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound)) throw error
    return jsm.streams.add({
      name: options.stream,
      subjects: [...options.subjects],
      retention: RetentionPolicy[capitalized(options.retention)],
      storage: StorageType.File,
      max_age: options.maxAgeMs * NANOS_PER_MS,
      max_bytes: options.maxBytes,
      num_replicas: options.replicas,
      duplicate_window: options.duplicateWindowMs * NANOS_PER_MS,
    })
  }
  const subjects = info.config.subjects ?? []
  if (!subjects.some((pattern) => subjectMatches(pattern, probe))) throw new StreamConflictError(options.stream, subjects, [`${options.subjectPrefix}.>`])
  return info
}

function capitalized(retention: ResolvedSinkOptions['retention']): 'Limits' | 'Interest' | 'Workqueue' {
  return retention === 'limits' ? 'Limits' : retention === 'interest' ? 'Interest' : 'Workqueue'
}

/** NATS subject matching: `*` one token, `>` the rest. */
export function subjectMatches(pattern: string, subject: string): boolean {
  const want = pattern.split('.')
  const have = subject.split('.')
  for (let i = 0; i < want.length; i++) {
    if (want[i] === '>') return have.length > i
    if (i >= have.length || (want[i] !== '*' && want[i] !== have[i])) return false
  }
  return want.length === have.length
}
