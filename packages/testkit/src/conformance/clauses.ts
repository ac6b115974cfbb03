/** The contract clauses, as data: a title, a skip reason derived from the descriptor, and a check. */
import type { ExchangeAdapter } from '@dccd/core'
import { sessionOf, withCase, type CaseContext } from './harness.js'
import {
  malformedSymbolRejected,
  unknownChannelRejected,
  unknownIntervalRejected,
  unknownSymbolRejected,
} from './input-clauses.js'
import { resolveOptions, type ConformanceOptions, type ResolvedConformanceOptions } from './options.js'
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

/** One contract clause. */
export interface ConformanceClause {
  /** The clause, as the test title. */
  readonly title: string
  /** Why the clause does not apply (a channel the descriptor does not offer); undefined when it runs. */
  readonly skip: string | undefined
  /** Runs the clause against its own fake exchange; rejects with the reason when the adapter breaks it. */
  run(): Promise<void>
}

type Check = (context: CaseContext, options: ResolvedConformanceOptions, exchange: ExchangeAdapter) => Promise<void>

/**
 * The conformance clauses for one adapter, in order. {@link runAdapterConformance} wraps each in
 * an `it`; call a clause's `run()` directly to test one clause.
 */
export function conformanceClauses(exchange: ExchangeAdapter, options: ConformanceOptions): ConformanceClause[] {
  const resolved = resolveOptions(exchange, options)
  const session = sessionOf(resolved)
  const needs = (kind: 'book' | 'bars'): string | undefined => {
    if (!exchange.channels.includes(kind)) return `${exchange.id} offers no ${kind} channel`
    if (kind === 'book' && !resolved.channels.includes('book')) return 'book is not among options.channels'
    return undefined
  }
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
  ]
}
