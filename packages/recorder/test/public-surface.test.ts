import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as recorder from '../src/index.js'

// The one kind of snapshot we keep: a change to the public surface must show up in review.
describe('public surface of @dccd/recorder', () => {
  it('exports exactly these runtime names', () => {
    expect(Object.keys(recorder).sort()).toEqual([
      'DataPathError',
      'DiskWriteError',
      'OutputLockedError',
      'Recorder',
      'acquireLock',
      'columnsFor',
      'isDiskFull',
      'isDiskWriteError',
      'listDataFiles',
      'readDataFile',
    ])
  })

  it('exports exactly these types', () => {
    const source = readFileSync(new URL('../src/index.ts', import.meta.url), 'utf8')
    const names = [...source.matchAll(/export type \{([^}]*)\}/g)].flatMap((m) => m[1]!.split(',').map((n) => n.trim()).filter(Boolean))
    expect(names.sort()).toEqual([
      'BarCheckpoint',
      'BookSnapshotSpec',
      'Cell',
      'Column',
      'ColumnKind',
      'DataPathProblem',
      'DataType',
      'DateBy',
      'FileRows',
      'LockOptions',
      'RecordFormat',
      'RecordedSymbol',
      'RecorderOptions',
      'RecorderStats',
      'SealResult',
      'TradeCheckpoint',
    ])
  })

  it('never re-exports a whole module', () => {
    expect(readFileSync(new URL('../src/index.ts', import.meta.url), 'utf8')).not.toMatch(/export \*/)
  })
})
