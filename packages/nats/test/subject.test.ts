import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { MarketEvent } from '@dccd/core'
import { describe, expect, it } from 'vitest'
import { decodeToken, encodeToken, parseSubject, subjectOf } from '../src/index.js'

/** Every symbol of the fixture sets in the repository (the adapters' and the testkit's captures). */
function fixtureSymbols(): Set<string> {
  const symbols = new Set<string>()
  const roots = ['../../binance/test/fixtures', '../../kraken/test/fixtures', '../../okx/test/fixtures', '../../testkit/fixtures']
  for (const root of roots) {
    const dir = fileURLToPath(new URL(root, import.meta.url))
    for (const file of readdirSync(dir, { recursive: true }) as string[]) {
      if (!file.endsWith('.jsonl')) continue
      const text = readFileSync(`${dir}/${file}`, 'utf8')
      for (const match of text.matchAll(/"(?:symbol|instId|s)":"([^"]{1,40})"/g)) symbols.add(match[1]!)
    }
  }
  return symbols
}

describe('subject tokens', () => {
  it('round-trip every symbol of the fixture sets, each to a valid subject token', () => {
    const symbols = fixtureSymbols()
    expect(symbols.size).toBeGreaterThan(10)
    expect(symbols).toContain('XMR/USD')
    expect(symbols).toContain('BTC-USDT')
    for (const symbol of symbols) {
      const token = encodeToken(symbol)
      expect(token, symbol).toMatch(/^[A-Za-z0-9_~-]+$/)
      expect(decodeToken(token)).toBe(symbol)
    }
  })

  it('round-trip what subjects cannot hold: dots, wildcards, spaces, tildes, non-ASCII', () => {
    for (const text of ['BTC/USD', 'BTC.USD', 'a*b>c', 'ETH USDT', '~', '~002f', 'ÅBC', '🚀X', '_', '-']) {
      const token = encodeToken(text)
      expect(token).not.toMatch(/[.*> \t]/)
      expect(decodeToken(token)).toBe(text)
    }
    expect(encodeToken('BTC/USD')).toBe('BTC~002fUSD')
    expect(() => decodeToken('BTC~zz')).toThrow(TypeError)
    expect(() => decodeToken('a.b')).toThrow(TypeError)
  })

  it('name each event by exchange, type and symbol, and read back', () => {
    const trade = { type: 'trade', exchange: 'kraken', symbol: 'BTC/USD', id: '1', price: 1, amount: 1, side: 'buy', timestamp: 1, localTimestamp: 1 } as MarketEvent
    expect(subjectOf(trade)).toBe('dccd.kraken.trade.BTC~002fUSD')
    expect(parseSubject(subjectOf(trade))).toEqual({ exchange: 'kraken', type: 'trade', symbol: 'BTC/USD' })
    const status = { type: 'status', exchange: 'binance', status: 'connected', localTimestamp: 1 } as MarketEvent
    expect(subjectOf(status, 'x')).toBe('x.binance.status.~')
    expect(parseSubject('x.binance.status.~', 'x').symbol).toBeUndefined()
    expect(parseSubject(subjectOf(trade, 'acme.dccd'), 'acme.dccd')).toEqual({ exchange: 'kraken', type: 'trade', symbol: 'BTC/USD' })
    expect(() => parseSubject('dccd.kraken.trade.X', 'pipe')).toThrow('is not pipe.<exchange>.<type>.<symbol>')
  })
})
