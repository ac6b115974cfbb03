import { describe, expect, it } from 'vitest'
import { silentLogger } from '@dccd/core'
import type { MarketEvent, StatusEvent, TradeEvent } from '@dccd/core'
import { DEFAULT_MAX_RECOVERED_TRADES } from '../src/options.js'
import { parseHistoricalTrade } from '../src/parse.js'
import { TradeRecovery } from '../src/trade-recovery.js'
import type { BinanceHistoricalTrade } from '../src/wire.js'
import { historicalTradesBody } from './support/frames.js'

const SYMBOL = 'BTCUSDT'

interface Call {
  readonly fromId: number
  readonly limit: number
  resolve(rows: BinanceHistoricalTrade[]): void
}

/**
 * A host whose `fetchTrades` answers with `answer` (served trades up to an id), or, without
 * one, waits until the test resolves the call. `until` waits for pushes and calls, no sleeps.
 */
function scripted(maxTrades: number, answer?: (fromId: number, limit: number) => BinanceHistoricalTrade[]) {
  const pushed: MarketEvent[] = []
  const calls: Call[] = []
  let wake = (): void => {}
  const changed = (): void => {
    const waiting = wake
    wake = () => {}
    waiting()
  }
  const recovery = new TradeRecovery(
    {
      logger: silentLogger,
      fetchTrades: (_symbol, fromId, limit) =>
        new Promise<BinanceHistoricalTrade[]>((resolve) => {
          calls.push({ fromId, limit, resolve })
          changed()
          if (answer !== undefined) resolve(answer(fromId, limit))
        }),
      push: (event) => {
        pushed.push(event)
        changed()
      },
    },
    { maxTrades },
  )
  return {
    recovery,
    pushed,
    calls,
    async until(done: () => boolean): Promise<void> {
      while (!done()) await new Promise<void>((resolve) => (wake = resolve))
    },
  }
}

/** A live trade as the feed hands it over. */
const live = (id: number): TradeEvent => parseHistoricalTrade(SYMBOL, historicalTradesBody(id, 1, id)[0]!, 0)
const ids = (events: readonly MarketEvent[]): number[] =>
  events.filter((e): e is TradeEvent => e.type === 'trade').map((e) => Number(e.id))
const gaps = (events: readonly MarketEvent[]): StatusEvent[] =>
  events.filter((e): e is StatusEvent => e.type === 'status' && e.status === 'gap')
/** Trades as runs `first-last`, gaps as `gap first-last`: a compact picture of the stream order. */
function shape(events: readonly MarketEvent[]): string[] {
  const out: string[] = []
  let run: [number, number] | undefined
  const flush = (): void => {
    if (run !== undefined) out.push(`${run[0]}-${run[1]}`)
    run = undefined
  }
  for (const e of events) {
    if (e.type === 'trade') {
      const id = Number(e.id)
      if (run !== undefined && id === run[1] + 1) run[1] = id
      else {
        flush()
        run = [id, id]
      }
    } else if (e.type === 'status' && e.status === 'gap') {
      flush()
      out.push(`gap ${e.fromId}-${e.toId}`)
    }
  }
  flush()
  return out
}

