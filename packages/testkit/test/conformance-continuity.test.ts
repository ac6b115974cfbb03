// Deliberately broken seq toys: each mistake fails exactly the clauses listed, with the message
// given, and passes every other clause, the twelve older ones included (which let them all through).
import { describe, expect, it } from 'vitest'
import { conformanceClauses } from '../src/conformance/index.js'
import { seqToyExchange, type SeqToyFaults } from './support/seq-toy-adapter.js'
import { seqToyOptions } from './support/seq-toy-options.js'
import type { SeqToyMode } from './support/seq-toy-session.js'

const FIRST_SNAPSHOT = 'the first book event for a symbol is a snapshot'
const DISCONNECT = 'a forced disconnect yields disconnected, connected, then a snapshot'
const CLEAN = 'a clean replay produces no resync'
const NO_EARLY_DELTA = "a book delta is never emitted before that symbol's first snapshot"
const DROPPED_BOOK = "one dropped book frame yields a resync for that symbol only, then a snapshot before its next delta, and the other symbols' books untouched"
const DROPPED_TRADE = 'a dropped trade frame is recovered or reported as exactly one gap of its ids'
const ROTATION = 'rotation emits no duplicate and no hole'

/** Runs every clause against the seq toy with `faults`, concurrently; the failed ones' titles and messages. */
async function failures(mode: SeqToyMode, faults: SeqToyFaults): Promise<Record<string, string>> {
  const failed: Record<string, string> = {}
  const clauses = conformanceClauses(seqToyExchange(mode, faults), seqToyOptions(mode))
  await Promise.all(
    clauses.map((clause) =>
      clause.run().catch((error: unknown) => {
        failed[clause.title] = `${(error as Error).name}: ${(error as Error).message}`
      }),
    ),
  )
  return failed
}

/** `failed` names exactly the clauses of `expected`, each message matching its pattern. */
function expectFailures(failed: Record<string, string>, expected: Record<string, RegExp>): void {
  expect(Object.keys(failed).sort()).toEqual(Object.keys(expected).sort())
  for (const [title, pattern] of Object.entries(expected)) expect(failed[title]).toMatch(pattern)
}

const TIMEOUT_MS = 40_000

describe.concurrent('the continuity clauses catch what the older clauses let through', () => {
  it('mistake 1, deltas while waiting for a snapshot, fails the early-delta and dropped-update clauses (resubscribe)', async () => {
    expectFailures(await failures('resubscribe', { deltasWhileWaiting: true }), {
      [NO_EARLY_DELTA]: /ConformanceFailure: A book delta of AAA-BBB reached the consumer before any snapshot of it/,
      [DROPPED_BOOK]: /A book delta of AAA-BBB came after its resync, before any snapshot/,
    })
  }, TIMEOUT_MS)

  it('mistake 1 on a REST-snapshot venue also fails the older first-snapshot clauses, as its deltas precede every snapshot', async () => {
    expectFailures(await failures('rest-snapshot', { deltasWhileWaiting: true }), {
      [FIRST_SNAPSHOT]: /The first book event for AAA-BBB is a delta/,
      [DISCONNECT]: /first book event for AAA-BBB after the reconnect is a delta/,
      [NO_EARLY_DELTA]: /A book delta of AAA-BBB reached the consumer before any snapshot of it/,
      [DROPPED_BOOK]: /A book delta of AAA-BBB came after its resync, before any snapshot/,
    })
  }, TIMEOUT_MS)

  for (const mode of ['resubscribe', 'rest-snapshot'] as const) {
    it(`mistake 2, a sequence gap ignored, fails only the dropped-update clause (${mode})`, async () => {
      expectFailures(await failures(mode, { ignoreSeqGaps: true }), {
        [DROPPED_BOOK]: /Timed out after 3000 ms waiting for status 'resync' for AAA-BBB after one of its book updates was dropped/,
      })
    }, TIMEOUT_MS)

    it(`mistake 3, a resync never acted on, fails only the dropped-update clause (${mode})`, async () => {
      const asked = mode === 'resubscribe' ? "no client message asked for AAA-BBB's book again" : 'no REST request asked for a snapshot of AAA-BBB'
      expectFailures(await failures(mode, { resyncWithoutRefetch: true }), {
        [DROPPED_BOOK]: new RegExp(`did not act on its resync: ${asked} within 3000 ms`),
      })
    }, TIMEOUT_MS)

    it(`mistake 4, a wrong continuity rule, fails the clean-replay clause, and with it those that meet its resync storm (${mode})`, async () => {
      expectFailures(await failures(mode, { offByOneSeq: true }), {
        [CLEAN]: /A clean replay produced a resync: .*"symbol":"AAA-BBB"/,
        // Resyncing from the first update on, the book is never live when the suite drops one.
        [DROPPED_BOOK]: mode === 'resubscribe' ? /A resync of CCC-DDD followed the one dropped update of AAA-BBB/ : /Timed out .* waiting for status 'resync' for AAA-BBB/,
        [ROTATION]: /A rotation must be seamless, yet the feed emitted resync/,
      })
    }, TIMEOUT_MS)

    it(`mistake 5, a resync that clears every book, fails only the dropped-update clause (${mode})`, async () => {
      expectFailures(await failures(mode, { resyncClearsAll: true }), {
        [DROPPED_BOOK]: /A resync of CCC-DDD followed the one dropped update of AAA-BBB; the other books must stay untouched/,
      })
    }, TIMEOUT_MS)
  }

  it('trades passed through unchecked fail the dropped-trade clause, and duplicate across a rotation', async () => {
    expectFailures(await failures('resubscribe', { ignoreTradeHoles: true }), {
      [DROPPED_TRADE]: /AAA-BBB trade 1060 \(dropped: 1060\.\.1061\) was neither emitted nor reported in a gap/,
      [ROTATION]: /AAA-BBB trade \d+ followed trade \d+: a duplicate or out of order across the rotation/,
    })
  }, TIMEOUT_MS)

  it('a gap one id too wide fails only the dropped-trade clause', async () => {
    expectFailures(await failures('rest-snapshot', { wideTradeGap: true }), {
      [DROPPED_TRADE]: /The gap 1060\.\.1062 of AAA-BBB reaches beyond the dropped ids 1060\.\.1061/,
    })
  }, TIMEOUT_MS)

  it("a replacement's trades let through during the overlap fail only the rotation clause", async () => {
    expectFailures(await failures('resubscribe', { rotationDuplicates: true }), {
      [ROTATION]: /AAA-BBB trade \d+ followed trade \d+: a duplicate or out of order across the rotation/,
    })
  }, TIMEOUT_MS)

  it("a handover that throws the replacement's held frames away fails only the rotation clause", async () => {
    expectFailures(await failures('rest-snapshot', { rotationDropsHeld: true }), {
      [ROTATION]: /A rotation must be seamless, yet the feed emitted resync: .*seqId gap/,
    })
  }, TIMEOUT_MS)
})
