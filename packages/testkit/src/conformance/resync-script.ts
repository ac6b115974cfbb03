/**
 * The fake exchange's side of a resync in the dropped-update clause: it
 * notices the adapter asking for a book again (a message on the socket, or a
 * REST snapshot request) and, when the adapter declares how, answers it from
 * the session's true history.
 */
import type { FakeConnection } from '../fake-connection.js'
import type { SessionFrame } from '../session.js'
import type { ResubscribeResync, RestSnapshotResync } from './continuity-options.js'
import { ConformanceFailure } from './event-reader.js'
import type { CaseContext } from './harness.js'

export interface ResyncScript {
  /** From now on a matching client message or snapshot request counts as the adapter acting on its resync. */
  startListening(): void
  /** Resolves once the adapter asked for the book again; rejects after `timeoutMs`. */
  acted(timeoutMs: number): Promise<void>
  /** True when the adapter declared how the venue answers (`resync.answer`). */
  readonly answers: boolean
}

/**
 * @param original the session without the drop
 * @param originalIndex for each frame of the replayed (edited) session, its index in `original`
 */
export function resyncScript(
  context: CaseContext,
  resync: ResubscribeResync | RestSnapshotResync,
  symbol: string,
  original: readonly SessionFrame[],
  originalIndex: readonly number[],
): ResyncScript {
  const { fx, replay } = context
  let listening = false
  let asked!: () => void
  const askedOnce = new Promise<void>((resolve) => (asked = resolve))
  /** The exchange's true history up to where the replay to `connection` (default: the newest) stands. */
  const history = (connection: FakeConnection | undefined = fx.connections.at(-1)): readonly SessionFrame[] => {
    const position = connection === undefined ? 0 : replay.position(connection)
    if (position >= originalIndex.length) return original
    return original.slice(0, position === 0 ? 0 : originalIndex[position - 1]! + 1)
  }
  const marks = new Map<FakeConnection, number>()
  if (resync.kind === 'resubscribe') {
    const resubscribes = resync.resubscribes ?? ((message: string, name: string) => message.includes(name))
    fx.onConnection((connection) =>
      connection.forEachMessage((message, index) => {
        // Messages the client sent before the drop (its handshake) are not answers to it.
        if (!listening || index < (marks.get(connection) ?? 0)) return
        if (resubscribes(message, symbol)) asked()
        resync.answer?.({ fx, symbol, history: history(connection), connection, message })
      }),
    )
  } else {
    fx.route('GET', /^/, (request) => {
      if (!listening || resync.snapshotSymbol(request) !== symbol) return undefined
      asked()
      return resync.answer?.({ fx, symbol, history: history(), request })
    })
  }
  return {
    answers: resync.answer !== undefined,
    startListening() {
      for (const connection of fx.connections) marks.set(connection, connection.messages.length)
      listening = true
    },
    acted(timeoutMs) {
      let timer: ReturnType<typeof setTimeout> | undefined
      const what =
        resync.kind === 'resubscribe'
          ? `no client message asked for ${symbol}'s book again`
          : `no REST request asked for a snapshot of ${symbol}`
      const limit = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new ConformanceFailure(`The adapter did not act on its resync: ${what} within ${timeoutMs} ms`)), timeoutMs)
      })
      return Promise.race([askedOnce, limit]).finally(() => clearTimeout(timer))
    },
  }
}
