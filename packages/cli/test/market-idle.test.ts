import { describe, expect, it } from 'vitest'
import { MarketIdleTracker, formatIdleNotice, formatQuietTime } from '../src/record/market-idle.js'

const trade = (symbol: string) => ({ type: 'trade', symbol })
const connected = { type: 'status', status: 'connected' }

/** A tracker on a fake clock that `check()`s every second, like the recorder, and keeps what it said. */
function setup(feeds = [{ label: 'binance', symbols: ['BTCUSDT'] }], thresholdMs = 60_000) {
  let now = 1_000_000
  const tracker = new MarketIdleTracker(feeds, { thresholdMs, now: () => now })
  const said: string[] = []
  return {
    tracker,
    said,
    /** Advances the clock second by second, feeding `each` every second if given. */
    run(seconds: number, each?: () => void) {
      for (let i = 0; i < seconds; i++) {
        now += 1000
        each?.()
        for (const notice of tracker.check()) said.push(`${notice.kind}: ${formatIdleNotice(notice)}`)
      }
    },
  }
}

describe('market idle tracker', () => {
  it('warns once when a feed has sent no market data for the threshold, saying the connection is open', () => {
    const { tracker, said, run } = setup()
    tracker.observe(0, connected)
    tracker.observe(0, trade('BTCUSDT'))
    run(1)
    run(59)
    expect(said).toEqual([])
    run(1)
    expect(said).toEqual(['idle: binance: no market data for 1m00s (connection open); still waiting'])
    run(30)
    expect(said).toHaveLength(1)
  })

  it('repeats the warning at doubling quiet times, capped', () => {
    let now = 0
    const tracker = new MarketIdleTracker([{ label: 'kraken', symbols: ['BTC/USD'] }], { thresholdMs: 60_000, maxRepeatMs: 240_000, now: () => now })
    const at: number[] = []
    for (now = 1000; now <= 1_200_000; now += 1000) if (tracker.check().length > 0) at.push(now / 1000)
    expect(at).toEqual([60, 120, 240, 480, 720, 960, 1200])
  })

  it('says when data comes back, and warns afresh after the next quiet spell', () => {
    const { tracker, said, run } = setup()
    run(125)
    tracker.observe(0, trade('BTCUSDT'))
    run(1)
    expect(said).toEqual([
      'idle: binance: no market data for 1m00s; still waiting',
      'idle: binance: no market data for 2m00s; still waiting',
      'resumed: binance: market data again after 2m06s without',
    ])
    run(60)
    expect(said.at(-1)).toBe('idle: binance: no market data for 1m00s; still waiting')
  })

  it('a steady stream never warns; status events do not count as market data', () => {
    const { tracker, said, run } = setup()
    run(600, () => tracker.observe(0, trade('BTCUSDT')))
    expect(said).toEqual([])
    run(61, () => tracker.observe(0, connected))
    expect(said).toEqual(['idle: binance: no market data for 1m00s (connection open); still waiting'])
  })

  it('reports the quiet symbols of a feed whose other symbols flow, and only the feed when all are quiet', () => {
    const { tracker, said, run } = setup([{ label: 'binance', symbols: ['BTCUSDT', 'ETHUSDT', 'XRPUSDT'] }])
    run(61, () => tracker.observe(0, trade('BTCUSDT')))
    expect(said).toEqual(['idle: binance ETHUSDT, XRPUSDT: no market data for 1m00s while other symbols flow; still waiting'])
    expect(tracker.idle()).toEqual([{ label: 'binance ETHUSDT,XRPUSDT', idleMs: 61_000 }])
    run(2, () => {
      tracker.observe(0, trade('BTCUSDT'))
      tracker.observe(0, trade('ETHUSDT'))
    })
    expect(said.at(-1)).toBe('resumed: binance ETHUSDT: market data again after 1m02s without')
    said.length = 0
    run(60)
    expect(said).toEqual([
      'idle: binance XRPUSDT: no market data for 2m00s while other symbols flow; still waiting',
      'idle: binance: no market data for 1m00s; still waiting',
    ])
    expect(tracker.idle()).toEqual([{ label: 'binance', idleMs: 60_000 }])
  })

  it('keeps feeds apart and notes a lost connection', () => {
    const { tracker, said, run } = setup([
      { label: 'binance', symbols: ['BTCUSDT'] },
      { label: 'kraken', symbols: ['BTC/USD'] },
    ])
    tracker.observe(1, connected)
    tracker.observe(1, { type: 'status', status: 'disconnected' })
    run(60, () => tracker.observe(0, trade('BTCUSDT')))
    expect(said).toEqual(['idle: kraken: no market data for 1m00s (not connected; the feed reconnects by itself); still waiting'])
    expect(tracker.idle()).toEqual([{ label: 'kraken', idleMs: 60_000 }])
  })

  it('shows many quiet symbols as a count', () => {
    const symbols = ['A', 'B', 'C', 'D', 'E']
    const { tracker, run } = setup([{ label: 'binance', symbols }])
    run(70, () => tracker.observe(0, trade('A')))
    expect(tracker.idle()).toEqual([{ label: 'binance (4 symbols)', idleMs: 70_000 }])
  })

  it('formats quiet times', () => {
    expect(formatQuietTime(45_000)).toBe('45s')
    expect(formatQuietTime(65_000)).toBe('1m05s')
    expect(formatQuietTime(7_380_000)).toBe('2h03m')
  })
})
