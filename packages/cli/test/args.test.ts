import { describe, expect, it } from 'vitest'
import { parseBookSnapshots, parseChoice, parseCount, parseDuration, parseUrl, splitList } from '../src/args.js'

describe('parseDuration', () => {
  it('reads seconds, minutes, hours, days and milliseconds', () => {
    expect(parseDuration('30s', '--duration')).toBe(30_000)
    expect(parseDuration('10m', '--duration')).toBe(600_000)
    expect(parseDuration('1.5h', '--duration')).toBe(5_400_000)
    expect(parseDuration('2d', '--duration')).toBe(172_800_000)
    expect(parseDuration('250ms', '--duration')).toBe(250)
  })

  it('treats a bare number as seconds', () => {
    expect(parseDuration('5', '--duration')).toBe(5000)
  })

  it('rejects garbage and zero, naming the value and the option', () => {
    for (const bad of ['abc', '10x', '0s', '-5s', '']) {
      expect(() => parseDuration(bad, '--duration')).toThrow(/--duration/)
      expect(() => parseDuration(bad, '--duration')).toThrow(expect.objectContaining({ code: 'DCCD_USAGE' }))
    }
    expect(() => parseDuration('10x', '--duration')).toThrow('"10x"')
  })
})

describe('parseBookSnapshots', () => {
  it('reads interval:depth', () => {
    expect(parseBookSnapshots('1s:20')).toEqual({ intervalMs: 1000, depth: 20 })
    expect(parseBookSnapshots('100ms:5')).toEqual({ intervalMs: 100, depth: 5 })
  })

  it('rejects a missing or bad depth and a bad interval', () => {
    expect(() => parseBookSnapshots('1s')).toThrow('"1s"')
    expect(() => parseBookSnapshots('1s:0')).toThrow(/interval:depth/)
    expect(() => parseBookSnapshots('1s:x')).toThrow(/interval:depth/)
    expect(() => parseBookSnapshots('soon:10')).toThrow('"soon"')
    expect(() => parseBookSnapshots('1s:10:2')).toThrow(/interval:depth/)
  })
})

describe('other option parsers', () => {
  it('parseChoice lists the valid values', () => {
    expect(parseChoice('csv', '--format', ['parquet', 'csv'])).toBe('csv')
    expect(() => parseChoice('xml', '--format', ['parquet', 'csv'])).toThrow('invalid --format "xml"; valid: parquet, csv')
  })

  it('parseCount accepts 0 only when asked', () => {
    expect(parseCount('0', '--limit', true)).toBe(0)
    expect(() => parseCount('0', '--depth')).toThrow('"0"')
    expect(() => parseCount('2.5', '--limit', true)).toThrow('"2.5"')
  })

  it('splitList trims and drops empty items', () => {
    expect(splitList(' trades, book,,bars:1m ')).toEqual(['trades', 'book', 'bars:1m'])
    expect(splitList(['trades,book', 'bars:1m'])).toEqual(['trades', 'book', 'bars:1m'])
  })

  it('parseUrl requires an absolute URL', () => {
    expect(parseUrl('ws://127.0.0.1:1234', '--ws-url')).toBe('ws://127.0.0.1:1234')
    expect(() => parseUrl('localhost', '--ws-url')).toThrow('invalid --ws-url "localhost"')
  })
})
