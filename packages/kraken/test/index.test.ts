import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as api from '../src/index.js'

// The one kind of snapshot we keep: a change to the public surface must show up in review.
describe('public surface of @dccd/kraken', () => {
  it('exports exactly these runtime names', () => {
    expect(Object.keys(api).sort()).toEqual(['BookSync', 'KrakenFeed', 'exchange', 'parseFrame', 'scanBookUpdate'])
  })

  it('exports exactly these types', () => {
    const source = readFileSync(new URL('../src/index.ts', import.meta.url), 'utf8')
    const names = [...source.matchAll(/export type \{([^}]*)\}/g)].flatMap((m) => m[1]!.split(',').map((n) => n.trim()).filter(Boolean))
    expect(names.sort()).toEqual([
      'KrakenAck',
      'KrakenBookData',
      'KrakenBookLevel',
      'KrakenBookMessage',
      'KrakenCandle',
      'KrakenFeedOptions',
      'KrakenFrame',
      'KrakenInstrumentMessage',
      'KrakenMessage',
      'KrakenOhlcMessage',
      'KrakenTrade',
      'KrakenTradeMessage',
      'ScannedBookUpdate',
    ])
    expect(source).not.toMatch(/export \*/)
  })
})
