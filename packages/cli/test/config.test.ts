import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { buildRecordPlan } from '../src/config.js'

function yamlFile(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'dccd-config-')), 'dccd.yaml')
  writeFileSync(path, text)
  return path
}

describe('record plan', () => {
  it('builds one feed from the command line with defaults', () => {
    expect(buildRecordPlan('binance', ['BTCUSDT', 'ETHUSDT'], { channels: 'trades,bars:1m', duration: '30s' })).toEqual({
      out: './data',
      format: 'parquet',
      durationMs: 30_000,
      rotateMs: 3_600_000,
      feeds: [{ exchange: 'binance', symbols: ['BTCUSDT', 'ETHUSDT'], channels: ['trades', 'bars:1m'] }],
    })
  })

  it('reads many exchanges from a YAML config, flags overriding its settings', () => {
    const config = yamlFile(`
out: ./recordings
format: csv
bookSnapshots: 1s:10
feeds:
  - exchange: binance
    symbols: [BTCUSDT, ETHUSDT]
    channels: [trades, book]
  - exchange: kraken
    symbols: BTC/USD
    channels: trades,bars:1m
    wsUrl: ws://127.0.0.1:9
`)
    const plan = buildRecordPlan(undefined, [], { config, format: 'jsonl' })
    expect(plan.out).toBe('./recordings')
    expect(plan.format).toBe('jsonl')
    expect(plan.bookSnapshots).toEqual({ intervalMs: 1000, depth: 10 })
    expect(plan.feeds).toEqual([
      { exchange: 'binance', symbols: ['BTCUSDT', 'ETHUSDT'], channels: ['trades', 'book'] },
      { exchange: 'kraken', symbols: ['BTC/USD'], channels: ['trades', 'bars:1m'], wsUrl: 'ws://127.0.0.1:9' },
    ])
  })

  it('reads --max-resume-age from the flag or the config file (a duration or seconds), the flag winning', () => {
    expect(buildRecordPlan('binance', ['BTCUSDT'], { maxResumeAge: '6h' }).maxResumeAgeMs).toBe(21_600_000)
    expect(buildRecordPlan('binance', ['BTCUSDT'], {}).maxResumeAgeMs).toBeUndefined()
    const config = yamlFile('maxResumeAge: 600\nfeeds:\n  - exchange: binance\n    symbols: BTCUSDT\n')
    expect(buildRecordPlan(undefined, [], { config }).maxResumeAgeMs).toBe(600_000)
    expect(buildRecordPlan(undefined, [], { config, maxResumeAge: '1m' }).maxResumeAgeMs).toBe(60_000)
    expect(() => buildRecordPlan('binance', ['BTCUSDT'], { maxResumeAge: 'a while' })).toThrow(/--max-resume-age "a while"/)
  })

  it('rejects bad config files with a message naming the file and the problem', () => {
    expect(() => buildRecordPlan(undefined, [], { config: '/nonexistent/dccd.yaml' })).toThrow('cannot read --config "/nonexistent/dccd.yaml": ENOENT')
    expect(() => buildRecordPlan(undefined, [], { config: yamlFile('feeds: [') })).toThrow(/invalid YAML/)
    expect(() => buildRecordPlan(undefined, [], { config: yamlFile('out: x') })).toThrow(/"feeds" must be a non-empty list/)
    expect(() => buildRecordPlan(undefined, [], { config: yamlFile('feeds:\n  - exchange: binance\n') })).toThrow('config feeds[0]: missing symbols for binance')
  })

  it('rejects a missing exchange or symbol and bad values', () => {
    expect(() => buildRecordPlan(undefined, [], {})).toThrow(/missing exchange/)
    expect(() => buildRecordPlan('binance', [], {})).toThrow(/missing symbol/)
    expect(() => buildRecordPlan('binance', ['X'], { format: 'xml' })).toThrow('invalid --format "xml"; valid: parquet, jsonl, csv')
    expect(() => buildRecordPlan('binance', ['X'], { duration: 'forever' })).toThrow('invalid --duration "forever"')
    expect(() => buildRecordPlan('binance', ['X'], { wsUrl: 'nope' })).toThrow('invalid --ws-url "nope"')
    expect(() => buildRecordPlan('binance', ['X'], { channels: 'trades', bookSnapshots: '1s:5' })).toThrow('--book-snapshots "1s:5" needs the book channel')
  })
})
