import type { ExchangeAdapter } from '@dccd/core'
import { describe, it } from 'vitest'
import { conformanceClauses } from './clauses.js'
import type { ConformanceOptions } from './options.js'

/**
 * Registers the adapter conformance suite with vitest: one `it` per contract clause, each
 * against its own fake exchange replaying `options.session`. Clauses for channels the
 * descriptor does not offer, or for continuity rules `options.continuity` does not declare,
 * appear as named skips.
 *
 * @example
 * import { runAdapterConformance } from '@dccd/testkit/conformance'
 * import { fixturePath } from '@dccd/testkit'
 * import { exchange } from '../src/index.js'
 *
 * runAdapterConformance(exchange, {
 *   session: fixturePath('spot-2021-10-12.jsonl'),
 *   symbols: ['NKNUSDT', 'BLZETH'],
 *   unknownSymbol: 'NOPEUSDT',
 *   malformedSymbol: 'btc-usdt',
 *   setup: (fx) => fx.route('GET', '/api/v3/exchangeInfo', () => ({ body: exchangeInfo })),
 *   // the venue's continuity rules drive the continuity clauses (see ContinuityRules)
 *   continuity: { bookUpdate, trades, resync: { kind: 'rest-snapshot', snapshotSymbol }, rotation: { maxConnectionAgeMs: 800 } },
 * })
 */
export function runAdapterConformance(exchange: ExchangeAdapter, options: ConformanceOptions): void {
  const timeoutMs = 3 * (options.timeoutMs ?? 10_000) + 5000
  describe(`${exchange.name} (${exchange.id}) adapter conformance`, () => {
    for (const clause of conformanceClauses(exchange, options)) {
      if (clause.skip !== undefined) it.skip(`${clause.title} (skipped: ${clause.skip})`, () => {})
      else it(clause.title, () => clause.run(), timeoutMs)
    }
  })
}
