import type { ConformanceOptions } from '../../src/conformance/index.js'
import { TOY_SYMBOLS, toySession } from './toy-session.js'

/** Conformance options for the toy adapter. Short waits: a broken adapter fails fast. */
export function toyOptions(overrides: Partial<ConformanceOptions> = {}): ConformanceOptions {
  return {
    session: toySession(),
    symbols: TOY_SYMBOLS,
    unknownSymbol: 'ZZZ-YYY',
    malformedSymbol: 'aaa/bbb',
    timeoutMs: 3000,
    ...overrides,
  }
}
