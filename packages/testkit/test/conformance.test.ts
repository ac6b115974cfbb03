// The toys implement the contract correctly, so every clause they can run must pass for them.
import { describe, it } from 'vitest'
import { conformanceClauses, runAdapterConformance } from '../src/conformance/index.js'
import { seqToyExchange } from './support/seq-toy-adapter.js'
import { seqToyOptions } from './support/seq-toy-options.js'
import { toyExchange } from './support/toy-adapter.js'
import { toyOptions } from './support/toy-options.js'

// The seq toy declares every continuity rule, on both kinds of venue: all seventeen clauses run.
for (const mode of ['resubscribe', 'rest-snapshot'] as const) {
  runAdapterConformance({ ...seqToyExchange(mode), name: `Seq toy, ${mode}` }, seqToyOptions(mode))
}

// The plain toy has no sequence ids and declares no continuity rules: its skips are checked in conformance-broken.test.ts.
describe('Toy (toy) adapter conformance, the clauses it can run', () => {
  for (const clause of conformanceClauses(toyExchange(), toyOptions())) {
    if (clause.skip === undefined) it(clause.title, () => clause.run(), 15_000)
  }
})
