export { runAdapterConformance } from './run.js'
export { conformanceClauses } from './clauses.js'
export type { ConformanceClause } from './clauses.js'
export type { ConformanceOptions } from './options.js'
export type {
  ContinuityRules,
  ResubscribeContext,
  ResubscribeResync,
  RestSnapshotContext,
  RestSnapshotResync,
  ResyncContext,
} from './continuity-options.js'
export { ConformanceFailure } from './event-reader.js'
export { MALFORMED_FRAME } from './session-edit.js'
