/** The contract clauses, as data: a title, a skip reason derived from the descriptor and options, and a check. */
import type { ExchangeAdapter } from '@dccd/core'
import { cleanReplayClause, droppedBookFrameClause, noDeltaBeforeSnapshotClause } from './book-clauses.js'
import type { ClauseSetup, ConformanceClause } from './clause.js'
import { sessionOf, withCase, type CaseContext } from './harness.js'
import {
  malformedSymbolRejected,
  unknownChannelRejected,
  unknownIntervalRejected,
  unknownSymbolRejected,
} from './input-clauses.js'
import { resolveOptions, type ConformanceOptions, type ResolvedConformanceOptions } from './options.js'
import { rotationClause } from './rotation-clause.js'
import { withMalformedFrame } from './session-edit.js'
import {
  disconnectYieldsStatusThenSnapshot,
  eventsHaveShape,
  firstBookIsSnapshot,
  malformedFrameIsCounted,
  noSocketAfterStop,
  stopDuringReconnect,
  stopWhileStreaming,
  timestampsAreMicros,
} from './stream-clauses.js'
import { droppedTradeFrameClause } from './trade-clause.js'

export type { ConformanceClause } from './clause.js'

type Check = (context: CaseContext, options: ResolvedConformanceOptions, exchange: ExchangeAdapter) => Promise<void>

/**
 * The conformance clauses for one adapter, in order: the stream and input clauses, then the
 * continuity clauses driven by `options.continuity`. {@link runAdapterConformance} wraps each in
 * an `it`; call a clause's `run()` directly to test one clause.
 *
 * @example
 * const clause = conformanceClauses(exchange, options).find((c) => c.title === 'a clean replay produces no resync')!
 * await clause.run() // rejects with ConformanceFailure naming the offending event
 */
export function conformanceClauses(exchange: ExchangeAdapter, options: ConformanceOptions): ConformanceClause[] {
  const resolved = resolveOptions(exchange, options)
  const session = sessionOf(resolved)
  const needs = (kind: 'book' | 'bars' | 'trades'): string | undefined => {
    if (!exchange.channels.includes(kind)) return `${exchange.id} offers no ${kind} channel`
    if (kind !== 'bars' && !resolved.channels.includes(kind)) return `${kind} is not among options.channels`
    return undefined
  }
  const setup: ClauseSetup = { exchange, options: resolved, session, needs }
  const clause = (title: string, check: Check, skip?: string, malformed = false): ConformanceClause => ({
    title,
    skip,
    run: () =>
      withCase(exchange, resolved, malformed ? withMalformedFrame(session()) : session(), (context) =>
        check(context, resolved, exchange),
      ),
  })
  return [
    clause('timestamps are integer microseconds', timestampsAreMicros),
    clause('events have the normalized shape', eventsHaveShape),
    clause('the first book event for a symbol is a snapshot', firstBookIsSnapshot, needs('book')),
    clause(
      'a forced disconnect yields disconnected, connected, then a snapshot',
      disconnectYieldsStatusThenSnapshot,
      needs('book'),
    ),
    clause('stop() ends the stream within 1 s while streaming', stopWhileStreaming),
    clause('stop() ends the stream within 1 s during a pending reconnect', stopDuringReconnect),
    clause('no socket stays open after stop()', noSocketAfterStop),
    clause('an unknown channel is rejected before connecting and the error lists valid ones', (c, _o, e) =>
      unknownChannelRejected(c, e),
    ),
    clause('an unknown bar interval is rejected before connecting', (c, _o, e) => unknownIntervalRejected(c, e), needs('bars')),
    clause('a malformed symbol is rejected before connecting', malformedSymbolRejected),
    clause('an unknown symbol is rejected before any data flows and the error names it', unknownSymbolRejected),
    clause('a malformed frame is counted, not thrown', malformedFrameIsCounted, undefined, true),
    cleanReplayClause(setup),
    noDeltaBeforeSnapshotClause(setup),
    droppedBookFrameClause(setup),
    droppedTradeFrameClause(setup),
    rotationClause(setup),
  ]
}
