// readSample judges a sample once the replay is delivered: records still queued must be read first,
// or a clause like "events have the normalized shape" intermittently finds no trade under load.
import { describe, it } from 'vitest'
import { conformanceClauses } from '../src/conformance/index.js'
import type { SessionFrame } from '../src/index.js'
import { toyExchange, type ToyFaults } from './support/toy-adapter.js'
import { toyOptions } from './support/toy-options.js'
import { toySession } from './support/toy-session.js'

/** The toy session with every trade moved to the end: the trades are the last records to be read. */
function tradesLast(): SessionFrame[] {
  const session = toySession()
  const isTrade = (frame: SessionFrame): boolean => (frame.data as { kind?: string } | null)?.kind === 'trade'
  return [...session.filter((frame) => !isTrade(frame)), ...session.filter(isTrade)]
}

const shapeClause = (faults: ToyFaults) =>
  conformanceClauses(toyExchange(faults), toyOptions({ session: tradesLast() })).find((clause) => clause.title === 'events have the normalized shape')!

describe('the sample the stream clauses judge', () => {
  it('holds the records still queued when every frame has been counted (stats.queued)', async () => {
    await shapeClause({ lateRecords: true }).run()
  })

  it('holds the records ready within a macrotask when the feed reports no stats.queued', async () => {
    await shapeClause({ lateRecords: true, hideQueued: true }).run()
  })
})
