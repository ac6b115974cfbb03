import { describe, expect, it } from 'vitest'
import { buildBackfillPlan, parseTime } from '../src/backfill/plan.js'
import { UsageError } from '../src/errors.js'

const NOW = Date.UTC(2026, 11, 5, 12) * 1000

describe('parseTime', () => {
  it.each([
    ['2026-12-01', Date.UTC(2026, 11, 1) * 1000],
    ['2026-12-01T12:30', Date.UTC(2026, 11, 1, 12, 30) * 1000],
    ['2026-12-01T12:30:15Z', Date.UTC(2026, 11, 1, 12, 30, 15) * 1000],
    ['2026-12-01T12:30:15.25Z', Date.UTC(2026, 11, 1, 12, 30, 15) * 1000 + 250_000],
    ['2026-12-01T12:30:15.000001Z', Date.UTC(2026, 11, 1, 12, 30, 15) * 1000 + 1],
    ['2026-12-01T13:30:00+01:00', Date.UTC(2026, 11, 1, 12, 30) * 1000],
  ])('reads %s as µs, UTC unless a zone is given', (text, micros) => {
    expect(parseTime(text, '--from')).toBe(micros)
  })

  it.each(['yesterday', '1733011200', '2026-13-01', '2026-02-30', '2026-12-01T25:00', '12/01/2026'])('rejects %s naming the option and the forms', (text) => {
    expect(() => parseTime(text, '--from')).toThrow(UsageError)
    expect(() => parseTime(text, '--from')).toThrow(new RegExp(`invalid --from "${text.replace(/[/]/g, '\\/')}"; use an ISO date`))
  })
})

describe('buildBackfillPlan', () => {
  const plan = (flags: Parameters<typeof buildBackfillPlan>[2], symbols = ['BTCUSDT']) => buildBackfillPlan('binance', symbols, flags, NOW)

  it('fills the defaults: trades, up to now, ./data, parquet', () => {
    expect(plan({ from: '2026-12-04' })).toEqual({
      exchange: 'binance',
      symbols: ['BTCUSDT'],
      channels: ['trades'],
      from: Date.UTC(2026, 11, 4) * 1000,
      to: NOW,
      out: './data',
      format: 'parquet',
    })
  })

  it('caps --to at now: there is no history after it', () => {
    expect(plan({ from: '2026-12-04', to: '2027-01-01' }).to).toBe(NOW)
  })

  it.each([
    [{}, /--from is required/],
    [{ from: '2026-12-06' }, /--from 2026-12-06 is in the future \(now is 2026-12-05T12:00:00/],
    [{ from: '2026-12-04', to: '2026-12-03' }, /--from 2026-12-04 is not before --to 2026-12-03/],
    [{ from: '2026-12-04', to: '2026-12-04' }, /is not before --to/],
    [{ from: '2026-12-04', channels: ' , ' }, /--channels is empty/],
    [{ from: '2026-12-04', weightShare: '2' }, /invalid --weight-share "2"; use a number in \(0, 1\]/],
    [{ from: '2026-12-04', format: 'xlsx' }, /invalid --format "xlsx"; valid: parquet, jsonl, csv/],
    [{ from: '2026-12-04', restUrl: 'not a url' }, /invalid --rest-url/],
  ])('rejects %j as bad input with a message naming it', (flags, message) => {
    expect(() => plan(flags)).toThrow(UsageError)
    expect(() => plan(flags)).toThrow(message)
  })

  it('needs a symbol', () => {
    expect(() => plan({ from: '2026-12-04' }, [])).toThrow(/name at least one symbol/)
  })
})
