// Issue #11 item 14: a config file is checked against its schema; a misspelt
// key or a value of the wrong type is named, never ignored or coerced.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { main } from '../src/cli.js'
import { buildRecordPlan } from '../src/config.js'
import { fakexProject } from './helpers/fakex.js'

function yamlFile(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'dccd-config-')), 'dccd.yaml')
  writeFileSync(path, text)
  return path
}

/** A config with one fakex feed, plus `feedExtra` lines in the feed and `topExtra` lines at the top. */
function config(feedExtra: string, topExtra = ''): string {
  return yamlFile(`${topExtra}feeds:\n  - exchange: fakex\n    symbols: [BTCUSD]\n${feedExtra}`)
}

function failure(path: string): Error & { code?: string } {
  try {
    buildRecordPlan(undefined, [], { config: path })
  } catch (error) {
    return error as Error
  }
  throw new Error('expected the config to be rejected')
}

const FEED_KEYS = 'exchange, symbols, channels, wsUrl, restUrl, bookDepth, validateSymbols'

describe('config file validation', () => {
  it('names an unknown feed key and lists the valid ones', () => {
    const error = failure(config('    bookdepth: 100\n'))
    expect(error.code).toBe('DCCD_USAGE')
    expect(error.message).toContain(`unknown key "bookdepth" in feeds[0]; valid: ${FEED_KEYS}`)
  })

  it('names an unknown top-level key and lists the valid ones', () => {
    expect(failure(config('', 'channels: trades\n')).message).toContain(
      'unknown key "channels" at the top level; valid: out, format, duration, rotate, maxResumeAge, bookSnapshots, sink, stream, subjectPrefix, duplicateWindow, maxSpool, replicas, maxAge, retention, feeds',
    )
  })

  it('rejects a validateSymbols that is not a boolean instead of coercing it', () => {
    expect(failure(config('    validateSymbols: "no"\n')).message).toContain('feeds[0].validateSymbols must be true or false, got "no"')
    expect(failure(config('    validateSymbols: no\n')).message).toContain('feeds[0].validateSymbols must be true or false, got "no"')
  })

  it('reports symbols of the wrong type as such, not as missing', () => {
    const path = yamlFile('feeds:\n  - exchange: fakex\n    symbols: 7\n')
    const expected = 'feeds[0].symbols must be a list of strings or a comma-separated string, or an instrument filter such as {quote: USDT, type: spot}'
    expect(failure(path).message).toContain(expected)
    expect(failure(path).message).toContain('got 7')
    expect(failure(yamlFile('feeds:\n  - exchange: fakex\n    symbols: [BTCUSD, 7]\n')).message).toContain('got ["BTCUSD",7]')
  })

  it('names wrong types of the other feed keys', () => {
    expect(failure(config('    channels: {trades: true}\n')).message).toContain('feeds[0].channels must be a list of strings or a comma-separated string, got {"trades":true}')
    expect(failure(config('    bookDepth: "100"\n')).message).toContain('feeds[0].bookDepth must be a whole number ≥ 1, got "100"')
    expect(failure(config('    bookDepth: 0\n')).message).toContain('feeds[0].bookDepth must be a whole number ≥ 1, got 0')
    expect(failure(config('    wsUrl:\n')).message).toContain('feeds[0].wsUrl must be a string, got null')
    expect(failure(yamlFile('feeds:\n  - exchange: 7\n    symbols: [BTCUSD]\n')).message).toContain('feeds[0].exchange must be a string, got 7')
  })

  it('names wrong types of top-level keys', () => {
    expect(failure(config('', 'out: 7\n')).message).toContain('out must be a string, got 7')
    expect(failure(config('', 'rotate: true\n')).message).toContain('rotate must be a duration such as 30s, 10m or 1h (a number means seconds), got true')
    expect(failure(config('', 'bookSnapshots: 20\n')).message).toContain('bookSnapshots must be a string such as 1s:20, got 20')
    expect(failure(yamlFile('feeds: [binance]\n')).message).toContain('feeds[0] must be a mapping with exchange, symbols and channels, got "binance"')
  })

  it('names the config file in every message', () => {
    const path = config('    bookdepth: 100\n')
    expect(failure(path).message).toMatch(new RegExp(`^config ${JSON.stringify(path).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: `))
  })

  it('still accepts every documented key, with numbers of seconds for durations', () => {
    const plan = buildRecordPlan(undefined, [], {
      config: yamlFile(
        'out: rec\nformat: csv\nduration: 90\nrotate: 10m\nbookSnapshots: 1s:5\nfeeds:\n  - exchange: fakex\n    symbols: BTCUSD\n    channels: [trades, book]\n    wsUrl: ws://127.0.0.1:9\n    restUrl: http://127.0.0.1:9\n    bookDepth: 10\n    validateSymbols: false\n',
      ),
    })
    expect(plan).toEqual({
      out: 'rec',
      format: 'csv',
      durationMs: 90_000,
      rotateMs: 600_000,
      bookSnapshots: { intervalMs: 1000, depth: 5 },
      feeds: [{ exchange: 'fakex', symbols: ['BTCUSD'], channels: ['trades', 'book'], wsUrl: 'ws://127.0.0.1:9', restUrl: 'http://127.0.0.1:9', bookDepth: 10, validateSymbols: false }],
    })
  })

  it('makes dccd record exit 2 with one line before recording anything', async () => {
    const cwd = fakexProject()
    const out = join(cwd, 'data')
    const path = config('    bookdepth: 100\n', `out: ${out}\n`)
    let err = ''
    const io = { out: () => {}, err: (text: string) => void (err += text), errIsTTY: false, outIsTTY: false }
    expect(await main(['record', '--config', path], { io, discovery: { cwd } })).toBe(2)
    expect(err.trim().split('\n')).toEqual([expect.stringContaining('unknown key "bookdepth" in feeds[0]')])
    expect(existsSync(out)).toBe(false)
  })
})
