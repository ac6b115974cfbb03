import { describe, expect, it } from 'vitest'
import { booleanOption, integerOption, InvalidArgumentError, numberOption, urlOption } from '../src/index.js'

/** The error `read` throws; fails when it throws none. */
function rejection(read: () => unknown): InvalidArgumentError {
  try {
    read()
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidArgumentError)
    return error as InvalidArgumentError
  }
  throw new Error('accepted')
}

describe('option readers', () => {
  it('give the fallback for undefined and the value when valid', () => {
    expect(booleanOption('x', undefined, true)).toBe(true)
    expect(booleanOption('x', false, true)).toBe(false)
    expect(integerOption('n', undefined, 7, { min: 1 })).toBe(7)
    expect(integerOption('n', 1000, 7, { min: 1, max: 1000 })).toBe(1000)
    expect(numberOption('share', 0.5, 0.8, (n) => n > 0 && n <= 1, 'a number in (0, 1]')).toBe(0.5)
    expect(urlOption('wsUrl', 'ws://127.0.0.1:8080/', 'wss://x', ['ws:', 'wss:'])).toBe('ws://127.0.0.1:8080')
    expect(urlOption('wsUrl', 'wss://proxy.example/binance', 'wss://x', ['ws:', 'wss:'], ['ws', 'stream'])).toBe('wss://proxy.example/binance')
  })

  it('reject wrong types and ranges, naming the option, the value and the valid ones', () => {
    const bool = rejection(() => booleanOption('validateSymbols', 'no', true))
    expect(bool.code).toBe('DCCD_INVALID_ARGUMENT')
    expect(bool.message).toContain('option validateSymbols')
    expect(bool.message).toContain('"no"')
    expect(bool.message).toContain('true, false')
    for (const value of [0, 1.5, '3', Number.NaN, 1001]) {
      expect(rejection(() => integerOption('depth', value, 10, { min: 1, max: 1000 })).message).toContain('an integer from 1 to 1000')
    }
    expect(rejection(() => integerOption('max', -1, 5, { min: 0, meaning: '0 turns it off' })).message).toContain('an integer >= 0 (0 turns it off)')
    expect(rejection(() => numberOption('jitter', Number.NaN, 0.5, () => true, 'a number from 0 to 1')).message).toContain('NaN')
  })

  it('reject URLs of the wrong scheme, with a query, or naming an endpoint the adapter appends', () => {
    expect(rejection(() => urlOption('wsUrl', 'http://x', 'wss://x', ['ws:', 'wss:'])).message).toContain('ws:// or wss:// base URL')
    expect(rejection(() => urlOption('wsUrl', 'not a url', 'wss://x', ['ws:', 'wss:'])).message).toContain('"not a url"')
    expect(rejection(() => urlOption('wsUrl', 'ws://x/?a=1', 'wss://x', ['ws:', 'wss:'])).message).toContain('without query')
    expect(rejection(() => urlOption('wsUrl', 'ws://127.0.0.1:1/v2', 'wss://x', ['ws:', 'wss:'], ['v2'])).message).toContain('/v2')
  })
})