describe('TradeRecovery', () => {
  it('recovers only the oldest maxRecoveredTrades ids of a larger hole (100 pages by default), then the gap, then the held trades', async () => {
    expect(DEFAULT_MAX_RECOVERED_TRADES).toBe(100_000)
    const host = scripted(DEFAULT_MAX_RECOVERED_TRADES, (fromId, limit) => historicalTradesBody(fromId, limit, 3_000_003))
    const out: MarketEvent[] = []
    host.recovery.recover(SYMBOL, 4, 3_000_003) // ~1.5 days of BTCUSDT
    host.recovery.hold(live(3_000_004), out)
    host.recovery.hold(live(3_000_005), out)
    await host.until(() => !host.recovery.holding(SYMBOL))
    expect(out).toEqual([])
    expect(host.calls).toHaveLength(100)
    expect(host.calls.map((c) => [c.fromId, c.limit])).toEqual(Array.from({ length: 100 }, (_, i) => [4 + i * 1000, 1000]))
    expect(shape(host.pushed)).toEqual(['4-100003', 'gap 100004-3000003', '3000004-3000005'])
    const [marker] = gaps(host.pushed)
    expect(marker).toMatchObject({ symbol: SYMBOL, channel: 'trades', fromId: '100004', toId: '3000003' })
    expect(marker!.reason).toContain('maxRecoveredTrades (100000)')
    expect(marker!.reason).toContain('has 3000000 trades')
    // Live trades after the recovery go straight out again.
    expect(host.recovery.holding(SYMBOL)).toBe(false)
  })

  it('pages a capped hole with a short last page and marks ids the exchange did not return before the cap gap', async () => {
    const host = scripted(1500, (fromId, limit) => historicalTradesBody(fromId, limit, 5000, [10]))
    host.recovery.recover(SYMBOL, 4, 2502)
    host.recovery.hold(live(2503), [])
    await host.until(() => ids(host.pushed).includes(2503))
    expect(host.calls.map((c) => [c.fromId, c.limit])).toEqual([
      [4, 1000],
      [1005, 499], // the first page held 999 rows: 4..1004 without 10
    ])
    expect(shape(host.pushed)).toEqual(['4-9', 'gap 10-10', '11-1503', 'gap 1504-2502', '2503-2503'])
    expect(gaps(host.pushed)[0]!.reason).toBe('not returned by GET /api/v3/historicalTrades')
    expect(gaps(host.pushed)[1]!.reason).toContain('maxRecoveredTrades (1500)')
  })

  it('fetches a hole of exactly maxRecoveredTrades ids in full, without a gap', async () => {
    const host = scripted(2000, (fromId, limit) => historicalTradesBody(fromId, limit, 5000))
    host.recovery.recover(SYMBOL, 4, 2003)
    host.recovery.hold(live(2004), [])
    await host.until(() => ids(host.pushed).includes(2004))
    expect(host.calls.map((c) => [c.fromId, c.limit])).toEqual([
      [4, 1000],
      [1004, 1000],
    ])
    expect(shape(host.pushed)).toEqual(['4-2004'])
  })

  it('holds at most maxRecoveredTrades live trades: then the unfetched ids become gaps in place and the held trades go out', async () => {
    const host = scripted(1500)
    host.recovery.recover(SYMBOL, 4, 3503) // 3500 ids: 4..1503 fetched, 1504..3503 over the cap
    await host.until(() => host.calls.length === 1)
    host.calls[0]!.resolve(historicalTradesBody(4, 1000, 9999))
    await host.until(() => host.calls.length === 2) // 4..1003 are out; 1004.. is in flight
    expect(shape(host.pushed)).toEqual(['4-1003'])
    const out: MarketEvent[] = []
    for (let id = 3504; id < 3504 + 1499; id++) host.recovery.hold(live(id), out)
    host.recovery.recover(SYMBOL, 5003, 5009) // a second hole behind the held trades
    expect(out).toEqual([])
    expect(host.recovery.holding(SYMBOL)).toBe(true)
    host.recovery.hold(live(5010), out) // the 1500th held trade
    expect(host.recovery.holding(SYMBOL)).toBe(false)
    expect(shape(out)).toEqual(['gap 1004-1503', 'gap 1504-3503', '3504-5002', 'gap 5003-5009', '5010-5010'])
    const [abandoned, overCap, later] = gaps(out)
    expect(abandoned!.reason).toContain('recovery abandoned: 1500 live trades held')
    expect(abandoned!.reason).toContain('maxRecoveredTrades')
    expect(overCap!.reason).toContain('maxRecoveredTrades (1500)')
    expect(later!.reason).toContain('recovery abandoned')
    // The answer still in flight is ignored, and a new hole of the symbol recovers normally.
    host.calls[1]!.resolve(historicalTradesBody(1004, 500, 9999))
    host.recovery.recover(SYMBOL, 5011, 5012)
    host.recovery.hold(live(5013), out)
    await host.until(() => host.calls.length === 3)
    host.calls[2]!.resolve(historicalTradesBody(5011, 2, 9999))
    await host.until(() => ids(host.pushed).includes(5013))
    expect(shape(host.pushed)).toEqual(['4-1003', '5011-5013'])
    expect(host.calls.map((c) => [c.fromId, c.limit])).toEqual([
      [4, 1000],
      [1004, 500],
      [5011, 2],
    ])
  })
})
