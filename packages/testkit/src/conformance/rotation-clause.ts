/**
 * The rotation clause, driven by `options.continuity.rotation`: the session is
 * replayed in real time (sped up to about {@link ROTATION_REPLAY_MS}), a new
 * connection joining the session where its clock stands, as a live venue's
 * would, while the adapter rotates; nothing may be lost or repeated.
 */
import { describeEvents } from '../helpers/event-collector.js'
import type { ClauseSetup, ConformanceClause } from './clause.js'
import { rotationProblem } from './continuity-checks.js'
import { sessionSpanMs, sessionTradeIds } from './continuity-session.js'
import { ConformanceFailure } from './event-reader.js'
import { withCase } from './harness.js'
import { withEndMarker } from './session-edit.js'

/** How long the paced replay lasts, ms: room for a few rotations at the adapter's declared age. */
export const ROTATION_REPLAY_MS = 3000

export function rotationClause({ exchange, options, session }: ClauseSetup): ConformanceClause {
  const rotation = options.continuity.rotation
  const skip =
    rotation === undefined
      ? `${exchange.id} declares no continuity.rotation (its connections never rotate)`
      : sessionSpanMs(session()) === 0
        ? 'the session has no two in frames at different times to pace'
        : undefined
  return {
    title: 'rotation emits no duplicate and no hole',
    skip,
    run: () => {
      const speed = sessionSpanMs(session()) / ROTATION_REPLAY_MS
      const replay = { ...options.replay, speed, join: 'live' as const }
      return withCase(
        exchange,
        options,
        withEndMarker(session()),
        async (context) => {
          const { fx } = context
          let overlaps = 0
          // A rotation opens the replacement while the old socket is still open.
          fx.onConnection(() => {
            if (fx.openConnections > 1) overlaps++
          })
          const reader = context.read(rotation)
          const streamsTrades = options.channels.includes('trades') && options.continuity.trades !== undefined
          const all = streamsTrades ? sessionTradeIds(session(), options.continuity) : new Map<string, string[]>()
          const expected = new Map([...all].filter(([symbol]) => options.symbols.includes(symbol)))
          const judge = (): void => {
            const problem = rotationProblem(reader.events, expected, false)
            if (problem !== undefined) throw new ConformanceFailure(`${problem}; ${describeEvents(reader.events)}`)
          }
          try {
            // Frames in flight on a socket the client closes are not received: the end marker, counted
            // as a parse error, says the newest connection's session has been read.
            await reader.until(
              () => reader.feed.stats.parseErrors > 0,
              'the end of the paced replay (its closing malformed frame counted in stats.parseErrors)',
              ROTATION_REPLAY_MS + options.timeoutMs,
            )
          } catch (error) {
            judge() // what went wrong on the way, when something visibly did
            throw error
          }
          await reader.drain()
          if (overlaps === 0) {
            throw new ConformanceFailure(
              `No rotation happened: ${fx.connections.length} connection(s) in a ${ROTATION_REPLAY_MS} ms replay with ${JSON.stringify(rotation)}; continuity.rotation must rotate within it`,
            )
          }
          judge()
          const missing = rotationProblem(reader.events, expected, true)
          if (missing !== undefined) throw new ConformanceFailure(`${missing}; ${describeEvents(reader.events)}`)
        },
        replay,
      )
    },
  }
}
