import { describe, expect, it } from 'vitest'
import { checkSymbolFormat, checkSymbolsListed, InvalidArgumentError, parseChannels, Subscriptions, validChannelNames } from '../src/index.js'

const adapter = { id: 'fake', channels: ['trades', 'book', 'bars'] as const, barIntervals: ['1m', '1h'] }

function thrown(fn: () => unknown): InvalidArgumentError {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidArgumentError)
    return error as InvalidArgumentError
  }
  throw new Error('expected a throw')
}

describe('parseChannels', () => {
  it('parses trades, book and bars with their interval, dropping repeats', () => {
    expect(parseChannels(['trades', 'bars:1m', 'book', 'trades'], adapter)).toEqual([
      { kind: 'trades', name: 'trades' },
      { kind: 'bars', name: 'bars:1m', interval: '1m' },
      { kind: 'book', name: 'book' },
    ])
  })

  it('rejects an unknown channel naming it and the valid ones', () => {
    const error = thrown(() => parseChannels(['tardes'], adapter))
    expect(error.code).toBe('DCCD_INVALID_ARGUMENT')
    expect(error.message).toContain('"tardes"')
    expect(error.message).toContain('trades, book, bars:<interval>')
  })

  it('rejects an unknown bar interval naming it and the valid intervals', () => {
    const error = thrown(() => parseChannels(['bars:3m'], adapter))
    expect(error.message).toContain('"3m"')
    expect(error.message).toContain('1m, 1h')
  })

  it('rejects a channel the adapter does not offer', () => {
    const tradesOnly = { id: 'fake', channels: ['trades'] as const, barIntervals: [] }
    expect(thrown(() => parseChannels(['book'], tradesOnly)).message).toContain('"book"')
    expect(thrown(() => parseChannels(['bars:1m'], tradesOnly)).message).toContain('"bars:1m"')
  })

  it('parses the derivatives channels an adapter offers, and rejects them where it does not (spot)', () => {
    const futures = { id: 'fake-futures', channels: ['trades', 'quotes', 'derivatives', 'liquidations'] as const, barIntervals: [] }
    expect(parseChannels(['quotes', 'derivatives', 'liquidations'], futures)).toEqual([
      { kind: 'quotes', name: 'quotes' },
      { kind: 'derivatives', name: 'derivatives' },
      { kind: 'liquidations', name: 'liquidations' },
    ])
    const error = thrown(() => parseChannels(['liquidations'], adapter))
    expect(error.message).toContain('"liquidations"')
    expect(error.message).toContain('trades, book, bars:<interval>')
    // `bars` alone is not a channel even where bars are offered: it needs an interval.
    expect(thrown(() => parseChannels(['bars'], adapter)).message).toContain('"bars"')
  })

  it('rejects an empty channel list', () => {
    expect(thrown(() => parseChannels([], adapter)).message).toContain('at least one channel')
  })

  it('lists every valid channel name for help texts', () => {
    expect(validChannelNames(adapter)).toEqual(['trades', 'book', 'bars:1m', 'bars:1h'])
  })
})

describe('checkSymbolFormat', () => {
  const upper = /^[A-Z0-9]{2,20}$/

  it('returns the symbols without repeats', () => {
    expect(checkSymbolFormat(['BTCUSDT', 'ETHUSDT', 'BTCUSDT'], upper, 'upper-case like BTCUSDT')).toEqual([
      'BTCUSDT',
      'ETHUSDT',
    ])
  })

  it('rejects a malformed symbol naming it and the format', () => {
    const error = thrown(() => checkSymbolFormat(['BTCUSDT', 'btc-usdt'], upper, 'upper-case like BTCUSDT'))
    expect(error.message).toContain('"btc-usdt"')
    expect(error.message).toContain('upper-case like BTCUSDT')
    expect(error.value).toBe('btc-usdt')
  })

  it('rejects an empty list and non-strings', () => {
    expect(thrown(() => checkSymbolFormat([], upper, 'x')).message).toContain('at least one symbol')
    expect(thrown(() => checkSymbolFormat([42 as unknown as string], upper, 'x')).message).toContain('42')
  })
})

describe('checkSymbolsListed', () => {
  const listed = new Set(['ETHUSDT', 'BTCUSDT', 'BNBBTC'])

  it('accepts listed symbols', () => {
    expect(() => checkSymbolsListed('binance', ['BTCUSDT', 'ETHUSDT'], listed)).not.toThrow()
  })

  it('rejects an unknown symbol naming it, with the closest valid symbols first', () => {
    const error = thrown(() => checkSymbolsListed('binance', ['BTCUSD'], listed))
    expect(error.message).toContain('"BTCUSD"')
    expect(error.message).toContain('not listed')
    expect(error.message).toMatch(/Valid: BTCUSDT, /)
  })

  it('names every unknown symbol when there are several', () => {
    const error = thrown(() => checkSymbolsListed('binance', ['BTCUSDT', 'NOPE1', 'NOPE2'], listed))
    expect(error.value).toEqual(['NOPE1', 'NOPE2'])
    expect(error.message).toContain('NOPE1')
    expect(error.message).toContain('NOPE2')
    expect(error.argument).toBe('binance symbols')
  })
})

describe('Subscriptions', () => {
  const subscribed = new Subscriptions(['BTCUSDT', 'ETHUSDT'], [
    { kind: 'trades', name: 'trades' },
    { kind: 'bars', name: 'bars:1m', interval: '1m' },
  ])

  it('accepts events of the symbols, channels and intervals subscribed', () => {
    expect(() => subscribed.check('trades', 'ETHUSDT')).not.toThrow()
    expect(() => subscribed.check('bars', 'BTCUSDT', '1m')).not.toThrow()
    expect(subscribed.hasSymbol('BTCUSDT')).toBe(true)
    expect(subscribed.hasChannel('book')).toBe(false)
  })

  it('rejects any other symbol, channel or interval with a TypeError naming them', () => {
    expect(() => subscribed.check('trades', 'XRPUSDT')).toThrow(/trades data for "XRPUSDT"/)
    expect(() => subscribed.check('book', 'BTCUSDT')).toThrow(/book data for "BTCUSDT"/)
    expect(() => subscribed.check('bars', 'BTCUSDT', '5m')).toThrow(/bars:5m data/)
    expect(() => subscribed.check('trades', 42)).toThrow(TypeError)
    expect(() => subscribed.check('trades', 'X'.repeat(300))).toThrow(TypeError)
  })
})
