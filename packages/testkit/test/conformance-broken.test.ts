import { describe, expect, it } from 'vitest'
import { conformanceClauses, ConformanceFailure, type ConformanceClause } from '../src/conformance/index.js'
import { toyExchange, type ToyFaults } from './support/toy-adapter.js'
import { toyOptions } from './support/toy-options.js'
import { seqToyExchange } from './support/seq-toy-adapter.js'
import { seqToyContinuity, seqToyOptions } from './support/seq-toy-options.js'
import type { SessionFrame } from '../src/index.js'

const DROPPED_BOOK_FRAME =
  "one dropped book frame yields a resync for that symbol only, then a snapshot before its next delta, and the other symbols' books untouched"

function clause(faults: ToyFaults, title: string): ConformanceClause {
  const found = conformanceClauses(toyExchange(faults), toyOptions()).find((c) => c.title === title)
  if (found === undefined) throw new Error(`no clause titled ${title}`)
  return found
}

describe('the conformance suite catches broken adapters', () => {
  it('fails "the first book event for a symbol is a snapshot" for deltas before the snapshot', async () => {
    const run = clause({ deltasBeforeSnapshot: true }, 'the first book event for a symbol is a snapshot').run()
    await expect(run).rejects.toThrow(/first book event for AAA-BBB is a delta/)
    await expect(run).rejects.toBeInstanceOf(ConformanceFailure)
  })

  it('fails "timestamps are integer microseconds" for millisecond timestamps', async () => {
    await expect(clause({ millisecondTimestamps: true }, 'timestamps are integer microseconds').run()).rejects.toThrow(
      /timestamp 16\d{11} is not in microseconds/,
    )
  })

  it('a millisecond-timestamp adapter still passes the ordering clause (failures are specific)', async () => {
    await clause({ millisecondTimestamps: true }, 'the first book event for a symbol is a snapshot').run()
  })

  it('fails the forced-disconnect clause when no status marks the reconnect', async () => {
    const title = 'a forced disconnect yields disconnected, connected, then a snapshot'
    await expect(clause({ noStatusOnReconnect: true }, title).run()).rejects.toThrow(/without status 'disconnected'/)
  })

  it('fails "no socket stays open after stop()" when stop() leaves the socket open', async () => {
    await expect(clause({ leaveSocketOpen: true }, 'no socket stays open after stop()').run()).rejects.toThrow(
      /1 socket\(s\) still open/,
    )
  })

  it('fails the malformed-frame clause when a bad frame ends the stream', async () => {
    await expect(clause({ throwOnMalformed: true }, 'a malformed frame is counted, not thrown').run()).rejects.toThrow(
      /threw on a malformed frame/,
    )
  })

  it('fails the unknown-channel clause when channels are only checked after connecting', async () => {
    const title = 'an unknown channel is rejected before connecting and the error lists valid ones'
    await expect(clause({ lazyChannelCheck: true }, title).run()).rejects.toThrow(/createFeed accepted an unknown channel/)
  })

  it('fails "events have the normalized shape" for a trade side outside the enum', async () => {
    await expect(clause({ wireSides: true }, 'events have the normalized shape').run()).rejects.toThrow(
      /trade side "[bs]" is not buy, sell or unknown/,
    )
  })

  it('fails the unknown-symbol clause when symbols are never checked against the exchange', async () => {
    const title = 'an unknown symbol is rejected before any data flows and the error names it'
    await expect(clause({ skipSymbolCheck: true }, title).run()).rejects.toThrow(/event flowed before an unknown symbol/)
  })

  it('fails the pending-reconnect stop clause when stop() waits out the backoff', async () => {
    const title = 'stop() ends the stream within 1 s during a pending reconnect'
    await expect(clause({ stopIgnoresBackoff: true }, title).run()).rejects.toThrow(/stop\(\) did not resolve/)
  })
})

describe('conformanceClauses', () => {
  it('turns channels the descriptor does not offer into named skips', () => {
    const clauses = conformanceClauses(toyExchange({}, ['trades']), toyOptions({ channels: ['trades'] }))
    const skipped = Object.fromEntries(clauses.filter((c) => c.skip !== undefined).map((c) => [c.title, c.skip]))
    expect(skipped).toEqual({
      'the first book event for a symbol is a snapshot': 'toy offers no book channel',
      'a forced disconnect yields disconnected, connected, then a snapshot': 'toy offers no book channel',
      'an unknown bar interval is rejected before connecting': 'toy offers no bars channel',
      'a clean replay produces no resync': 'toy offers no book channel',
      "a book delta is never emitted before that symbol's first snapshot": 'toy offers no book channel',
      [DROPPED_BOOK_FRAME]: 'toy offers no book channel',
      'a dropped trade frame is recovered or reported as exactly one gap of its ids': 'toy declares no continuity.trades (its trade ids are not consecutive)',
      'rotation emits no duplicate and no hole': 'toy declares no continuity.rotation (its connections never rotate)',
    })
  })

  it('names the continuity rules an adapter offering every channel did not declare', () => {
    const skipped = Object.fromEntries(conformanceClauses(toyExchange(), toyOptions()).filter((c) => c.skip !== undefined).map((c) => [c.title, c.skip]))
    expect(skipped).toEqual({
      "a book delta is never emitted before that symbol's first snapshot": 'toy declares no continuity.bookUpdate or continuity.resync',
      [DROPPED_BOOK_FRAME]: 'toy declares no continuity.bookUpdate or continuity.resync',
      'a dropped trade frame is recovered or reported as exactly one gap of its ids': 'toy declares no continuity.trades (its trade ids are not consecutive)',
      'rotation emits no duplicate and no hole': 'toy declares no continuity.rotation (its connections never rotate)',
    })
  })

  it('names what the session lacks when a declared rule finds nothing to drop', () => {
    const options = seqToyOptions('resubscribe')
    const session = (options.session as SessionFrame[]).filter((frame) => seqToyContinuity('resubscribe').trades!(frame) === undefined)
    const clauses = conformanceClauses(seqToyExchange('resubscribe'), { ...options, session, continuity: { ...options.continuity, withTradeId: undefined } })
    expect(clauses.find((c) => c.title === 'a dropped trade frame is recovered or reported as exactly one gap of its ids')!.skip).toBe(
      'the session has no trade frame between two trades of its symbol with consecutive ids (declare continuity.withTradeId to let the suite make one)',
    )
  })

  it('lists one clause per contract rule, in a stable order', () => {
    expect(conformanceClauses(toyExchange(), toyOptions()).map((c) => c.title)).toEqual([
      'timestamps are integer microseconds',
      'events have the normalized shape',
      'the first book event for a symbol is a snapshot',
      'a forced disconnect yields disconnected, connected, then a snapshot',
      'stop() ends the stream within 1 s while streaming',
      'stop() ends the stream within 1 s during a pending reconnect',
      'no socket stays open after stop()',
      'an unknown channel is rejected before connecting and the error lists valid ones',
      'an unknown bar interval is rejected before connecting',
      'a malformed symbol is rejected before connecting',
      'an unknown symbol is rejected before any data flows and the error names it',
      'a malformed frame is counted, not thrown',
      'a clean replay produces no resync',
      "a book delta is never emitted before that symbol's first snapshot",
      DROPPED_BOOK_FRAME,
      'a dropped trade frame is recovered or reported as exactly one gap of its ids',
      'rotation emits no duplicate and no hole',
    ])
  })
})
