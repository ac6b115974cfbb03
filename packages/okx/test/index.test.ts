import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as api from '../src/index.js'

// The one kind of snapshot we keep: a change to the public surface must show up in review.
describe('public surface of @dccd/okx', () => {
  it('exports exactly these runtime names', () => {
    expect(Object.keys(api).sort()).toEqual(['BookSync', 'ChecksumBook', 'OkxFeed', 'createOkxHistory', 'exchange', 'parseFrame', 'scanBookUpdate'])
  })

  it('exports exactly these types', () => {
    const source = readFileSync(new URL('../src/index.ts', import.meta.url), 'utf8')
    const names = [...source.matchAll(/export type \{([^}]*)\}/g)].flatMap((m) => m[1]!.split(',').map((n) => n.trim()).filter(Boolean))
    expect(names.sort()).toEqual([
      'BookVerdict',
      'OkxArg',
      'OkxBookData',
      'OkxBookMessage',
      'OkxCandle',
      'OkxEventFrame',
      'OkxFeedOptions',
      'OkxFundingRate',
      'OkxIndexMessage',
      'OkxIndexTicker',
      'OkxInstrument',
      'OkxLevel',
      'OkxLiquidation',
      'OkxMarkPrice',
      'OkxMessage',
      'OkxOpenInterest',
      'OkxPush',
      'OkxRestBody',
      'OkxTrade',
      'OkxTradesMessage',
    ])
    expect(source).not.toMatch(/export \*/)
  })
})
