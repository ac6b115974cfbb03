/** One contract clause as data, and what every clause factory receives. */
import type { ExchangeAdapter } from '@dccd/core'
import type { SessionFrame } from '../session.js'
import type { ResolvedConformanceOptions } from './options.js'

/** One contract clause. */
export interface ConformanceClause {
  /** The clause, as the test title. */
  readonly title: string
  /** Why the clause does not apply (a channel the descriptor does not offer, a rule not declared); undefined when it runs. */
  readonly skip: string | undefined
  /** Runs the clause against its own fake exchange; rejects with the reason when the adapter breaks it. */
  run(): Promise<void>
}

/** What a clause factory builds its clause from. */
export interface ClauseSetup {
  readonly exchange: ExchangeAdapter
  readonly options: ResolvedConformanceOptions
  /** The session, loaded once on first use. */
  readonly session: () => readonly SessionFrame[]
  /** Why a clause needing `kind` cannot run (not offered, or not among options.channels); undefined when it can. */
  readonly needs: (kind: 'book' | 'bars' | 'trades') => string | undefined
}
