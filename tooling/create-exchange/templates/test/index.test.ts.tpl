import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as api from '../src/index.js'

// The one kind of snapshot we keep: a change to the public surface must show up in review.
// TODO(new adapter): update both lists whenever src/index.ts changes.
describe('public surface of @dccd/__ID__', () => {
  it('exports exactly these runtime names', () => {
    expect(Object.keys(api).sort()).toEqual(['BookSync', '__CLASS__', 'exchange', 'parseFrame'].sort())
  })

  it('exports exactly these types', () => {
    const source = readFileSync(new URL('../src/index.ts', import.meta.url), 'utf8')
    const names = [...source.matchAll(/export type \{([^}]*)\}/g)].flatMap((m) => m[1]!.split(',').map((n) => n.trim()).filter(Boolean))
    expect(names.sort()).toEqual(
      ['__CLASS__Options', '__PASCAL__Ack', '__PASCAL__BookFrame', '__PASCAL__BookMessage', '__PASCAL__Frame', '__PASCAL__Level', '__PASCAL__Message', '__PASCAL__RestTrade', '__PASCAL__TradeFrame'].sort(),
    )
    expect(source).not.toMatch(/export \*/)
  })
})
