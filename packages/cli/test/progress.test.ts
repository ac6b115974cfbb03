import { describe, expect, it } from 'vitest'
import { ProgressReporter, formatClock, formatStatus } from '../src/record/progress.js'
import type { Io } from '../src/io.js'

const snap = (elapsedMs: number, trades: number, book: number, extra: Partial<Parameters<typeof formatStatus>[0]> = {}) => ({
  records: new Map([['trades', trades], ['book', book], ['status', 1]]),
  filesSealed: 2,
  reconnects: 1,
  resyncs: 3,
  gaps: 0,
  elapsedMs,
  ...extra,
})

function captureIo(errIsTTY: boolean): Io & { text: string } {
  const io = { text: '', out: () => {}, err: (t: string) => void (io.text += t), errIsTTY, outIsTTY: false, columns: 200 }
  return io
}

describe('status line', () => {
  it('formats clocks', () => {
    expect(formatClock(75_000)).toBe('01:15')
    expect(formatClock(3_723_000)).toBe('1:02:03')
  })

  it('shows per-channel rates over the last window, totals, files, reconnects, resyncs and time left', () => {
    const line = formatStatus(snap(2000, 30, 100, { durationMs: 30_000 }), snap(1000, 10, 60))
    expect(line).toBe('00:02/00:30 (00:28 left) book 40.0/s trades 20.0/s | 131 events | 2 files | 1 reconnects | 3 resyncs | 0 gaps')
  })

  it('counts quotes, derivatives and liquidations like every other data type', () => {
    const records = (quotes: number, derivatives: number, liquidations: number) =>
      new Map([['trades', 10], ['quotes', quotes], ['derivatives', derivatives], ['liquidations', liquidations], ['status', 1]])
    const line = formatStatus(snap(2000, 0, 0, { records: records(40, 3, 1) }), snap(1000, 0, 0, { records: records(10, 2, 1) }))
    expect(line).toBe('00:02 derivatives 1.0/s liquidations 0.0/s quotes 30.0/s trades 0.0/s | 55 events | 2 files | 1 reconnects | 3 resyncs | 0 gaps')
  })

  it('names quiet feeds and symbols with their quiet time right after the rates', () => {
    const idle = [
      { label: 'binance', idleMs: 65_000 },
      { label: 'kraken BTC/USD', idleMs: 3_725_000 },
    ]
    expect(formatStatus(snap(70_000, 10, 10, { idle }), snap(69_000, 10, 10))).toBe(
      '01:10 book 0.0/s trades 0.0/s | idle 1m05s binance, 1h02m kraken BTC/USD | 21 events | 2 files | 1 reconnects | 3 resyncs | 0 gaps',
    )
    expect(formatStatus(snap(2000, 30, 100, { idle: [] }), snap(1000, 10, 60))).not.toContain('idle')
  })

  it('redraws one line in place on a terminal', () => {
    const io = captureIo(true)
    const reporter = new ProgressReporter(io)
    reporter.update(snap(1000, 1, 1))
    reporter.update(snap(2000, 2, 2))
    expect(io.text.split('\r\x1b[2K')).toHaveLength(3)
    expect(io.text).not.toContain('\n')
  })

  it('logs a plain line every few seconds off a terminal', () => {
    const io = captureIo(false)
    const reporter = new ProgressReporter(io, 5000)
    for (let s = 1; s <= 11; s++) reporter.update(snap(s * 1000, s, s))
    expect(io.text.trim().split('\n')).toHaveLength(2)
    expect(io.text).not.toContain('\x1b')
  })
})
