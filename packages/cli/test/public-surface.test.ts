import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as cli from '../src/index.js'

// The one kind of snapshot we keep: a change to the public surface must show up in review.
describe('public surface of @dccd/cli', () => {
  it('exports exactly these runtime names', () => {
    expect(Object.keys(cli).sort()).toEqual(['ExitCode', 'main'])
  })

  it('exports exactly these types', () => {
    const source = readFileSync(new URL('../src/index.ts', import.meta.url), 'utf8')
    const names = [...source.matchAll(/export type \{([^}]*)\}/g)].flatMap((m) => m[1]!.split(',').map((n) => n.trim()).filter(Boolean))
    expect(names.sort()).toEqual(['DiscoveryOptions', 'Io', 'MainOptions'])
  })

  it('never re-exports a whole module', () => {
    expect(readFileSync(new URL('../src/index.ts', import.meta.url), 'utf8')).not.toMatch(/export \*/)
  })

  it('ExitCode documents 0 ok, 1 failure, 2 bad input, 3 spool full, 130 interrupted', () => {
    expect(cli.ExitCode).toEqual({ ok: 0, failure: 1, usage: 2, spoolFull: 3, interrupted: 130 })
  })
})
