import { describe, expect, it } from 'vitest'
import * as cli from '../src/index.js'

describe('public surface', () => {
  it('exports exactly these names', () => {
    expect(Object.keys(cli).sort()).toEqual([
      'ExitCode',
      'Recorder',
      'UsageError',
      'WatchModel',
      'buildRecordPlan',
      'columnsFor',
      'discoverAdapters',
      'findAdapter',
      'isExchangeAdapter',
      'listDataFiles',
      'main',
      'readDataFile',
      'renderWatch',
    ])
  })

  it('ExitCode documents 0 ok, 1 failure, 2 bad input, 130 interrupted', () => {
    expect(cli.ExitCode).toEqual({ ok: 0, failure: 1, usage: 2, interrupted: 130 })
  })
})
